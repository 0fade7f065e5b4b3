package wire

// ExecResponse is the answer of POST /api/exec/{job_id} (and of a scheduler
// fire): which exec was started and which subjects it was published to. The
// "exec" audit payload carries the same fields plus wave_mode.
type ExecResponse struct {
	ExecID      string   `json:"exec_id"`
	JobID       string   `json:"job_id"`
	Version     string   `json:"version"`
	TargetCount int      `json:"target_count"`
	Subjects    []string `json:"subjects"` // nil encodes as []
}

// MarshalJSON implements json.Marshaler (subjects is never null).
func (r ExecResponse) MarshalJSON() ([]byte, error) {
	type plain ExecResponse
	p := plain(r)
	if p.Subjects == nil {
		p.Subjects = []string{}
	}
	return Marshal(p)
}
