package wire

// The live output tail of a running script (kanade v0.30+,
// crates/kanade-shared/src/wire/jobtail.rs): the backend sends a NATS
// request on job.tail.{pc_id} with a JobTailRequest, and the agent running
// the result answers with its ring-buffer tail of stdout and stderr.

// SubjectJobTail is job.tail.{pc_id}, the request subject of the tail.
func SubjectJobTail(pcID string) string { return "job.tail." + pcID }

// JobTailRequest asks an agent for the output of one of its runs.
type JobTailRequest struct {
	ResultID string `json:"result_id"`
}

// MarshalJSON implements json.Marshaler.
func (r JobTailRequest) MarshalJSON() ([]byte, error) {
	type plain JobTailRequest
	return Marshal(plain(r))
}

// UnmarshalJSON implements json.Unmarshaler; result_id is required.
func (r *JobTailRequest) UnmarshalJSON(b []byte) error {
	o, err := parseObject("JobTailRequest", b)
	if err != nil {
		return err
	}
	var v JobTailRequest
	if err := o.required("result_id", &v.ResultID); err != nil {
		return err
	}
	*r = v
	return nil
}

// JobTailReply is the agent's answer. Every field has a serde default, so
// "{}" is a valid reply (found false). Found false means the agent does not
// know the result id (it finished and was forgotten, or never ran there);
// the *_truncated flags say the text is a suffix of the whole output.
type JobTailReply struct {
	Found           bool   `json:"found"`
	Running         bool   `json:"running"`
	Stdout          string `json:"stdout"`
	Stderr          string `json:"stderr"`
	StdoutTruncated bool   `json:"stdout_truncated"`
	StderrTruncated bool   `json:"stderr_truncated"`
}

// MarshalJSON implements json.Marshaler in the Rust field order.
func (r JobTailReply) MarshalJSON() ([]byte, error) {
	type plain JobTailReply
	return Marshal(plain(r))
}

// UnmarshalJSON implements json.Unmarshaler: absent fields take their
// defaults, null and wrong types are errors (as in serde).
func (r *JobTailReply) UnmarshalJSON(b []byte) error {
	o, err := parseObject("JobTailReply", b)
	if err != nil {
		return err
	}
	var v JobTailReply
	if err := firstErr(
		o.defaulted("found", &v.Found),
		o.defaulted("running", &v.Running),
		o.defaulted("stdout", &v.Stdout),
		o.defaulted("stderr", &v.Stderr),
		o.defaulted("stdout_truncated", &v.StdoutTruncated),
		o.defaulted("stderr_truncated", &v.StderrTruncated),
	); err != nil {
		return err
	}
	*r = v
	return nil
}

// DecodeJobTailReply decodes an agent's reply.
func DecodeJobTailReply(b []byte) (JobTailReply, error) {
	var r JobTailReply
	err := r.UnmarshalJSON(b)
	return r, err
}
