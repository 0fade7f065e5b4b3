// Package execution is the console's write side toward agents: exec fan-out
// (all, groups, pcs, durable waves), kill, revoke, the job and schedule
// catalogs with their cascades, ad-hoc run and ping. Both front doors (HTTP
// and Wails) call these methods; nothing here knows about either.
package execution

import "github.com/kanade-console/kanade-console/backend/svcerr"

// The service errors and the caller live in the leaf package svcerr (so the
// scheduler can use them without importing this package); these names stay
// for the callers and tests that already speak them.
type (
	Kind   = svcerr.Kind
	Error  = svcerr.Error
	Caller = svcerr.Caller
	// JobInUseError is svcerr.JobInUseError.
	JobInUseError = svcerr.JobInUseError
)

const (
	KindInternal       = svcerr.KindInternal
	KindInvalid        = svcerr.KindInvalid
	KindNotFound       = svcerr.KindNotFound
	KindConflict       = svcerr.KindConflict
	KindUnavailable    = svcerr.KindUnavailable
	KindBadGateway     = svcerr.KindBadGateway
	KindTimeout        = svcerr.KindTimeout
	KindGatewayTimeout = svcerr.KindGatewayTimeout
	KindUnprocessable  = svcerr.KindUnprocessable
	KindTooLarge       = svcerr.KindTooLarge
)

// Operator is svcerr.Operator.
var Operator = svcerr.Operator

// KindOf is svcerr.KindOf.
func KindOf(err error) Kind { return svcerr.KindOf(err) }
