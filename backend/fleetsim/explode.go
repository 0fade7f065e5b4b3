package fleetsim

import (
	"fmt"
	"strings"
	"time"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// Simulated explode arrays (kanade v0.31 inventory.explode): for a job
// whose hint explodes a field, the facts carry an array of plausible rows,
// stable per PC, with a few rows that change from minute to minute (an app
// added or removed, a version bumped) so the history has something to show.

var simApps = []struct{ name, publisher string }{
	{"Google Chrome", "Google LLC"}, {"Mozilla Firefox", "Mozilla"}, {"Microsoft Edge", "Microsoft Corporation"},
	{"7-Zip", "Igor Pavlov"}, {"Notepad++", "Notepad++ Team"}, {"Git", "The Git Development Community"},
	{"Visual Studio Code", "Microsoft Corporation"}, {"Zoom Workplace", "Zoom Video Communications"},
	{"Slack", "Slack Technologies"}, {"Adobe Acrobat Reader", "Adobe"}, {"VLC media player", "VideoLAN"},
	{"Python 3.12", "Python Software Foundation"}, {"Microsoft Teams", "Microsoft Corporation"},
	{"Microsoft 365 Apps", "Microsoft Corporation"}, {"PuTTY", "Simon Tatham"}, {"WinSCP", "Martin Prikryl"},
	{"KeePass", "Dominik Reichl"}, {"Java 21", "Oracle Corporation"}, {"Node.js", "OpenJS Foundation"},
	{"Docker Desktop", "Docker Inc."}, {"Wireshark", "The Wireshark developer community"},
	{"GIMP", "The GIMP Team"}, {"LibreOffice", "The Document Foundation"}, {"Paint.NET", "dotPDN LLC"},
}

// explodeArray renders the JSON array of one spec for pc at now.
func explodeArray(pc string, spec wire.ExplodeSpec, cfg *Config, now time.Time) string {
	minute := fmt.Sprint(now.Unix() / 60)
	var rows []string
	for i, app := range simApps {
		h := runSeed(cfg.Seed, pc, app.name)
		present := h%3 != 0
		// One app in eight comes and goes with the minute.
		if h%8 == 1 {
			present = runSeed(cfg.Seed, pc+minute, app.name)%2 == 0
		}
		if !present {
			continue
		}
		major := 1 + h%30
		minor := (h >> 8) % 10
		if h%5 == 2 { // a fifth of the apps update now and then
			minor = (minor + runSeed(cfg.Seed, pc+minute, app.name+"v")%3) % 10
		}
		var b strings.Builder
		b.WriteByte('{')
		for n, c := range spec.Columns {
			if n > 0 {
				b.WriteByte(',')
			}
			key, _ := wire.Marshal(c.Field)
			b.Write(key)
			b.WriteByte(':')
			b.WriteString(simColumn(c, app.name, app.publisher, major, minor, h, i))
		}
		b.WriteByte('}')
		rows = append(rows, b.String())
	}
	return "[" + strings.Join(rows, ",") + "]"
}

func simColumn(c wire.ExplodeColumn, name, publisher string, major, minor, h uint64, i int) string {
	n := strings.ToLower(c.Field)
	str := func(s string) string { b, _ := wire.Marshal(s); return string(b) }
	switch c.Kind() {
	case wire.ColumnInteger:
		switch {
		case strings.Contains(n, "major"):
			return fmt.Sprint(major)
		case strings.Contains(n, "size"), strings.Contains(n, "kb"):
			return fmt.Sprint(1000 + h%500000)
		}
		return fmt.Sprint(h % 1000)
	case wire.ColumnReal:
		return fmt.Sprintf("%d.%d", major, minor)
	}
	switch {
	case strings.Contains(n, "name") || n == "app" || n == "title":
		return str(name)
	case strings.Contains(n, "publisher") || strings.Contains(n, "vendor"):
		return str(publisher)
	case strings.Contains(n, "version"):
		return str(fmt.Sprintf("%d.%d.%d", major, minor, h%100))
	case strings.Contains(n, "source"):
		return str([]string{"msi", "msix", "exe"}[h%3])
	case strings.Contains(n, "install"):
		return str(fmt.Sprintf("2026-%02d-%02d", 1+h%12, 1+(h>>4)%28))
	}
	return str(fmt.Sprintf("%s-%d", c.Field, i))
}
