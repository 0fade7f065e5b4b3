package execution

import (
	"github.com/kanade-console/kanade-console/backend/svcerr"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// CheckIDs validates (name, value) pairs of ids that name KV keys (job,
// schedule, group and PC ids, release versions) before any NATS call, so a
// bad id is a 400 that names it rather than a 502 "nats: invalid key". The
// console's methods call it for both front doors.
func CheckIDs(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		name, v := pairs[i], pairs[i+1]
		if wire.ValidKey(v) {
			continue
		}
		shown := v
		if len(shown) > 64 {
			shown = shown[:64] + "…"
		}
		switch {
		case v == "":
			return svcerr.New(svcerr.KindInvalid, nil, "missing %s", name)
		case len(v) > wire.MaxKeyLen:
			return svcerr.New(svcerr.KindInvalid, nil, "%s is longer than %d characters", name, wire.MaxKeyLen)
		}
		return svcerr.New(svcerr.KindInvalid, nil, "invalid %s %q: use letters, digits and - _ = . / (not starting or ending with '.', no '..')", name, shown)
	}
	return nil
}
