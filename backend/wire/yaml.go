package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"
)

// ParseManifestYAML parses a job manifest as authored for `kanade job create`
// and applies exactly the JSON decoding rules (required fields, defaults,
// deny_unknown_fields), so the result is what would be stored in jobs.
func ParseManifestYAML(data []byte) (Manifest, error) {
	var m Manifest
	err := decodeYAML(data, "Manifest", manifestBoolPaths, &m)
	return m, err
}

// ParseScheduleYAML parses a schedule as authored for `kanade schedule
// create`, with the same rules as the JSON decoder.
func ParseScheduleYAML(data []byte) (Schedule, error) {
	var s Schedule
	err := decodeYAML(data, "Schedule", scheduleBoolPaths, &s)
	return s, err
}

// The boolean fields of each document. Every other scalar is handed to the
// JSON decoder as a string (see yamlToJSON).
var (
	manifestBoolPaths = map[string]bool{"require_approval": true,
		"inventory.explode[].columns[].index": true, "inventory.explode[].track_history": true}
	scheduleBoolPaths = map[string]bool{"target.all": true, "auto_disable_when_done": true, "enabled": true}
)

func decodeYAML(data []byte, typ string, boolPaths map[string]bool, dst any) error {
	j, err := yamlToJSON(data, boolPaths)
	if err != nil {
		return &DecodeError{Type: typ, Err: err}
	}
	return json.Unmarshal(j, dst)
}

// yamlToJSON converts one YAML document to JSON for the wire decoders.
//
// Going through an untyped value would lose information: serde_yaml puts the
// text of any scalar into a String field, so `version: 1.0` is "1.0" and
// `script: yes` is "yes", while a generic decode would produce the number 1
// and true. So scalars become JSON strings with their text verbatim, except
// nulls (so Option fields read None) and booleans at the known bool paths.
// Like serde_yaml, more than one document is an error, merge keys (<<) are
// ordinary keys and duplicate keys are rejected.
func yamlToJSON(data []byte, boolPaths map[string]bool) ([]byte, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: empty YAML document", ErrInvalidType)
		}
		return nil, fmt.Errorf("yaml: %w", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err == nil {
			return nil, fmt.Errorf("%w: more than one YAML document", ErrInvalidType)
		}
		return nil, fmt.Errorf("yaml: %w", err)
	}
	c := &yamlConverter{boolPaths: boolPaths, budget: maxYAMLNodes}
	v, err := c.value(&doc, "", 0)
	if err != nil {
		return nil, err
	}
	return Marshal(v)
}

// maxYAMLNodes bounds the work of expanding aliases, so a small document
// with nested aliases ("billion laughs") cannot blow up.
const maxYAMLNodes = 100_000

type yamlConverter struct {
	boolPaths map[string]bool
	budget    int
}

func (c *yamlConverter) value(n *yaml.Node, path string, depth int) (any, error) {
	c.budget--
	if depth > 256 || c.budget < 0 {
		return nil, fmt.Errorf("%w: YAML document too deeply nested or too large", ErrInvalidType)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0], path, depth+1)
	case yaml.AliasNode:
		return c.value(n.Alias, path, depth+1)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml.AliasNode {
				k = k.Alias
			}
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("%w: line %d: mapping keys must be scalars", ErrInvalidType, k.Line)
			}
			if _, dup := m[k.Value]; dup {
				return nil, fmt.Errorf("%w: line %d: duplicate key %q", ErrDuplicateField, k.Line, k.Value)
			}
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			v, err := c.value(n.Content[i+1], p, depth+1)
			if err != nil {
				return nil, err
			}
			m[k.Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			v, err := c.value(e, path+"[]", depth+1)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil, nil
		case "!!bool":
			if c.boolPaths[path] {
				var b bool
				if err := n.Decode(&b); err != nil {
					return nil, err
				}
				return b, nil
			}
		}
		return n.Value, nil
	}
	return nil, fmt.Errorf("%w: unsupported YAML node at line %d", ErrInvalidType, n.Line)
}
