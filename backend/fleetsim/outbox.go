package fleetsim

import (
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// outbox delivers a connection's results like the agent outbox: JetStream
// publish on results.<request_id>, re-published with backoff until a PubAck
// arrives (or the fleet is torn down). Publishes are asynchronous with at
// most Config.MaxInflight awaiting their PubAck; the JetStream ack/error
// callbacks identify a message by its *nats.Msg.
type outbox struct {
	c *conn

	mu       sync.Mutex
	queue    []*nats.Msg // FIFO from head
	head     int
	inflight map[*nats.Msg]struct{}
	tries    map[*nats.Msg]int // failed attempts of messages being retried
	backoff  int               // messages waiting out a retry delay
	wake     chan struct{}
}

func newOutbox(c *conn) *outbox {
	return &outbox{
		c:        c,
		inflight: make(map[*nats.Msg]struct{}),
		tries:    make(map[*nats.Msg]int),
		wake:     make(chan struct{}, 1),
	}
}

// enqueue encodes r and queues it for publishing.
func (o *outbox) enqueue(r wire.ExecResult) {
	data, err := wire.Marshal(r)
	if err != nil { // cannot happen for a well-formed ExecResult
		o.c.f.log.Error("fleetsim: encode result", "err", err)
		return
	}
	o.push(&nats.Msg{Subject: wire.SubjectResults(r.RequestID), Data: data})
}

func (o *outbox) push(m *nats.Msg) {
	o.mu.Lock()
	o.queue = append(o.queue, m)
	o.mu.Unlock()
	o.signal()
}

func (o *outbox) signal() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// pending counts results not yet acknowledged.
func (o *outbox) pending() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.queue) - o.head + len(o.inflight) + o.backoff
}

// run is the publisher goroutine.
func (o *outbox) run() {
	max := o.c.f.cfg.MaxInflight
	for {
		o.mu.Lock()
		for o.head == len(o.queue) || len(o.inflight) >= max {
			o.mu.Unlock()
			select {
			case <-o.wake:
			case <-o.c.quit:
				return
			}
			o.mu.Lock()
		}
		m := o.queue[o.head]
		o.queue[o.head] = nil
		o.head++
		switch {
		case o.head == len(o.queue):
			o.queue, o.head = o.queue[:0], 0
		case o.head >= 4096 && 2*o.head >= len(o.queue):
			n := copy(o.queue, o.queue[o.head:])
			clear(o.queue[n:])
			o.queue, o.head = o.queue[:n], 0
		}
		o.inflight[m] = struct{}{}
		o.mu.Unlock()
		if _, err := o.c.js.PublishMsgAsync(m); err != nil {
			o.failed(m, err)
		}
	}
}

// acked is the PubAck callback.
func (o *outbox) acked(m *nats.Msg) {
	o.mu.Lock()
	if _, ok := o.inflight[m]; ok {
		// Counted before it leaves pending(), so a Stats snapshot taken
		// when pending() is 0 already includes it.
		o.c.f.stats.published.Add(1)
	}
	delete(o.inflight, m)
	delete(o.tries, m)
	o.mu.Unlock()
	o.signal()
}

// failed is the publish error callback: the message is queued again after
// an exponential backoff (250 ms … 10 s).
func (o *outbox) failed(m *nats.Msg, err error) {
	o.mu.Lock()
	if _, ok := o.inflight[m]; !ok {
		o.mu.Unlock()
		return
	}
	delete(o.inflight, m)
	o.tries[m]++
	n := o.tries[m]
	o.backoff++
	o.mu.Unlock()
	o.signal()
	f := o.c.f
	f.stats.retries.Add(1)
	if n == 1 || n%20 == 0 {
		f.log.Warn("fleetsim: result publish failed; retrying", "subject", m.Subject, "attempt", n, "err", err)
	}
	delay := min(250*time.Millisecond<<min(n-1, 6), 10*time.Second)
	time.AfterFunc(delay, func() {
		o.mu.Lock()
		o.backoff--
		o.queue = append(o.queue, m)
		o.mu.Unlock()
		o.signal()
	})
}
