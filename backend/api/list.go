package api

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/kanade-console/kanade-console/backend/store"
)

// kanade 0.29's catalog and fleet lists (jobs, schedules, agents, releases,
// inventory probes and a probe's fleet table) have no default page: the
// kanade CLI and scripts call them without limit and expect every row. Those
// routes stream the array row by row from the database cursor, so memory
// stays flat however many rows there are; with limit/offset they page like
// every other list. The SPA always asks for pages.

// allRows is the page size of a list asked for without limit: every row
// (Limit -1, which SQLite reads as no limit).
const allRows = -1

// pageOrAll reads limit/offset; without limit the page is every row.
func pageOrAll(r *http.Request) (store.Page, error) {
	return pagingOf(r.URL.Query()).Page(allRows)
}

// arrayStream writes a JSON array one element at a time.
type arrayStream struct {
	w   *bufio.Writer
	enc *json.Encoder
	n   int
}

// startStream sends the headers and the text before the first element,
// e.g. "[" or `{"rows":[`.
func startStream(w http.ResponseWriter, total int, prefix string) *arrayStream {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 32<<10)
	bw.WriteString(prefix)
	return &arrayStream{w: bw, enc: json.NewEncoder(bw)}
}

func (a *arrayStream) add(v any) error {
	if a.n > 0 {
		a.w.WriteByte(',')
	}
	a.n++
	return a.enc.Encode(v)
}

func (a *arrayStream) end(suffix string) error {
	a.w.WriteString(suffix + "\n") // like json.Encoder, as writeJSON ends
	return a.w.Flush()
}

// abortStream ends a response whose rows failed half-way: the status is
// already sent, so the connection is cut rather than the array closed, and
// the client sees a truncated body instead of a complete-looking list.
func (s *Server) abortStream(r *http.Request, err error) {
	s.log.Warn("list stream failed", "path", r.URL.Path, "err", err)
	panic(http.ErrAbortHandler)
}

// streamSlice answers a list the service returns whole: every element
// without limit, else the page.
func streamSlice[T any](s *Server, w http.ResponseWriter, r *http.Request, all []T, p store.Page) {
	total := len(all)
	if p.Limit >= 0 {
		start := min(p.Offset, total)
		writeList(w, all[start:min(start+p.Limit, total)], total)
		return
	}
	st := startStream(w, total, "[")
	for _, v := range all[min(p.Offset, total):] {
		if err := st.add(v); err != nil {
			s.abortStream(r, err)
		}
	}
	if err := st.end("]"); err != nil {
		s.abortStream(r, err)
	}
}
