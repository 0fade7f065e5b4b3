package console

import (
	"sync"
	"time"

	"github.com/kanade-console/kanade-console/backend/projector"
	"github.com/kanade-console/kanade-console/backend/store"
)

// Event names pushed to the desktop UI (Wails runtime events), so its views
// refresh when the projection changes instead of polling.
const (
	EventResults    = "kanade:results"
	EventAgents     = "kanade:agents"
	EventExecutions = "kanade:executions"
)

// Event tells a subscriber what changed.
type Event struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// events fans projection changes out to subscribers, at most one event per
// name per 250 ms: a 50,000-result broadcast must not become 50,000 UI
// refreshes.
type events struct {
	mu      sync.Mutex
	subs    map[int]func(Event)
	next    int
	pending map[string]int
	timer   *time.Timer
}

// Subscribe registers fn for projection events and returns its cancel.
func (c *Console) Subscribe(fn func(Event)) (cancel func()) {
	e := &c.ev
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.subs == nil {
		e.subs = map[int]func(Event){}
	}
	id := e.next
	e.next++
	e.subs[id] = fn
	return func() {
		e.mu.Lock()
		delete(e.subs, id)
		e.mu.Unlock()
	}
}

func (e *events) emit(name string, n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.subs) == 0 || n == 0 {
		return
	}
	if e.pending == nil {
		e.pending = map[string]int{}
	}
	e.pending[name] += n
	if e.timer == nil {
		e.timer = time.AfterFunc(250*time.Millisecond, e.flush)
	}
}

func (e *events) flush() {
	e.mu.Lock()
	pending, subs := e.pending, make([]func(Event), 0, len(e.subs))
	for _, fn := range e.subs {
		subs = append(subs, fn)
	}
	e.pending, e.timer = nil, nil
	e.mu.Unlock()
	for name, n := range pending {
		for _, fn := range subs {
			fn(Event{Name: name, Count: n})
		}
	}
}

// hookEvents connects the projectors to the event fan-out.
func (c *Console) hookEvents() {
	c.results.AfterCommit = func(batch []projector.Decoded) {
		c.ev.emit(EventResults, len(batch))
		c.ev.emit(EventExecutions, len(batch))
	}
	c.events.AfterCommit = func(batch []projector.Decoded) { c.ev.emit(EventExecutions, len(batch)) }
	c.heartbeats.OnFlush = func(a []store.Agent) { c.ev.emit(EventAgents, len(a)) }
}
