package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Replication is how many copies of each stream and bucket the console asks
// for. A new resource gets N. An existing one keeps what it has (an operator
// may have placed it by hand) unless the operator asked for N explicitly and
// it has fewer: then it is scaled up, and the log says so. Nothing is ever
// scaled down.
type Replication struct {
	N        int
	Explicit bool
	Log      *slog.Logger
}

func (r Replication) n() int { return max(r.N, 1) }

func (r Replication) log() *slog.Logger {
	if r.Log == nil {
		return slog.Default()
	}
	return r.Log
}

// target is the replica count an existing resource with have replicas
// should end up with.
func (r Replication) target(have int) int {
	if r.Explicit && r.n() > have {
		return r.n()
	}
	return have
}

// scaleUp raises the replicas of an existing stream (a KV bucket is stream
// KV_<bucket>, an object store OBJ_<name>) to r.target.
func (r Replication) scaleUp(ctx context.Context, js jetstream.JetStream, stream, what string) error {
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return err
	}
	cfg := s.CachedInfo().Config
	want := r.target(cfg.Replicas)
	if want == cfg.Replicas {
		return nil
	}
	from := cfg.Replicas
	cfg.Replicas = want
	if _, err := js.UpdateStream(ctx, cfg); err != nil {
		return explainReplicas(want, fmt.Errorf("scale %s from %d to %d replicas: %w", what, from, want, err))
	}
	r.log().Info("scaled up JetStream replicas", "resource", what, "from", from, "to", want)
	return nil
}

// EnsureKeyValue opens bucket cfg.Bucket, creating it with r's replicas if
// it is missing. An existing bucket keeps its replicas (or is scaled up, see
// Replication) and gets cfg's other settings when they differ. The console's
// own buckets (scheduler lease, tick claims, waves) use it instead of
// CreateOrUpdateKeyValue, which would reset an R3 bucket to R1.
func EnsureKeyValue(ctx context.Context, js jetstream.JetStream, cfg jetstream.KeyValueConfig, r Replication) (jetstream.KeyValue, error) {
	kv, err := js.KeyValue(ctx, cfg.Bucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		cfg.Replicas = r.n()
		kv, err = js.CreateKeyValue(ctx, cfg)
		if errors.Is(err, jetstream.ErrBucketExists) {
			return js.KeyValue(ctx, cfg.Bucket) // another console was faster
		}
		return kv, explainReplicas(cfg.Replicas, err)
	}
	if err != nil {
		return nil, err
	}
	status, err := kv.Status(ctx)
	if err != nil {
		return nil, err
	}
	have := status.Config()
	cfg.Replicas = r.target(have.Replicas)
	if cfg.History == 0 {
		cfg.History = 1
	}
	if have.History == cfg.History && have.TTL == cfg.TTL && have.Description == cfg.Description && have.Replicas == cfg.Replicas {
		return kv, nil
	}
	kv, err = js.UpdateKeyValue(ctx, cfg)
	if err != nil {
		return nil, explainReplicas(cfg.Replicas, err)
	}
	if cfg.Replicas != have.Replicas {
		r.log().Info("scaled up JetStream replicas", "resource", "kv "+cfg.Bucket, "from", have.Replicas, "to", cfg.Replicas)
	}
	return kv, nil
}

// KeyValueOpener is EnsureKeyValue bound to js and r, in the shape the
// scheduler and the execution service take.
func (r Replication) KeyValueOpener(js jetstream.JetStream) func(context.Context, jetstream.KeyValueConfig) (jetstream.KeyValue, error) {
	return func(ctx context.Context, cfg jetstream.KeyValueConfig) (jetstream.KeyValue, error) {
		return EnsureKeyValue(ctx, js, cfg, r)
	}
}

// ErrReplicas is wrapped by errors that mean the servers cannot hold that
// many replicas: retrying will not help, the configuration must change.
var ErrReplicas = errors.New("not enough JetStream servers for the replicas asked for")

// explainReplicas turns the server's placement refusals into ErrReplicas
// with a sentence an operator can act on.
func explainReplicas(n int, err error) error {
	var apiErr *jetstream.APIError
	if err == nil || !errors.As(err, &apiErr) {
		return err
	}
	switch apiErr.ErrorCode {
	case 10074: // replicas > 1 not supported in non-clustered mode
		return fmt.Errorf("%w: --nats-replicas %d but the NATS server is not clustered (%v)", ErrReplicas, n, err)
	case 10005, 10023: // no suitable peers for placement; insufficient resources
		return fmt.Errorf("%w: --nats-replicas %d but the NATS cluster has fewer JetStream servers with room (%v)", ErrReplicas, n, err)
	}
	return err
}

// CheckReplicas proves the servers can place r.N replicas before anything
// is created: it creates and deletes a small memory stream with that many.
// It retries transient failures (a cluster still electing its meta leader)
// until ctx ends; a placement refusal returns ErrReplicas at once. N = 1 is
// not checked.
func CheckReplicas(ctx context.Context, js jetstream.JetStream, r Replication, probeID string) error {
	if r.n() <= 1 {
		return nil
	}
	name := "KANADE_CONSOLE_REPLICA_PROBE_" + probeID
	var last error
	for {
		attempt, cancel := context.WithTimeout(ctx, 5*time.Second)
		_, err := js.CreateStream(attempt, jetstream.StreamConfig{
			Name: name, Subjects: []string{"_kanade_console.probe." + probeID},
			Storage: jetstream.MemoryStorage, Replicas: r.n(), MaxMsgs: 1,
		})
		if err == nil {
			_ = js.DeleteStream(attempt, name)
		}
		cancel()
		if err == nil {
			return nil
		}
		if err = explainReplicas(r.n(), err); errors.Is(err, ErrReplicas) {
			return err
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("checking that the NATS cluster can hold %d replicas: %w (last error: %v)", r.n(), ctx.Err(), last)
		case <-time.After(250 * time.Millisecond):
		}
	}
}
