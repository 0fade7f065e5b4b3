package broker

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/kanade-console/kanade-console/backend/wire"
)

const day = 24 * time.Hour

// StreamSpec is the part of a stream's configuration kanade defines.
type StreamSpec struct {
	Name              string
	Subjects          []string
	MaxAge            time.Duration
	MaxMsgsPerSubject int64
}

// BucketSpec is the part of a KV bucket's configuration kanade defines.
type BucketSpec struct {
	Name    string
	History uint8
}

// Streams are the five streams of kanade 0.29, with its limits.
var Streams = []StreamSpec{
	{Name: wire.StreamInventory, Subjects: []string{wire.StreamInventorySubjects}, MaxAge: 90 * day},
	{Name: wire.StreamResults, Subjects: []string{wire.StreamResultsSubjects}, MaxAge: 30 * day},
	// One message per subject: a reconnecting agent replays only the newest
	// Command on each subject it listens to.
	{Name: wire.StreamExec, Subjects: []string{wire.StreamExecSubjects}, MaxAge: 7 * day, MaxMsgsPerSubject: 1},
	{Name: wire.StreamEvents, Subjects: []string{wire.StreamEventsSubjects}, MaxAge: 7 * day},
	{Name: wire.StreamAudit, Subjects: []string{wire.StreamAuditSubjects}},
}

// Buckets are the seven KV buckets of kanade 0.29.
var Buckets = []BucketSpec{
	{wire.BucketScriptCurrent, 5},
	{wire.BucketScriptStatus, 5},
	{wire.BucketAgentsState, 1},
	{wire.BucketAgentConfig, 5},
	{wire.BucketAgentGroups, 5},
	{wire.BucketSchedules, 5},
	{wire.BucketJobs, 5},
}

// ObjectStores are the object stores of kanade 0.29.
var ObjectStores = []string{wire.ObjectStoreAgentReleases}

// Bootstrap creates every stream, bucket and object store that is missing
// and brings the kanade-defined limits of existing ones in line, like
// kanade's create-or-update bootstrap. It leaves everything else of an
// existing resource alone (an operator's replicas or placement on a cluster
// survive a console start). Running it twice changes nothing.
func Bootstrap(ctx context.Context, js jetstream.JetStream, replicas int) error {
	return BootstrapReplicated(ctx, js, Replication{N: replicas})
}

// BootstrapReplicated is Bootstrap with r's replicas for new resources and,
// when r is explicit, for existing ones with fewer.
func BootstrapReplicated(ctx context.Context, js jetstream.JetStream, r Replication) error {
	replicas := r.n()
	for _, spec := range Streams {
		if err := ensureStream(ctx, js, spec, r); err != nil {
			return fmt.Errorf("stream %s: %w", spec.Name, err)
		}
	}
	for _, spec := range Buckets {
		if err := ensureBucket(ctx, js, spec, r); err != nil {
			return fmt.Errorf("kv bucket %s: %w", spec.Name, err)
		}
	}
	for _, name := range ObjectStores {
		if _, err := js.ObjectStore(ctx, name); err == nil {
			if err := r.scaleUp(ctx, js, "OBJ_"+name, "object store "+name); err != nil {
				return fmt.Errorf("object store %s: %w", name, err)
			}
			continue
		} else if !errors.Is(err, jetstream.ErrBucketNotFound) && !errors.Is(err, jetstream.ErrStreamNotFound) {
			return fmt.Errorf("object store %s: %w", name, err)
		}
		if _, err := js.CreateObjectStore(ctx, jetstream.ObjectStoreConfig{Bucket: name, Replicas: replicas}); err != nil && !errors.Is(err, jetstream.ErrBucketExists) {
			return fmt.Errorf("object store %s: %w", name, explainReplicas(replicas, err))
		}
	}
	return nil
}

func ensureStream(ctx context.Context, js jetstream.JetStream, spec StreamSpec, r Replication) error {
	replicas := r.n()
	s, err := js.Stream(ctx, spec.Name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		_, err = js.CreateStream(ctx, jetstream.StreamConfig{
			Name:              spec.Name,
			Subjects:          spec.Subjects,
			Storage:           jetstream.FileStorage,
			Retention:         jetstream.LimitsPolicy,
			Discard:           jetstream.DiscardOld,
			MaxAge:            spec.MaxAge,
			MaxMsgsPerSubject: orUnlimited(spec.MaxMsgsPerSubject),
			MaxMsgs:           -1,
			MaxBytes:          -1,
			Replicas:          replicas,
		})
		return explainReplicas(replicas, err)
	}
	if err != nil {
		return err
	}
	cfg := s.CachedInfo().Config
	want := cfg
	want.Subjects = spec.Subjects
	want.MaxAge = spec.MaxAge
	want.MaxMsgsPerSubject = orUnlimited(spec.MaxMsgsPerSubject)
	want.Discard = jetstream.DiscardOld
	want.Replicas = r.target(cfg.Replicas)
	if reflect.DeepEqual(cfg, want) {
		return nil
	}
	if _, err = js.UpdateStream(ctx, want); err != nil {
		return explainReplicas(want.Replicas, err)
	}
	if want.Replicas != cfg.Replicas {
		r.log().Info("scaled up JetStream replicas", "resource", "stream "+spec.Name, "from", cfg.Replicas, "to", want.Replicas)
	}
	return nil
}

func orUnlimited(n int64) int64 {
	if n == 0 {
		return -1
	}
	return n
}

func ensureBucket(ctx context.Context, js jetstream.JetStream, spec BucketSpec, r Replication) error {
	replicas := r.n()
	kv, err := js.KeyValue(ctx, spec.Name)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		_, err = js.CreateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: spec.Name, History: spec.History, Replicas: replicas})
		if errors.Is(err, jetstream.ErrBucketExists) {
			return nil // another console created it a moment ago
		}
		return explainReplicas(replicas, err)
	}
	if err != nil {
		return err
	}
	status, err := kv.Status(ctx)
	if err != nil {
		return err
	}
	if status.History() != int64(spec.History) {
		cfg := status.Config()
		cfg.History = spec.History
		if _, err = js.UpdateKeyValue(ctx, cfg); err != nil {
			return err
		}
	}
	return r.scaleUp(ctx, js, "KV_"+spec.Name, "kv "+spec.Name)
}

// Resource is one expected JetStream resource and whether it exists.
type Resource struct {
	Name   string `json:"name"`
	Exists bool   `json:"exists"`
}

// Resources is the presence report of GET /api/jetstream/status.
type Resources struct {
	Streams      []Resource `json:"streams"`
	KVBuckets    []Resource `json:"kv_buckets"`
	ObjectStores []Resource `json:"object_stores"`
}

// AllPresent reports whether nothing is missing.
func (r Resources) AllPresent() bool { return len(r.Missing()) == 0 }

// Missing lists the names of absent resources.
func (r Resources) Missing() []string {
	missing := []string{}
	for _, group := range [][]Resource{r.Streams, r.KVBuckets, r.ObjectStores} {
		for _, res := range group {
			if !res.Exists {
				missing = append(missing, res.Name)
			}
		}
	}
	return missing
}

// Total is the number of expected resources.
func (r Resources) Total() int { return len(r.Streams) + len(r.KVBuckets) + len(r.ObjectStores) }

// CheckResources reports which expected resources exist. A lookup error
// (NATS down) counts as missing, like kanade's status endpoint.
func CheckResources(ctx context.Context, js jetstream.JetStream) Resources {
	var r Resources
	for _, spec := range Streams {
		_, err := js.Stream(ctx, spec.Name)
		r.Streams = append(r.Streams, Resource{spec.Name, err == nil})
	}
	for _, spec := range Buckets {
		_, err := js.KeyValue(ctx, spec.Name)
		r.KVBuckets = append(r.KVBuckets, Resource{spec.Name, err == nil})
	}
	for _, name := range ObjectStores {
		_, err := js.ObjectStore(ctx, name)
		r.ObjectStores = append(r.ObjectStores, Resource{name, err == nil})
	}
	return r
}

// ExpectedStreams names every JetStream stream Bootstrap owns: the streams,
// and the streams behind the KV buckets and object stores.
func ExpectedStreams() []string {
	var out []string
	for _, s := range Streams {
		out = append(out, s.Name)
	}
	for _, b := range Buckets {
		out = append(out, "KV_"+b.Name)
	}
	for _, o := range ObjectStores {
		out = append(out, "OBJ_"+o)
	}
	return out
}

// Identities maps each existing stream Bootstrap owns to its creation time.
// A stream that is missing, or whose creation time changed, was lost by the
// server (a new node, a wiped store) or deleted: its sequences restarted.
func Identities(ctx context.Context, js jetstream.JetStream) (map[string]time.Time, error) {
	want := map[string]bool{}
	for _, name := range ExpectedStreams() {
		want[name] = true
	}
	out := map[string]time.Time{}
	lister := js.ListStreams(ctx)
	for info := range lister.Info() {
		if want[info.Config.Name] {
			out[info.Config.Name] = info.Created
		}
	}
	if err := lister.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
