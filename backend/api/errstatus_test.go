package api

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/svcerr"
)

func TestHTTPStatusOfServiceErrors(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{errors.New("plain"), http.StatusInternalServerError},
		{svcerr.New(svcerr.KindInternal, nil, "x"), http.StatusInternalServerError},
		{svcerr.New(svcerr.KindInvalid, nil, "x"), http.StatusBadRequest},
		{svcerr.New(svcerr.KindNotFound, nil, "x"), http.StatusNotFound},
		{svcerr.New(svcerr.KindConflict, nil, "x"), http.StatusConflict},
		{svcerr.New(svcerr.KindUnavailable, nil, "x"), http.StatusServiceUnavailable},
		{svcerr.New(svcerr.KindBadGateway, nil, "x"), http.StatusBadGateway},
		{svcerr.New(svcerr.KindTimeout, nil, "x"), http.StatusRequestTimeout},
		{svcerr.New(svcerr.KindGatewayTimeout, nil, "x"), http.StatusGatewayTimeout},
		{svcerr.New(svcerr.KindUnprocessable, nil, "x"), http.StatusUnprocessableEntity},
		{fmt.Errorf("wrapped: %w", svcerr.New(svcerr.KindConflict, nil, "x")), http.StatusConflict},
		{fmt.Errorf("get: %w", store.ErrNotFound), http.StatusNotFound},
		{fmt.Errorf("filter: %w", store.ErrInvalidFilter), http.StatusBadRequest},
	} {
		if got := HTTPStatus(tc.err); got != tc.want {
			t.Errorf("HTTPStatus(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}
