package api

import "net/http"

func (s *Server) inventoryJobs(w http.ResponseWriter, r *http.Request) {
	serveAll(s, w, r, s.console.InventoryJobs)
}

func (s *Server) inventoryByJob(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("limit") == "" {
		p.Limit = 1000 // a fleet table; 0.29 returned every row
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
