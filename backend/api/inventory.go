package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/kanade-console/kanade-console/backend/console"
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

// ---- explode search and history (kanade v0.31-v0.35) ----

// searchFilters is every query parameter but limit and offset (kanade's
// filter syntax: <col>=v or <col>__<op>=v; the first value of a repeated
// key counts).
func searchFilters(q url.Values) map[string]string {
	f := map[string]string{}
	for k, v := range q {
		if k != "limit" && k != "offset" && len(v) > 0 {
			f[k] = v[0]
		}
	}
	return f
}

func (s *Server) inventorySearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	rows, total, err := s.console.InventorySearch(r.Context(), r.PathValue("manifest_id"), r.PathValue("field"),
		console.InventorySearchRequest{Paging: pagingOf(q), Filters: searchFilters(q)})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, rows, total)
}

// historyRequest reads the history routes' parameters; identity.<key>=v
// becomes Identity[key].
func historyRequest(q url.Values) console.InventoryHistoryRequest {
	req := console.InventoryHistoryRequest{Paging: pagingOf(q), Field: q.Get("field"), Kind: q.Get("kind"), Since: q.Get("since"), Until: q.Get("until")}
	for k, v := range q {
		if key, ok := strings.CutPrefix(k, "identity."); ok && len(v) > 0 {
			if req.Identity == nil {
				req.Identity = map[string]string{}
			}
			req.Identity[key] = v[0]
		}
	}
	return req
}

func (s *Server) inventoryHistory(w http.ResponseWriter, r *http.Request) {
	rows, total, err := s.console.InventoryHistory(r.Context(), r.PathValue("manifest_id"), r.PathValue("pc_id"), historyRequest(r.URL.Query()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, rows, total)
}

func (s *Server) inventoryFleetHistory(w http.ResponseWriter, r *http.Request) {
	rows, total, err := s.console.InventoryFleetHistory(r.Context(), r.PathValue("manifest_id"), historyRequest(r.URL.Query()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, rows, total)
}

func (s *Server) inventoryFirstSeen(w http.ResponseWriter, r *http.Request) {
	rows, err := s.console.InventoryFirstSeen(r.Context(), r.PathValue("manifest_id"), historyRequest(r.URL.Query()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, rows, len(rows))
}

func (s *Server) inventoryScalarSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	rows, total, err := s.console.InventoryScalarSearch(r.Context(), r.PathValue("manifest_id"),
		console.InventorySearchRequest{Paging: pagingOf(q), Filters: searchFilters(q)})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeList(w, rows, total)
}
