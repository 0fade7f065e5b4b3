package api

import (
	"encoding/json"
	"net/http"

	"github.com/kanade-console/kanade-console/backend/store"
)

func (s *Server) inventoryJobs(w http.ResponseWriter, r *http.Request) {
	serveAll(s, w, r, s.console.InventoryJobs)
}

func (s *Server) inventoryByJob(w http.ResponseWriter, r *http.Request) {
	p, err := pageOrAll(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Limit < 0 {
		s.streamInventoryByJob(w, r)
		return
	}
	inv, total, err := s.console.GetInventoryByJob(r.Context(), r.PathValue("manifest_id"), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("X-Total-Count", itoa(total))
	writeJSON(w, http.StatusOK, inv)
}

func (s *Server) inventoryOfPC(w http.ResponseWriter, r *http.Request) {
	rows, err := s.console.InventoryOfPC(r.Context(), r.PathValue("pc_id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, rows, len(rows))
}

// streamInventoryByJob answers the unpaged fleet table of a probe (0.29
// returned every row) without holding the rows.
func (s *Server) streamInventoryByJob(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("manifest_id")
	s.holdFor(w, s.timeouts.Long) // a whole fleet to a slow client
	var st *arrayStream
	start := func(total int, display, summary json.RawMessage) {
		head, _ := json.Marshal(id)
		st = startStream(w, total, `{"manifest_id":`+string(head)+`,"display":`+string(display)+`,"summary":`+string(summary)+`,"rows":[`)
	}
	err := s.console.EachInventoryRow(r.Context(), id, start, func(row store.InventoryRow) error { return st.add(row) })
	if err == nil && st != nil {
		err = st.end("]}")
	}
	switch {
	case err != nil && st == nil:
		s.fail(w, r, err)
	case err != nil:
		s.abortStream(r, err)
	}
}
