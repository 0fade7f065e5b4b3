package execution

import (
	"encoding/json"
	"fmt"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// manifestKeys are the keys of a 0.29 Manifest (its Extra is the rest).
var manifestKeys = []string{"id", "version", "description", "execute", "require_approval", "inventory", "staleness"}

// Job is one value of the jobs bucket as this console reads it. Reading
// never fails and never panics: a value that is not a manifest this console
// understands is Supported == false with a Reason.
type Job struct {
	Key       string
	Raw       []byte
	Manifest  wire.Manifest // meaningful when Supported
	Supported bool
	Reason    string
}

// ReadJob reads one jobs value.
func ReadJob(key string, value []byte) (j Job) {
	j = Job{Key: key, Raw: value}
	defer func() {
		if r := recover(); r != nil {
			j.Supported, j.Reason = false, fmt.Sprintf("unreadable job (%v)", r)
		}
	}()
	var m wire.Manifest
	if err := json.Unmarshal(value, &m); err != nil {
		reason := err.Error()
		if len(reason) > 300 {
			reason = reason[:300] + "…"
		}
		j.Reason = "unreadable job: " + reason
		return j
	}
	j.Manifest, j.Supported = m, true
	return j
}

// MarshalJSON is the listed form: the stored manifest (with any keys a
// newer kanade added), or for an unreadable value its id, the stored object
// if it is one, "supported": false and the reason.
func (j Job) MarshalJSON() ([]byte, error) {
	if j.Supported {
		return wire.Marshal(j.Manifest)
	}
	base := j.Raw
	if _, err := wire.ObjectFields(base); err != nil {
		base = []byte("{}")
	}
	id, _ := wire.Marshal(j.Key)
	reason, _ := wire.Marshal(j.Reason)
	out, err := wire.SetFields(base, wire.Extra{{Key: "id", Value: id}}, false)
	if err != nil {
		return nil, err
	}
	return wire.SetFields(out, wire.Extra{{Key: "supported", Value: json.RawMessage("false")}, {Key: "reason", Value: reason}}, true)
}

// storedJobExtra is what a re-save must keep of a stored job: its unknown
// top-level keys, also when the value as a whole could not be read.
func storedJobExtra(value []byte) wire.Extra {
	fields, err := wire.ObjectFields(value)
	if err != nil {
		return nil
	}
	return fields.Without(manifestKeys...)
}

// JSONShape describes the listed form for /api/openapi.json: the manifest,
// or for a stored value this console cannot read, its keys with id,
// supported false and the reason.
func (Job) JSONShape() any { return wire.JSONAnyOf{wire.Manifest{}, unreadableJob{}} }

type unreadableJob struct {
	ID        string `json:"id"`
	Supported bool   `json:"supported"`
	Reason    string `json:"reason"`
	Extra     wire.Extra
}
