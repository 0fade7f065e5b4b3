package api

import (
	"context"
	"net/http"
	"testing"

	"github.com/kanade-console/kanade-console/backend/api/apiclient"
)

// The client oapi-codegen generated from docs/openapi.json drives a real
// console: list agents, create a job, fan it out, read the execution until
// the simulated agents answered, and list the results. Its requests pass
// through checkingTransport, so every answer is also validated.
func TestGeneratedClient(t *testing.T) {
	e := newEnv(t, 3)
	ctx := context.Background()
	c, err := apiclient.NewClientWithResponses(e.srv.URL, apiclient.WithHTTPClient(&http.Client{Transport: checkingTransport{t}}))
	if err != nil {
		t.Fatal(err)
	}
	agents, err := c.GetAgentsWithResponse(ctx, &apiclient.GetAgentsParams{})
	if err != nil || agents.JSON200 == nil || len(*agents.JSON200) != 3 || agents.HTTPResponse.Header.Get("X-Total-Count") != "3" {
		t.Fatalf("GET /api/agents: %v %s", err, agents.Body)
	}
	job, err := c.PostJobsWithResponse(ctx, apiclient.Manifest{
		Id: "hello", Version: "1.0.0",
		Execute:   apiclient.Execute{Shell: apiclient.Cmd, Script: "echo hello", Timeout: "1m", RunAs: apiclient.System},
		Staleness: apiclient.Staleness{Mode: apiclient.Cached},
	})
	if err != nil || job.JSON200 == nil || job.JSON200.Id != "hello" {
		t.Fatalf("POST /api/jobs: %v %s", err, job.Body)
	}
	ex, err := c.PostExecJobIdWithResponse(ctx, "hello", apiclient.FanoutPlan{Target: apiclient.Target{All: true, Groups: &[]string{}, Pcs: &[]string{}}})
	if err != nil || ex.JSON200 == nil || ex.JSON200.TargetCount != 3 {
		t.Fatalf("POST /api/exec/hello: %v %s", err, ex.Body)
	}
	e.waitFor("the execution completed, read by the generated client", func() bool {
		d, err := c.GetExecutionsExecIdWithResponse(ctx, ex.JSON200.ExecId, &apiclient.GetExecutionsExecIdParams{})
		return err == nil && d.JSON200 != nil && d.JSON200.Execution.Status == "completed" && d.JSON200.Execution.SuccessCount+d.JSON200.Execution.FailureCount == 3
	})
	limit := 2
	res, err := c.GetResultsWithResponse(ctx, &apiclient.GetResultsParams{ExecId: &ex.JSON200.ExecId, Limit: &limit})
	if err != nil || res.JSON200 == nil || len(*res.JSON200) != 2 || res.HTTPResponse.Header.Get("X-Total-Count") != "3" {
		t.Fatalf("GET /api/results: %v %s", err, res.Body)
	}
	missing, err := c.GetAgentsPcIdWithResponse(ctx, "NO-SUCH-PC")
	if err != nil || missing.StatusCode() != http.StatusNotFound {
		t.Fatalf("GET /api/agents/NO-SUCH-PC: %v %d %s", err, missing.StatusCode(), missing.Body)
	}
}
