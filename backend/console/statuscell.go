package console

import "sync"

// statusCell holds a status that background work updates and Status reads:
// nil until set, and readers get a copy so they never see a half-written
// value.
type statusCell[T any] struct {
	mu sync.Mutex
	st *T
}

func (c *statusCell[T]) get() *T {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.st == nil {
		return nil
	}
	cp := *c.st
	return &cp
}

func (c *statusCell[T]) set(st *T) {
	c.mu.Lock()
	c.st = st
	c.mu.Unlock()
}

// update changes the value in place when there is one.
func (c *statusCell[T]) update(fn func(*T)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.st != nil {
		fn(c.st)
	}
}
