package api

import (
	"log"
	"net/http"
	"time"
)

// Timeouts bound how long a client may hold a connection. Without them a
// slow-body or idle keep-alive client kept its connection (and a file
// descriptor) forever; 100 such connections stayed open after 40 s.
type Timeouts struct {
	ReadHeader time.Duration // request line and headers
	Read       time.Duration // the whole request, body included
	Write      time.Duration // from the end of the headers to the end of the answer
	Idle       time.Duration // a keep-alive connection between requests
	// Long replaces Read and Write on the routes that legitimately take
	// long: the agent upload and the waits (POST /api/run,
	// /api/agents/{pc_id}/ping), which also extend it to their own wait.
	Long time.Duration
}

// DefaultTimeouts suit the API's answers (small bodies; an unpaged list of
// 100,000 agents streams in about a second on loopback).
var DefaultTimeouts = Timeouts{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Write: 2 * time.Minute, Idle: 60 * time.Second, Long: 15 * time.Minute}

func (t Timeouts) orDefaults() Timeouts {
	d := DefaultTimeouts
	if t.ReadHeader > 0 {
		d.ReadHeader = t.ReadHeader
	}
	if t.Read > 0 {
		d.Read = t.Read
	}
	if t.Write > 0 {
		d.Write = t.Write
	}
	if t.Idle > 0 {
		d.Idle = t.Idle
	}
	if t.Long > 0 {
		d.Long = t.Long
	}
	return d
}

// HTTPServer is an http.Server for s with its timeouts; serve and the
// desktop app's listener both use it.
func (s *Server) HTTPServer(errorLog *log.Logger) *http.Server {
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: s.timeouts.ReadHeader,
		ReadTimeout:       s.timeouts.Read,
		WriteTimeout:      s.timeouts.Write,
		IdleTimeout:       s.timeouts.Idle,
		ErrorLog:          errorLog,
	}
}

// longRoute gives a route the Long deadlines instead of the server's Read
// and Write timeouts. (When the read deadline passes, net/http also cancels
// the request's context, so a wait needs it extended, not only the write.)
func (s *Server) longRoute(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.holdFor(w, s.timeouts.Long)
		h(w, r)
	}
}

// holdFor moves the connection's deadlines to at least d from now (a wait
// of d plus a margin for the answer).
func (s *Server) holdFor(w http.ResponseWriter, d time.Duration) {
	rc := http.NewResponseController(w)
	until := time.Now().Add(d + 30*time.Second)
	_ = rc.SetReadDeadline(until)
	_ = rc.SetWriteDeadline(until)
}

// uploadSlots bounds concurrent agent uploads: each holds up to 64 MiB in
// memory until it is stored (four at once took RSS from 36 to 551 MB).
const uploadSlots = 2

// acquireUpload takes an upload slot or answers 503 with Retry-After.
func (s *Server) acquireUpload(w http.ResponseWriter) bool {
	select {
	case s.uploads <- struct{}{}:
		return true
	default:
		w.Header().Set("Retry-After", "10")
		writeError(w, http.StatusServiceUnavailable, "another agent upload is in progress; try again shortly")
		return false
	}
}

func (s *Server) releaseUpload() { <-s.uploads }
