package wire

// DefaultLogsTailLines is LogsRequest's struct-level serde default: a request
// without tail_lines (even "{}") asks for the last 500 lines.
const DefaultLogsTailLines = 500

// LogsRequest is the request body of the logs.fetch.{pc_id} request/reply;
// the reply is the raw UTF-8 tail of the agent log, not JSON (§5.5).
type LogsRequest struct {
	TailLines uint32 `json:"tail_lines"`
}

// MarshalJSON implements json.Marshaler.
func (l LogsRequest) MarshalJSON() ([]byte, error) {
	type plain LogsRequest
	return Marshal(plain(l))
}

// UnmarshalJSON implements json.Unmarshaler; a missing tail_lines is
// DefaultLogsTailLines.
func (l *LogsRequest) UnmarshalJSON(b []byte) error {
	o, err := parseObject("LogsRequest", b)
	if err != nil {
		return err
	}
	v := LogsRequest{TailLines: DefaultLogsTailLines}
	if err := o.defaulted("tail_lines", &v.TailLines); err != nil {
		return err
	}
	*l = v
	return nil
}
