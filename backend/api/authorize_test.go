package api

import (
	"testing"

	"github.com/kanade-console/kanade-console/backend/accounts"
)

// RouteAccess is the route table's access, route by route (the desktop
// bindings authorize with it), and Authorize, the other door's entry to the
// gate's decision, refuses a route the table does not have.
func TestRouteAccessAndAuthorizeFollowTheTable(t *testing.T) {
	s := New(nil, nil, quiet)
	for _, rt := range s.routes {
		need, ok := RouteAccess(rt.method, rt.path)
		if !ok || need != string(rt.access) {
			t.Errorf("%s %s: RouteAccess %q %v, the table says %q", rt.method, rt.path, need, ok, rt.access)
		}
		viewer := accounts.Identity{Kind: accounts.KindAccount, Sub: "v", Username: "v", Role: accounts.Viewer}
		d := Authorize(viewer, rt.method, rt.path)
		if want := authorize(viewer, rt.access, rt.method, rt.path); rt.access != needPublic && (d == nil) != (want == nil) {
			t.Errorf("%s %s: Authorize %+v, the gate's decision %+v", rt.method, rt.path, d, want)
		}
		if rt.access == needPublic && d != nil {
			t.Errorf("%s %s (public): %+v", rt.method, rt.path, d)
		}
	}
	if _, ok := RouteAccess("GET", "/api/no-such-route"); ok {
		t.Error("RouteAccess knows a route the table does not have")
	}
	if d := Authorize(accounts.StaticTokenIdentity, "GET", "/api/no-such-route"); d == nil {
		t.Error("Authorize let an admin into a route the table does not have")
	}
}
