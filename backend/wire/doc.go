// Package wire holds the kanade 0.29 wire types: the JSON that real kanade
// agents (Rust, serde) and the kanade CLI put on NATS subjects, in KV buckets
// and in HTTP bodies, plus the NATS subject, stream and bucket names.
//
// The reference is spec/kanade-0.29-protocol.md (§2, §4, §5, §9). Everything
// here is written to be byte-compatible with serde_json:
//
//   - keys are encoded in Rust struct order (Go encodes struct fields in
//     declaration order, so the private *JSON shadow structs mirror the Rust
//     field order);
//   - Option fields are either always present (null when unset) or omitted
//     when unset, exactly as the Rust side serialises them;
//   - decoding is as strict as serde: keys match case-sensitively, a known key
//     given twice is an error, required fields must be present and non-null,
//     and only Manifest rejects unknown keys (deny_unknown_fields);
//   - defaults (run_as=system, staleness=cached, enabled=true, ...) are filled
//     in on decode, and a zero Go value encodes as the Rust default.
//
// Use Marshal (not json.Marshal) when the exact bytes matter, e.g. when
// writing KV values: json.Marshal escapes <, > and & as \u003c..., which
// serde never does. Both forms decode identically on every side.
//
// humantime strings ("5m", "1h 30m") are carried by Duration, which keeps the
// text exactly as written so stored values round-trip byte for byte; like the
// Rust side (where these fields are plain Strings), a malformed duration
// decodes fine and is reported by Validate or Duration.Err.
package wire
