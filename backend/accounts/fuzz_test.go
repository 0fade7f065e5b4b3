package accounts

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/kanade-console/kanade-console/backend/auth"
)

// A login body of any shape ends in a token, mfa_required, 401 or 429 —
// never a panic or a 5xx — and the token it mints verifies.
func FuzzLoginBody(f *testing.F) {
	for _, seed := range []string{
		`{"username":"fuzz-user","password":"fuzz-password"}`, `{"username":"fuzz-user","password":"fuzz-password","totp_code":"123456"}`,
		`{"username":"","password":""}`, `{"username":"fuzz-user"}`, `{"username":1}`, `[]`, `null`, "\xff", `{"username":"a\u0000b","password":"x"}`,
	} {
		f.Add(seed, "10.0.0.1")
	}
	s, clk, _ := newService(f)
	clk.t = time.Now() // the verifier checks exp against the wall clock
	// Cheap argon2id parameters (read from the stored hash), so thousands
	// of inputs run in seconds; the rules under test are the same.
	cheap := func(pw string) string {
		salt := []byte("fuzz-salt-16byte")
		return encodePHC(salt, argon2.IDKey([]byte(pw), salt, 1, 8, 1, 32), 8, 1, 1)
	}
	s.missHash = cheap("not-a-password")
	if _, err := s.w.Exec("INSERT INTO users (username, password_hash, role) VALUES ('fuzz-user', ?, 'operator')", cheap("fuzz-password")); err != nil {
		f.Fatal(err)
	}
	verifier := auth.New(auth.Config{StaticToken: "static"}).WithSessionSecret(s.SessionSecret())
	f.Fuzz(func(t *testing.T, body, ip string) {
		var req LoginRequest
		if json.Unmarshal([]byte(body), &req) != nil {
			return
		}
		resp, err := s.Login(context.Background(), req, ip)
		if err != nil {
			if st := StatusOf(err); st != 401 && st != 429 {
				t.Fatalf("login %q: %d %v", body, st, err)
			}
			return
		}
		if resp.Token == "" {
			if !resp.MFARequired {
				t.Fatalf("neither token nor mfa_required: %+v", resp)
			}
			return
		}
		c, err := verifier.Authenticate("Bearer " + resp.Token)
		if err != nil || c.Sub != req.Username {
			t.Fatalf("minted token: %+v, %v", c, err)
		}
		if _, err := s.Resolve(context.Background(), c.Sub); err != nil {
			t.Fatalf("resolve: %v", err)
		}
	})
}

// Stored hashes from an imported users table never panic the parser; small
// parameters are also verified.
func FuzzPHC(f *testing.F) {
	f.Add(kanadeVector)
	f.Add("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g")
	f.Add("$argon2id$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA")
	f.Add("$$$$$")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := parsePHC(s)
		if err != nil {
			return
		}
		if h.memory <= 64 && h.time <= 2 && h.lanes <= 2 {
			_ = VerifyPassword(s, "password")
		}
	})
}

// A PATCH body of any shape decodes or is a 400.
func FuzzDecodeUpdate(f *testing.F) {
	for _, seed := range []string{`{"role":"viewer"}`, `{"allowed_features":null,"permission_group":""}`, `{"disabled":"yes"}`, `[]`, `null`, `{"email":1}`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		_, err := DecodeUpdate([]byte(body))
		if err != nil && StatusOf(err) != 400 {
			t.Fatalf("%q: %v", body, err)
		}
		_ = ClientIP(body, strings.TrimSpace(body))
	})
}
