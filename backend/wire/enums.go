package wire

import (
	"fmt"
	"strings"
)

// Shell is the interpreter an agent runs a script with. The Rust enum is
// lowercase-renamed, so exactly "powershell" and "cmd" are accepted.
type Shell string

const (
	ShellPowerShell Shell = "powershell"
	ShellCmd        Shell = "cmd"
)

// Valid reports whether s is one of the two wire values.
func (s Shell) Valid() bool { return s == ShellPowerShell || s == ShellCmd }

// ParseShell accepts only the exact wire spellings.
func ParseShell(s string) (Shell, error) {
	if sh := Shell(s); sh.Valid() {
		return sh, nil
	}
	return "", fmt.Errorf("%w: shell %q (want \"powershell\" or \"cmd\")", ErrInvalidValue, s)
}

// ShellFromAlias is the lenient spelling POST /api/run accepts
// (powershell, ps, pwsh or cmd, any case); the result is a wire value.
func ShellFromAlias(s string) (Shell, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "powershell", "ps", "pwsh":
		return ShellPowerShell, nil
	case "cmd":
		return ShellCmd, nil
	}
	return "", fmt.Errorf("%w: shell %q (want powershell, ps, pwsh or cmd)", ErrInvalidValue, s)
}

// MarshalJSON refuses to put an invalid shell on the wire; agents would
// reject the whole Command.
func (s Shell) MarshalJSON() ([]byte, error) {
	if !s.Valid() {
		return nil, fmt.Errorf("wire: %w: shell %q (want \"powershell\" or \"cmd\")", ErrInvalidValue, string(s))
	}
	return Marshal(string(s))
}

// UnmarshalJSON implements json.Unmarshaler.
func (s *Shell) UnmarshalJSON(b []byte) error {
	v, err := decodeString(b, "shell")
	if err != nil {
		return err
	}
	sh, err := ParseShell(v)
	if err != nil {
		return err
	}
	*s = sh
	return nil
}

// RunAs selects the account a script runs under (v0.21). The zero value
// encodes as the Rust default, "system".
type RunAs string

const (
	RunAsSystem    RunAs = "system"
	RunAsUser      RunAs = "user"
	RunAsSystemGUI RunAs = "system_gui"
)

// OrDefault maps "" to RunAsSystem.
func (r RunAs) OrDefault() RunAs {
	if r == "" {
		return RunAsSystem
	}
	return r
}

// Valid reports whether r (after defaulting) is a wire value.
func (r RunAs) Valid() bool {
	switch r.OrDefault() {
	case RunAsSystem, RunAsUser, RunAsSystemGUI:
		return true
	}
	return false
}

// MarshalJSON encodes "" as "system" and refuses unknown values.
func (r RunAs) MarshalJSON() ([]byte, error) {
	if !r.Valid() {
		return nil, fmt.Errorf("wire: %w: run_as %q", ErrInvalidValue, string(r))
	}
	return Marshal(string(r.OrDefault()))
}

// UnmarshalJSON accepts only system, user and system_gui.
func (r *RunAs) UnmarshalJSON(b []byte) error {
	v, err := decodeString(b, "run_as")
	if err != nil {
		return err
	}
	if v == "" || !RunAs(v).Valid() {
		return fmt.Errorf("%w: run_as %q (want system, user or system_gui)", ErrInvalidValue, v)
	}
	*r = RunAs(v)
	return nil
}

// marshalEnum and unmarshalEnum implement the JSON codec of the small string
// enums whose zero value means the Rust #[default] variant: "" encodes as the
// default, and decoding accepts only the listed variants.
func marshalEnum(field, v, def string, allowed ...string) ([]byte, error) {
	if v == "" {
		v = def
	}
	for _, a := range allowed {
		if v == a {
			return Marshal(v)
		}
	}
	return nil, fmt.Errorf("wire: %w: %s %q", ErrInvalidValue, field, v)
}

func unmarshalEnum(b []byte, field string, allowed ...string) (string, error) {
	v, err := decodeString(b, field)
	if err != nil {
		return "", err
	}
	for _, a := range allowed {
		if v == a {
			return v, nil
		}
	}
	return "", fmt.Errorf("%w: %s %q (want %s)", ErrInvalidValue, field, v, strings.Join(allowed, ", "))
}
