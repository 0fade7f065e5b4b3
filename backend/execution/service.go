package execution

import (
	"context"
	"log/slog"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/svcerr"
)

// AliveWindow is kanade's liveness rule: a heartbeat within two minutes.
const AliveWindow = 2 * time.Minute

// GroupMembers resolves a group to its member PCs (the agent_groups mirror).
type GroupMembers interface {
	Members(group string) []string
}

// Options are the Service's dependencies.
type Options struct {
	Conn   *nats.Conn
	JS     jetstream.JetStream
	Store  *store.Store
	Groups GroupMembers
	Logger *slog.Logger
	// Clock is the service's time: exec and audit times and when delayed
	// waves are due (nil: the real clock; tests pass a fake one).
	Clock clockwork.Clock
	// OpenBucket opens or creates the console's waves bucket; nil means
	// CreateOrUpdateKeyValue (the console passes one that keeps replicas).
	OpenBucket func(context.Context, jetstream.KeyValueConfig) (jetstream.KeyValue, error)
}

// Service runs execs and the other agent-facing operations.
type Service struct {
	nc     *nats.Conn
	js     jetstream.JetStream
	store  *store.Store
	groups GroupMembers
	log    *slog.Logger
	clock  clockwork.Clock
	waves  *waveQueue

	openBucket func(context.Context, jetstream.KeyValueConfig) (jetstream.KeyValue, error)
}

// New builds the service; Start opens its own KV bucket and StartWaves fires
// delayed waves.
func New(o Options) *Service {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Clock == nil {
		o.Clock = clockwork.NewRealClock()
	}
	s := &Service{nc: o.Conn, js: o.JS, store: o.Store, groups: o.Groups, log: o.Logger.With("component", "execution"), clock: o.Clock}
	s.openBucket = o.OpenBucket
	if s.openBucket == nil {
		s.openBucket = o.JS.CreateOrUpdateKeyValue
	}
	s.waves = newWaveQueue(s)
	return s
}

func (s *Service) now() time.Time { return s.clock.Now() }

// kv opens a kanade bucket, mapping "missing" to a 503 like 0.29.
func (s *Service) kv(ctx context.Context, bucket string) (jetstream.KeyValue, error) {
	kv, err := s.js.KeyValue(ctx, bucket)
	if err != nil {
		return nil, svcerr.New(svcerr.KindUnavailable, err, "KV bucket %s unavailable", bucket)
	}
	return kv, nil
}
