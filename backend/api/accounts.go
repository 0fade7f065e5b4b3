package api

import (
	"net/http"

	"github.com/kanade-console/kanade-console/backend/accounts"
)

// Accounts, sign-in and permission groups: kanade v0.4x's account API
// (kanade-latest-features §1.6–§1.11). The rules live in backend/accounts.

func (s *Server) accounts() *accounts.Service { return s.console.Accounts() }

// me is the request's identity; gate set it.
func me(r *http.Request) accounts.Identity {
	id, _ := identity(r)
	return id
}

// linkBase is where a password link points: the scheme and Host the
// request came in on (X-Forwarded-Proto first, as kanade).
func linkBase(r *http.Request) string {
	scheme := r.Header.Get("X-Forwarded-Proto")
	if scheme != "https" && scheme != "http" {
		scheme = "http"
		if r.TLS != nil {
			scheme = "https"
		}
	}
	return scheme + "://" + r.Host
}

func (s *Server) accountsFail(w http.ResponseWriter, r *http.Request, err error) {
	var e *accounts.Error
	if asAccountsError(err, &e) && e.RetryAfter > 0 {
		retryAfter(w, e.RetryAfter)
	}
	s.fail(w, r, err)
}

type versionBody struct {
	Version string `json:"version"`
}

// version is kanade v0.4x's public GET /api/version (its SPA shows it
// before sign-in).
func (s *Server) version(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, versionBody{Version: s.console.Version()})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var req accounts.LoginRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	resp, err := s.accounts().Login(r.Context(), req, accounts.ClientIP(r.Header.Get("X-Forwarded-For"), r.RemoteAddr))
	if err != nil {
		s.accountsFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) authMe(w http.ResponseWriter, r *http.Request) {
	m, err := s.accounts().Me(r.Context(), me(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	var req accounts.ChangePasswordRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.accounts().ChangePassword(r.Context(), me(r), req); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

func (s *Server) mfaInit(w http.ResponseWriter, r *http.Request) {
	out, err := s.accounts().MFAInit(r.Context(), me(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) mfaVerify(w http.ResponseWriter, r *http.Request) {
	var req accounts.MFAVerifyRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.accounts().MFAVerify(r.Context(), me(r), req); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

func (s *Server) mfaDisable(w http.ResponseWriter, r *http.Request) {
	var req accounts.MFACodeRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.accounts().MFADisable(r.Context(), me(r), req); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

func (s *Server) passwordSetupInfo(w http.ResponseWriter, r *http.Request) {
	li, err := s.accounts().LinkInfo(r.Context(), r.PathValue("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, li)
}

func (s *Server) passwordSetup(w http.ResponseWriter, r *http.Request) {
	var req accounts.SetPasswordRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.accounts().SetPasswordViaLink(r.Context(), r.PathValue("token"), req); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusOK) // kanade: 200 with an empty body
}

type forgotBody struct {
	Username string `json:"username"`
}

// forgotPassword always answers 200 (it must not tell which names exist).
// kanade mails a reset link when [server] public_url and [mail] are set;
// this console sends no mail, so it only logs the request for an admin.
func (s *Server) forgotPassword(w http.ResponseWriter, r *http.Request) {
	var req forgotBody
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	s.log.Info("forgot-password requested; the console sends no mail: an admin can issue a reset link (kanade-console account reset-link)", "username", req.Username)
	w.WriteHeader(http.StatusOK)
}

func (s *Server) listAccounts(w http.ResponseWriter, r *http.Request) {
	rows, err := s.accounts().List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rows)
}

func (s *Server) createAccount(w http.ResponseWriter, r *http.Request) {
	var req accounts.CreateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	resp, err := s.accounts().Create(r.Context(), me(r), req, linkBase(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, resp)
}

func (s *Server) updateAccount(w http.ResponseWriter, r *http.Request) {
	if mt := mediaType(r); mt != "application/json" {
		s.fail(w, r, &httpError{http.StatusUnsupportedMediaType, "expected Content-Type: application/json"})
		return
	}
	body, err := readBody(w, r, maxBody)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	req, err := accounts.DecodeUpdate(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.accounts().Update(r.Context(), me(r), r.PathValue("username"), req); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

func (s *Server) deleteAccount(w http.ResponseWriter, r *http.Request) {
	if err := s.accounts().Delete(r.Context(), me(r), r.PathValue("username")); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

func (s *Server) resetLink(w http.ResponseWriter, r *http.Request) {
	link, err := s.accounts().ResetLink(r.Context(), me(r), r.PathValue("username"), linkBase(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, link)
}

func (s *Server) listPermissionGroups(w http.ResponseWriter, r *http.Request) {
	gs, err := s.accounts().Groups(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, gs)
}

func (s *Server) createPermissionGroup(w http.ResponseWriter, r *http.Request) {
	var req accounts.GroupRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.accounts().CreateGroup(r.Context(), me(r), req); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) updatePermissionGroup(w http.ResponseWriter, r *http.Request) {
	var req accounts.GroupRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.accounts().UpdateGroup(r.Context(), me(r), r.PathValue("name"), req); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

func (s *Server) deletePermissionGroup(w http.ResponseWriter, r *http.Request) {
	if err := s.accounts().DeleteGroup(r.Context(), me(r), r.PathValue("name")); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}
