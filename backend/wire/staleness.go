package wire

import (
	"encoding/json"
	"fmt"
)

// StalenessMode is the tag of the Staleness policy (v0.26).
type StalenessMode string

const (
	StalenessCached    StalenessMode = "cached"
	StalenessStrict    StalenessMode = "strict"
	StalenessUnchecked StalenessMode = "unchecked"
)

// Staleness says what an agent does when it cannot confirm that its cached
// script_current / script_status entries are fresh. On the wire it is a serde
// internally tagged enum: {"mode":"cached"} (the default and the zero value),
// {"mode":"strict","max_cache_age":"5m"} or {"mode":"unchecked"}.
type Staleness struct {
	Mode StalenessMode
	// MaxCacheAge is required for (and only encoded with) StalenessStrict. It
	// is a plain String in Rust, so a malformed value decodes; Validate
	// rejects it.
	MaxCacheAge Duration
	// Extra: keys this console does not know (a newer kanade's), kept so
	// a re-save writes them back. serde ignores them in an internally tagged
	// variant, so 0.29 agents accept them.
	Extra Extra
}

// StrictStaleness builds {"mode":"strict","max_cache_age":…}.
func StrictStaleness(maxCacheAge Duration) Staleness {
	return Staleness{Mode: StalenessStrict, MaxCacheAge: maxCacheAge}
}

// EffectiveMode maps the zero value to StalenessCached.
func (s Staleness) EffectiveMode() StalenessMode {
	if s.Mode == "" {
		return StalenessCached
	}
	return s.Mode
}

// Validate checks the mode and, for strict, the humantime max_cache_age.
func (s Staleness) Validate() error {
	switch s.EffectiveMode() {
	case StalenessCached, StalenessUnchecked:
		return nil
	case StalenessStrict:
		return checkDuration("Staleness", "max_cache_age", s.MaxCacheAge)
	}
	return invalid("Staleness", "mode", fmt.Sprintf("unknown mode %q", s.Mode))
}

type stalenessStrictJSON struct {
	Mode        StalenessMode `json:"mode"`
	MaxCacheAge Duration      `json:"max_cache_age"`
}

type stalenessJSON struct {
	Mode StalenessMode `json:"mode"`
}

// MarshalJSON implements json.Marshaler.
func (s Staleness) MarshalJSON() ([]byte, error) {
	var b []byte
	var err error
	switch m := s.EffectiveMode(); m {
	case StalenessStrict:
		b, err = Marshal(stalenessStrictJSON{m, s.MaxCacheAge})
	case StalenessCached, StalenessUnchecked:
		b, err = Marshal(stalenessJSON{m})
	default:
		return nil, fmt.Errorf("wire: %w: staleness mode %q", ErrInvalidValue, s.Mode)
	}
	if err != nil {
		return nil, err
	}
	return withExtra(b, s.Extra)
}

// UnmarshalJSON implements json.Unmarshaler. The mode tag is required, an
// unknown mode is an error, and other keys are kept in Extra (serde ignores
// extra keys in internally tagged variants; this console writes them back).
func (s *Staleness) UnmarshalJSON(b []byte) error {
	o, err := parseObject("Staleness", b)
	if err != nil {
		return err
	}
	var mode string
	if err := o.required("mode", &mode); err != nil {
		return err
	}
	switch m := StalenessMode(mode); m {
	case StalenessCached, StalenessUnchecked:
		*s = Staleness{Mode: m}
	case StalenessStrict:
		var age Duration
		if err := o.required("max_cache_age", &age); err != nil {
			return err
		}
		*s = Staleness{Mode: m, MaxCacheAge: age}
	default:
		return &DecodeError{Type: "Staleness", Path: "mode",
			Err: fmt.Errorf("%w: unknown mode %q (want cached, strict or unchecked)", ErrInvalidValue, mode)}
	}
	// max_cache_age is the policy's own field, read only by strict: it is
	// dropped outside strict, not kept as an unknown key.
	o.known["max_cache_age"] = true
	s.Extra = o.unknown()
	return nil
}

var _ json.Unmarshaler = (*Staleness)(nil)
