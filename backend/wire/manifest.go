package wire

import (
	"fmt"
	"strings"
	"time"
)

// Manifest is a job catalog entry, the value of jobs[id] (§5.8): YAML
// authored, stored as JSON. It is the only wire type with
// deny_unknown_fields — agents and the 0.29 backend reject a jobs value with
// any extra top-level key, so this console never adds one.
//
// Decoding is tolerant all the same: a newer kanade writes keys 0.29 does
// not know into the shared bucket, and a console that dropped those jobs
// (or stripped the keys on a re-save) would lose its data. Unknown
// top-level keys land in Extra and are encoded back; input from a client
// is held to 0.29's rule by CheckUnknownKeys. Nested types ignore unknown
// keys.
type Manifest struct {
	ID              string
	Version         string
	Description     *string // always encoded, null when nil
	Execute         Execute
	RequireApproval bool
	Inventory       *InventoryHint // always encoded, null when nil
	Staleness       Staleness      // zero value encodes as {"mode":"cached"}
	// Extra: top-level keys this console does not know (see above).
	Extra Extra
}

// Execute is the script part of a Manifest.
type Execute struct {
	Shell   Shell
	Script  string
	Timeout Duration // humantime, e.g. "10m"; becomes Command.timeout_secs
	RunAs   RunAs    // "" encodes as "system"
	Cwd     *string  // omitted when nil
	// Extra: keys this console does not know (a newer kanade's), kept.
	Extra Extra
}

// InventoryHint marks a job whose stdout is a JSON object of inventory facts
// and says how the SPA renders them.
type InventoryHint struct {
	Display []DisplayField // detail-view columns; nil encodes as []
	// Summary holds the fleet-table columns. nil means absent (omitted; the
	// SPA falls back to Display); a non-nil empty slice encodes as [].
	Summary []DisplayField
	// Explode (kanade v0.31 #40) turns JSON arrays of the stdout into rows
	// of derived tables; nil means absent (omitted), empty encodes as [].
	Explode []ExplodeSpec
	// HistoryScalars (kanade v0.35 #93) are top-level fields whose changes
	// are written to inventory_history; nil means absent (omitted).
	HistoryScalars []string
	// Extra: keys this console does not know (a newer kanade's), kept.
	Extra Extra
}

// DisplayField is one rendered column: a top-level key of the stdout JSON.
type DisplayField struct {
	Field string
	Label string
	// Type is the optional render hint ("number", "bytes", "timestamp").
	// The Rust field is called kind; its JSON name is "type".
	Type *string
	// Extra: keys this console does not know (v0.30's columns, v0.31's
	// explode, ...), kept.
	Extra Extra
}

type manifestJSON struct {
	ID              string         `json:"id"`
	Version         string         `json:"version"`
	Description     *string        `json:"description"`
	Execute         Execute        `json:"execute"`
	RequireApproval bool           `json:"require_approval"`
	Inventory       *InventoryHint `json:"inventory"`
	Staleness       Staleness      `json:"staleness"`
}

type executeJSON struct {
	Shell   Shell    `json:"shell"`
	Script  string   `json:"script"`
	Timeout Duration `json:"timeout"`
	RunAs   RunAs    `json:"run_as"`
	Cwd     *string  `json:"cwd,omitempty"`
}

type inventoryHintJSON struct {
	Display        []DisplayField  `json:"display"`
	Summary        *[]DisplayField `json:"summary,omitempty"`
	Explode        *[]ExplodeSpec  `json:"explode,omitempty"`
	HistoryScalars *stringList     `json:"history_scalars,omitempty"`
}

type displayFieldJSON struct {
	Field string  `json:"field"`
	Label string  `json:"label"`
	Type  *string `json:"type,omitempty"`
}

// MarshalJSON implements json.Marshaler; the output is the stored jobs value.
func (m Manifest) MarshalJSON() ([]byte, error) {
	b, err := Marshal(manifestJSON{m.ID, m.Version, m.Description, m.Execute,
		m.RequireApproval, m.Inventory, m.Staleness})
	if err != nil {
		return nil, err
	}
	return withExtra(b, m.Extra)
}

// CheckUnknownKeys applies 0.29's deny_unknown_fields to a manifest a
// client sent: a top-level key 0.29 does not know is refused (agents would
// reject the job), unless the stored job already carries it (a newer kanade
// wrote it; sending it back unchanged is a re-save, not a new key).
func (m Manifest) CheckUnknownKeys(stored Extra) error {
	for _, f := range m.Extra {
		if !stored.Has(f.Key) {
			return &DecodeError{Type: "Manifest", Path: f.Key, Err: fmt.Errorf("%w: kanade 0.29 agents refuse a job with keys they do not know", ErrUnknownField)}
		}
	}
	return nil
}

// UnmarshalJSON implements json.Unmarshaler: id, version and execute are
// required; unknown top-level keys are kept in Extra.
func (m *Manifest) UnmarshalJSON(b []byte) error {
	o, err := parseObject("Manifest", b)
	if err != nil {
		return err
	}
	v := Manifest{Staleness: Staleness{Mode: StalenessCached}}
	if err = firstErr(
		o.required("id", &v.ID),
		o.required("version", &v.Version),
	); err != nil {
		return err
	}
	if v.Description, err = optionalPtr[string](o, "description"); err != nil {
		return err
	}
	if err = firstErr(
		o.required("execute", &v.Execute),
		o.defaulted("require_approval", &v.RequireApproval),
	); err != nil {
		return err
	}
	if v.Inventory, err = optionalPtr[InventoryHint](o, "inventory"); err != nil {
		return err
	}
	if err = o.defaulted("staleness", &v.Staleness); err != nil {
		return err
	}
	v.Extra = o.unknown()
	*m = v
	return nil
}

// MarshalJSON implements json.Marshaler.
func (e Execute) MarshalJSON() ([]byte, error) {
	b, err := Marshal(executeJSON{e.Shell, e.Script, e.Timeout, e.RunAs.OrDefault(), e.Cwd})
	if err != nil {
		return nil, err
	}
	return withExtra(b, e.Extra)
}

// UnmarshalJSON implements json.Unmarshaler: shell, script and timeout are
// required; run_as defaults to system.
func (e *Execute) UnmarshalJSON(b []byte) error {
	o, err := parseObject("Execute", b)
	if err != nil {
		return err
	}
	v := Execute{RunAs: RunAsSystem}
	if err = firstErr(
		o.required("shell", &v.Shell),
		o.required("script", &v.Script),
		o.required("timeout", &v.Timeout),
		o.defaulted("run_as", &v.RunAs),
	); err != nil {
		return err
	}
	if v.Cwd, err = optionalPtr[string](o, "cwd"); err != nil {
		return err
	}
	v.Extra = o.unknown()
	*e = v
	return nil
}

// MarshalJSON implements json.Marshaler.
func (h InventoryHint) MarshalJSON() ([]byte, error) {
	display := h.Display
	if display == nil {
		display = []DisplayField{}
	}
	var summary *[]DisplayField
	if h.Summary != nil {
		summary = &h.Summary
	}
	var explode *[]ExplodeSpec
	if h.Explode != nil {
		explode = &h.Explode
	}
	var scalars *stringList
	if h.HistoryScalars != nil {
		l := stringList(h.HistoryScalars)
		scalars = &l
	}
	b, err := Marshal(inventoryHintJSON{display, summary, explode, scalars})
	if err != nil {
		return nil, err
	}
	return withExtra(b, h.Extra)
}

// UnmarshalJSON implements json.Unmarshaler: display is required.
func (h *InventoryHint) UnmarshalJSON(b []byte) error {
	o, err := parseObject("InventoryHint", b)
	if err != nil {
		return err
	}
	var display displayFieldsJSON
	if err := o.required("display", &display); err != nil {
		return err
	}
	summary, err := optionalPtr[displayFieldsJSON](o, "summary")
	if err != nil {
		return err
	}
	explode, err := optionalPtr[explodeSpecsJSON](o, "explode")
	if err != nil {
		return err
	}
	scalars, err := optionalPtr[stringList](o, "history_scalars")
	if err != nil {
		return err
	}
	v := InventoryHint{Display: display, Extra: o.unknown()}
	if summary != nil {
		v.Summary = *summary
	}
	if explode != nil {
		v.Explode = *explode
		if err := validateExplode(v.Explode); err != nil {
			return err
		}
	}
	if scalars != nil {
		v.HistoryScalars = *scalars
	}
	*h = v
	return nil
}

type displayFieldsJSON []DisplayField

type explodeSpecsJSON []ExplodeSpec

func (e *explodeSpecsJSON) UnmarshalJSON(b []byte) error {
	l, err := decodeList[ExplodeSpec]("explode", b)
	*e = l
	return err
}

func (d *displayFieldsJSON) UnmarshalJSON(b []byte) error {
	l, err := decodeList[DisplayField]("display fields", b)
	*d = l
	return err
}

// MarshalJSON implements json.Marshaler.
func (f DisplayField) MarshalJSON() ([]byte, error) {
	b, err := Marshal(displayFieldJSON{f.Field, f.Label, f.Type})
	if err != nil {
		return nil, err
	}
	return withExtra(b, f.Extra)
}

// UnmarshalJSON implements json.Unmarshaler: field and label are required.
func (f *DisplayField) UnmarshalJSON(b []byte) error {
	o, err := parseObject("DisplayField", b)
	if err != nil {
		return err
	}
	var v DisplayField
	if err = firstErr(o.required("field", &v.Field), o.required("label", &v.Label)); err != nil {
		return err
	}
	if v.Type, err = optionalPtr[string](o, "type"); err != nil {
		return err
	}
	v.Extra = o.unknown()
	*f = v
	return nil
}

// Validate checks what the backend checks before storing or executing a
// job: non-empty id and version, a valid shell and run_as, a valid humantime
// timeout, and a valid staleness policy.
func (m Manifest) Validate() error {
	if strings.TrimSpace(m.ID) == "" {
		return invalid("Manifest", "id", "must not be empty")
	}
	if strings.TrimSpace(m.Version) == "" {
		return invalid("Manifest", "version", "must not be empty")
	}
	if !m.Execute.Shell.Valid() {
		return invalid("Manifest", "execute.shell", fmt.Sprintf("%q is not \"powershell\" or \"cmd\"", string(m.Execute.Shell)))
	}
	if !m.Execute.RunAs.Valid() {
		return invalid("Manifest", "execute.run_as", fmt.Sprintf("%q is not system, user or system_gui", string(m.Execute.RunAs)))
	}
	if err := checkDuration("Manifest", "execute.timeout", m.Execute.Timeout); err != nil {
		return err
	}
	if err := m.Staleness.Validate(); err != nil {
		return invalid("Manifest", "staleness", err.Error())
	}
	if m.Inventory != nil {
		if err := validateExplode(m.Inventory.Explode); err != nil {
			return err
		}
	}
	return nil
}

// TimeoutSecs parses execute.timeout into whole seconds (Command.timeout_secs).
func (m Manifest) TimeoutSecs() (uint64, error) {
	if err := m.Execute.Timeout.Err(); err != nil {
		return 0, err
	}
	return m.Execute.Timeout.Seconds(), nil
}

// Command builds the Command the exec pipeline publishes for this manifest on
// one subject (§6.1 step 3): id/version/script settings from the manifest,
// jitter and deadline from the plan, staleness copied so the agent need not
// look the manifest up. requestID must be fresh per Command.
func (m Manifest) Command(requestID string, execID *string, plan FanoutPlan) (Command, error) {
	timeout, err := m.TimeoutSecs()
	if err != nil {
		return Command{}, err
	}
	jitter, err := plan.JitterSecs()
	if err != nil {
		return Command{}, err
	}
	var deadline *time.Time
	if plan.DeadlineAt != nil {
		d := *plan.DeadlineAt
		deadline = &d
	}
	return Command{
		ID: m.ID, Version: m.Version, RequestID: requestID, ExecID: execID,
		Shell: m.Execute.Shell, Script: m.Execute.Script, TimeoutSecs: timeout,
		JitterSecs: jitter, RunAs: m.Execute.RunAs.OrDefault(), Cwd: m.Execute.Cwd,
		DeadlineAt: deadline, Staleness: m.Staleness,
	}, nil
}
