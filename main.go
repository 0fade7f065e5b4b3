// Command kanade-console is the kanade endpoint-management console: a desktop
// window (desktop builds) or a headless HTTP server (`serve`) over an
// embedded or external NATS JetStream and a local SQLite projection.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `kanade-console — admin console for kanade agents

usage:
  kanade-console                 open the desktop window (desktop builds with a display)
  kanade-console serve [flags]   headless: web UI and /api/* over HTTP
  kanade-console sim [flags]     simulated fleet against a NATS URL
  kanade-console service ACTION  install|uninstall|start|stop|status the OS service (Windows: KanadeBackend)
  kanade-console account CMD     accounts: list|create|set-role|disable|reset-link|setup-link (account help)
  kanade-console version         print the version

Run "kanade-console serve -h" for the flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process exit, so tests can drive it.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "--help" {
		return runDesktop(args, stderr)
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(args[1:], stderr)
	case "sim":
		err = runSim(args[1:], stdout, stderr)
	case "service":
		err = runService(args[1:], stdout, stderr)
	case "account":
		err = runAccount(args[1:], os.Stdin, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, versionString())
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		err = fmt.Errorf("unknown command %q (want serve, sim, service, account or version; see kanade-console help)", args[0])
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "kanade-console: %v\n", err)
		return 2
	}
	return 0
}

// fail reports err on stderr as one line; exit status 2.
func fail(err error) int {
	fmt.Fprintf(os.Stderr, "kanade-console: %v\n", err)
	return 2
}

func versionString() string {
	s := "kanade-console " + version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, kv := range info.Settings {
			if kv.Key == "vcs.revision" && len(kv.Value) >= 12 {
				s += " (" + kv.Value[:12] + ")"
			}
		}
		s += " " + info.GoVersion
	}
	return s
}
