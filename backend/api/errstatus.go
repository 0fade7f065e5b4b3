package api

import (
	"errors"
	"net/http"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/svcerr"
)

// HTTPStatus maps a service error to kanade 0.29's status codes. Both front
// doors use it: the HTTP API as the response status, the Wails bindings
// (package app) inside their JSON error.
func HTTPStatus(err error) int {
	if errors.Is(err, store.ErrNotFound) {
		return http.StatusNotFound
	}
	if errors.Is(err, store.ErrInvalidFilter) {
		return http.StatusBadRequest
	}
	switch svcerr.KindOf(err) {
	case svcerr.KindInvalid:
		return http.StatusBadRequest
	case svcerr.KindNotFound:
		return http.StatusNotFound
	case svcerr.KindConflict:
		return http.StatusConflict
	case svcerr.KindUnavailable:
		return http.StatusServiceUnavailable
	case svcerr.KindBadGateway:
		return http.StatusBadGateway
	case svcerr.KindTimeout:
		return http.StatusRequestTimeout
	case svcerr.KindGatewayTimeout:
		return http.StatusGatewayTimeout
	case svcerr.KindUnprocessable:
		return http.StatusUnprocessableEntity
	case svcerr.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}
