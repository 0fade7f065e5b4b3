package service

import (
	"encoding/xml"
	"strings"
)

// RenderSystemdUnit is the systemd unit that runs exe with args. The
// console stops on SIGTERM within its 10 s grace, well inside
// TimeoutStopSec.
func RenderSystemdUnit(exe string, args []string) string {
	var b strings.Builder
	b.WriteString(`[Unit]
Description=kanade console (kanade endpoint-management backend)
Documentation=https://github.com/kanade-console/kanade-console
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
ExecStart=`)
	b.WriteString(systemdQuote(exe))
	for _, a := range args {
		b.WriteString(" " + systemdQuote(a))
	}
	b.WriteString(`
# KANADE_NATS_TOKEN, KANADE_AUTH_STATIC_TOKEN, KANADE_JWT_SECRET, KANADE_BACKEND_CONFIG
EnvironmentFile=-/etc/kanade/console.env
Restart=on-failure
RestartSec=5
KillSignal=SIGTERM
TimeoutStopSec=30
NoNewPrivileges=true
ProtectSystem=full
PrivateTmp=true

[Install]
WantedBy=multi-user.target
`)
	return b.String()
}

// systemdQuote makes one ExecStart word: quoted when it has spaces or
// quotes, with systemd's specifier (%) and variable ($) signs doubled.
func systemdQuote(s string) string {
	s = strings.ReplaceAll(s, "%", "%%")
	s = strings.ReplaceAll(s, "$", "$$")
	if s != "" && !strings.ContainsAny(s, " \t\"'\\;") {
		return s
	}
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, `"`, `\"`)
	return `"` + s + `"`
}

// RenderLaunchdPlist is the launchd daemon property list that runs exe
// with args at boot and restarts it when it exits with an error.
func RenderLaunchdPlist(exe string, args []string, logDir string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>` + LaunchdLabel + `</string>
	<key>ProgramArguments</key>
	<array>
`)
	for _, a := range append([]string{exe}, args...) {
		b.WriteString("\t\t<string>" + xmlEscape(a) + "</string>\n")
	}
	b.WriteString(`	</array>
	<key>RunAtLoad</key>
	<true/>
	<key>KeepAlive</key>
	<dict>
		<key>SuccessfulExit</key>
		<false/>
	</dict>
	<key>ExitTimeOut</key>
	<integer>30</integer>
	<key>StandardErrorPath</key>
	<string>` + xmlEscape(logDir+"/kanade-console.err.log") + `</string>
</dict>
</plist>
`)
	return b.String()
}

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
