package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

const testSecret = "s3cret-for-tests"

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func fixedClock(v *Verifier) *Verifier {
	v.now = func() time.Time { return testNow }
	return v
}

func unix(d time.Duration) int64 { return testNow.Add(d).Unix() }

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// rawToken signs an arbitrary header and payload with HS256, whatever the
// header claims the algorithm is.
func rawToken(secret, header, payload string) string {
	signed := b64(header) + "." + b64(payload)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(signed))
	return signed + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func mint(t testing.TB, secret string, claims map[string]any) string {
	t.Helper()
	tok, err := Mint(secret, claims)
	if err != nil {
		t.Fatalf("Mint: %v", err)
	}
	return tok
}

func validClaims() map[string]any {
	return map[string]any{"sub": "alice", "aud": "kanade", "exp": unix(time.Hour)}
}

func with(c map[string]any, key string, val any) map[string]any {
	out := map[string]any{}
	for k, v := range c {
		out[k] = v
	}
	if val == nil {
		delete(out, key)
	} else {
		out[key] = val
	}
	return out
}

func TestMode(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"nothing", Config{}, ModeOpenLoopback},
		{"disable", Config{Disable: true}, ModeDisabled},
		{"disable wins over secrets", Config{Disable: true, StaticToken: "t", JWTSecret: "j"}, ModeDisabled},
		{"static", Config{StaticToken: "t"}, ModeStatic},
		{"static wins over jwt", Config{StaticToken: "t", JWTSecret: "j"}, ModeStatic},
		{"jwt", Config{JWTSecret: "j"}, ModeJWT},
		{"blank static token is unset", Config{StaticToken: "  "}, ModeOpenLoopback},
		{"blank static token falls to jwt", Config{StaticToken: " \t", JWTSecret: "j"}, ModeJWT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := New(tt.cfg).Mode(); got != tt.want {
				t.Fatalf("Mode() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAuthenticateOpenModes(t *testing.T) {
	for _, cfg := range []Config{{}, {Disable: true}, {Disable: true, StaticToken: "t", JWTSecret: "j"}} {
		v := New(cfg)
		for _, h := range []string{"", "Bearer nope", "Basic x", "Bearer " + strings.Repeat("a", 20000)} {
			c, err := v.Authenticate(h)
			if err != nil {
				t.Fatalf("%s mode, header %.20q: %v", v.Mode(), h, err)
			}
			if c.Sub != "" || c.Authenticated || c.Roles != nil {
				t.Fatalf("%s mode: caller %+v, want the zero caller", v.Mode(), c)
			}
		}
	}
}

func TestAuthenticateStatic(t *testing.T) {
	v := New(Config{StaticToken: " right-token "}) // no JWT secret: the static token alone
	tests := []struct {
		name    string
		header  string
		wantErr string
	}{
		{"right token", "Bearer right-token", ""},
		{"right token padded", "Bearer   right-token \t", ""},
		{"missing header", "", "missing bearer token"},
		{"basic scheme", "Basic x", "missing bearer token"},
		{"lower-case bearer", "bearer right-token", "missing bearer token"},
		{"upper-case bearer", "BEARER right-token", "missing bearer token"},
		{"no space", "Bearerright-token", "missing bearer token"},
		{"empty token", "Bearer ", "missing bearer token"},
		{"blank token", "Bearer    ", "missing bearer token"},
		{"wrong token", "Bearer wrong-token", "invalid static token"},
		{"prefix of token", "Bearer right", "invalid static token"},
		{"token with suffix", "Bearer right-token2", "invalid static token"},
		{"case differs", "Bearer Right-token", "invalid static token"},
		{"jwt without a secret is not accepted", "Bearer " + mint(t, testSecret, validClaims()), "invalid static token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := v.Authenticate(tt.header)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if !reflect.DeepEqual(c, Caller{}) {
					t.Fatalf("caller %+v on error", c)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			want := Caller{Sub: "static-token", Roles: []string{}, Authenticated: true, Static: true}
			if !reflect.DeepEqual(c, want) {
				t.Fatalf("caller = %+v, want %+v", c, want)
			}
		})
	}
}

func TestStaticErrorsAreSentinels(t *testing.T) {
	v := New(Config{StaticToken: "x"})
	if _, err := v.Authenticate(""); !errors.Is(err, ErrMissingToken) {
		t.Fatalf("missing: %v", err)
	}
	if _, err := v.Authenticate("Bearer y"); !errors.Is(err, ErrInvalidStaticToken) {
		t.Fatalf("mismatch: %v", err)
	}
}

func TestAuthenticateJWT(t *testing.T) {
	v := fixedClock(New(Config{JWTSecret: testSecret}))
	good := mint(t, testSecret, validClaims())
	gp := strings.Split(good, ".")
	tamperedPayload := b64(`{"sub":"mallory","aud":"kanade","exp":` + itoa(unix(time.Hour)) + `}`)
	hdr := `{"alg":"HS256","typ":"JWT"}`
	payload := `{"sub":"alice","aud":"kanade","exp":` + itoa(unix(time.Hour)) + `}`

	tests := []struct {
		name      string
		header    string
		wantErr   string
		wantSub   string
		wantRoles []string
	}{
		{name: "valid", header: "Bearer " + good, wantSub: "alice", wantRoles: []string{}},
		{name: "valid padded", header: "Bearer  " + good + " ", wantSub: "alice", wantRoles: []string{}},
		{name: "valid with roles", header: "Bearer " + mint(t, testSecret, with(validClaims(), "roles", []string{"admin", "viewer"})), wantSub: "alice", wantRoles: []string{"admin", "viewer"}},
		{name: "roles null", header: "Bearer " + rawToken(testSecret, hdr, `{"sub":"a","aud":"kanade","exp":`+itoa(unix(time.Hour))+`,"roles":null}`), wantSub: "a", wantRoles: []string{}},
		{name: "audience array including kanade", header: "Bearer " + mint(t, testSecret, with(validClaims(), "aud", []string{"other", "kanade"})), wantSub: "alice", wantRoles: []string{}},
		{name: "typ omitted", header: "Bearer " + rawToken(testSecret, `{"alg":"HS256"}`, payload), wantSub: "alice", wantRoles: []string{}},
		{name: "other typ", header: "Bearer " + rawToken(testSecret, `{"alg":"HS256","typ":"at+jwt"}`, payload), wantSub: "alice", wantRoles: []string{}},
		{name: "float exp", header: "Bearer " + rawToken(testSecret, hdr, `{"sub":"alice","aud":"kanade","exp":`+itoa(unix(time.Hour))+`.5}`), wantSub: "alice", wantRoles: []string{}},
		{name: "expired within leeway", header: "Bearer " + mint(t, testSecret, with(validClaims(), "exp", unix(-59*time.Second))), wantSub: "alice", wantRoles: []string{}},
		{name: "expired at leeway edge", header: "Bearer " + mint(t, testSecret, with(validClaims(), "exp", unix(-60*time.Second))), wantSub: "alice", wantRoles: []string{}},
		{name: "nbf in the past", header: "Bearer " + mint(t, testSecret, with(validClaims(), "nbf", unix(-time.Hour))), wantSub: "alice", wantRoles: []string{}},
		{name: "nbf within leeway", header: "Bearer " + mint(t, testSecret, with(validClaims(), "nbf", unix(30*time.Second))), wantSub: "alice", wantRoles: []string{}},

		{name: "missing header", header: "", wantErr: "missing bearer token"},
		{name: "basic scheme", header: "Basic x", wantErr: "missing bearer token"},
		{name: "lower-case bearer", header: "bearer " + good, wantErr: "missing bearer token"},
		{name: "empty bearer", header: "Bearer  ", wantErr: "missing bearer token"},
		{name: "expired beyond leeway", header: "Bearer " + mint(t, testSecret, with(validClaims(), "exp", unix(-61*time.Second))), wantErr: "invalid token: ExpiredSignature"},
		{name: "expired long ago", header: "Bearer " + mint(t, testSecret, with(validClaims(), "exp", 0)), wantErr: "invalid token: ExpiredSignature"},
		{name: "negative exp", header: "Bearer " + mint(t, testSecret, with(validClaims(), "exp", -5)), wantErr: "invalid token: ExpiredSignature"},
		{name: "nbf in the future", header: "Bearer " + mint(t, testSecret, with(validClaims(), "nbf", unix(2*time.Minute))), wantErr: "invalid token: ImmatureSignature"},
		{name: "nbf not a number", header: "Bearer " + mint(t, testSecret, with(validClaims(), "nbf", "soon")), wantErr: "invalid token: InvalidToken"},
		{name: "wrong audience", header: "Bearer " + mint(t, testSecret, with(validClaims(), "aud", "other")), wantErr: "invalid token: InvalidAudience"},
		{name: "audience differs in case", header: "Bearer " + mint(t, testSecret, with(validClaims(), "aud", "Kanade")), wantErr: "invalid token: InvalidAudience"},
		{name: "audience array without kanade", header: "Bearer " + mint(t, testSecret, with(validClaims(), "aud", []string{"a", "b"})), wantErr: "invalid token: InvalidAudience"},
		{name: "audience empty array", header: "Bearer " + mint(t, testSecret, with(validClaims(), "aud", []string{})), wantErr: "invalid token: InvalidAudience"},
		{name: "audience number", header: "Bearer " + mint(t, testSecret, with(validClaims(), "aud", 7)), wantErr: "invalid token: InvalidAudience"},
		{name: "audience missing", header: "Bearer " + mint(t, testSecret, with(validClaims(), "aud", nil)), wantErr: "invalid token: MissingRequiredClaim(aud)"},
		{name: "missing exp", header: "Bearer " + mint(t, testSecret, with(validClaims(), "exp", nil)), wantErr: "invalid token: MissingRequiredClaim(exp)"},
		{name: "null exp", header: "Bearer " + rawToken(testSecret, hdr, `{"sub":"alice","aud":"kanade","exp":null}`), wantErr: "invalid token: MissingRequiredClaim(exp)"},
		{name: "string exp", header: "Bearer " + mint(t, testSecret, with(validClaims(), "exp", "9999999999")), wantErr: "invalid token: InvalidToken"},
		{name: "huge exp", header: "Bearer " + rawToken(testSecret, hdr, `{"sub":"alice","aud":"kanade","exp":1e400}`), wantErr: "invalid token: InvalidToken"},
		{name: "missing sub", header: "Bearer " + mint(t, testSecret, with(validClaims(), "sub", nil)), wantErr: "invalid token: MissingRequiredClaim(sub)"},
		{name: "empty sub", header: "Bearer " + mint(t, testSecret, with(validClaims(), "sub", "")), wantErr: "invalid token: MissingRequiredClaim(sub)"},
		{name: "numeric sub", header: "Bearer " + mint(t, testSecret, with(validClaims(), "sub", 42)), wantErr: "invalid token: InvalidToken"},
		{name: "roles not strings", header: "Bearer " + mint(t, testSecret, with(validClaims(), "roles", []int{1})), wantErr: "invalid token: InvalidToken"},
		{name: "alg none empty signature", header: "Bearer " + b64(`{"alg":"none","typ":"JWT"}`) + "." + gp[1] + ".", wantErr: "invalid token: InvalidAlgorithm"},
		{name: "alg none with signature", header: "Bearer " + rawToken(testSecret, `{"alg":"none"}`, payload), wantErr: "invalid token: InvalidAlgorithm"},
		{name: "alg HS384", header: "Bearer " + rawToken(testSecret, `{"alg":"HS384","typ":"JWT"}`, payload), wantErr: "invalid token: InvalidAlgorithm"},
		{name: "alg RS256", header: "Bearer " + rawToken(testSecret, `{"alg":"RS256","typ":"JWT"}`, payload), wantErr: "invalid token: InvalidAlgorithm"},
		{name: "alg lower-case", header: "Bearer " + rawToken(testSecret, `{"alg":"hs256"}`, payload), wantErr: "invalid token: InvalidAlgorithm"},
		{name: "alg missing", header: "Bearer " + rawToken(testSecret, `{"typ":"JWT"}`, payload), wantErr: "invalid token: InvalidAlgorithm"},
		{name: "alg not a string", header: "Bearer " + rawToken(testSecret, `{"alg":256}`, payload), wantErr: "invalid token: InvalidAlgorithm"},
		{name: "tampered payload", header: "Bearer " + gp[0] + "." + tamperedPayload + "." + gp[2], wantErr: "invalid token: InvalidSignature"},
		{name: "wrong secret", header: "Bearer " + mint(t, "another-secret", validClaims()), wantErr: "invalid token: InvalidSignature"},
		{name: "truncated signature", header: "Bearer " + good[:len(good)-4], wantErr: "invalid token: InvalidSignature"},
		{name: "empty signature", header: "Bearer " + gp[0] + "." + gp[1] + ".", wantErr: "invalid token: InvalidSignature"},
		{name: "padded signature", header: "Bearer " + good + "=", wantErr: "invalid token: InvalidSignature"},
		{name: "std base64 signature", header: "Bearer " + gp[0] + "." + gp[1] + "." + base64.StdEncoding.EncodeToString(mustDecode(t, gp[2])), wantErr: "invalid token: InvalidSignature"},
		{name: "garbage", header: "Bearer garbage", wantErr: "invalid token: InvalidToken"},
		{name: "two segments", header: "Bearer " + gp[0] + "." + gp[1], wantErr: "invalid token: InvalidToken"},
		{name: "four segments", header: "Bearer " + good + ".x", wantErr: "invalid token: InvalidToken"},
		{name: "only dots", header: "Bearer ..", wantErr: "invalid token: InvalidToken"},
		{name: "header not base64", header: "Bearer !!!." + gp[1] + "." + gp[2], wantErr: "invalid token: InvalidToken"},
		{name: "header padded base64", header: "Bearer " + base64.URLEncoding.EncodeToString([]byte(hdr+" ")) + "." + gp[1] + "." + gp[2], wantErr: "invalid token: InvalidToken"},
		{name: "header with line break", header: "Bearer " + gp[0][:4] + "\n" + gp[0][4:] + "." + gp[1] + "." + gp[2], wantErr: "invalid token: InvalidToken"},
		{name: "header not json", header: "Bearer " + b64("not json") + "." + gp[1] + "." + gp[2], wantErr: "invalid token: InvalidToken"},
		{name: "header json array", header: "Bearer " + b64(`["HS256"]`) + "." + gp[1] + "." + gp[2], wantErr: "invalid token: InvalidToken"},
		{name: "header json null", header: "Bearer " + b64(`null`) + "." + gp[1] + "." + gp[2], wantErr: "invalid token: InvalidToken"},
		{name: "payload not json", header: "Bearer " + rawToken(testSecret, hdr, "not json"), wantErr: "invalid token: InvalidToken"},
		{name: "payload json array", header: "Bearer " + rawToken(testSecret, hdr, `[1,2]`), wantErr: "invalid token: InvalidToken"},
		{name: "payload trailing data", header: "Bearer " + rawToken(testSecret, hdr, payload+"x"), wantErr: "invalid token: InvalidToken"},
		{name: "huge token", header: "Bearer " + rawToken(testSecret, hdr, `{"sub":"alice","aud":"kanade","exp":`+itoa(unix(time.Hour))+`,"pad":"`+strings.Repeat("x", MaxTokenLen)+`"}`), wantErr: "invalid token: InvalidToken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := v.Authenticate(tt.header)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if !reflect.DeepEqual(c, Caller{}) {
					t.Fatalf("caller %+v on error", c)
				}
				if strings.HasPrefix(tt.wantErr, "invalid token: ") {
					var te *TokenError
					if !errors.As(err, &te) {
						t.Fatalf("err %T is not a *TokenError", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			want := Caller{Sub: tt.wantSub, Roles: tt.wantRoles, Authenticated: true}
			if !reflect.DeepEqual(c, want) {
				t.Fatalf("caller = %+v, want %+v", c, want)
			}
		})
	}
}

func TestJWTUsesRealClock(t *testing.T) {
	v := New(Config{JWTSecret: testSecret})
	now := time.Now()
	ok := mint(t, testSecret, map[string]any{"sub": "a", "aud": "kanade", "exp": now.Add(time.Minute).Unix()})
	if _, err := v.Authenticate("Bearer " + ok); err != nil {
		t.Fatalf("fresh token: %v", err)
	}
	old := mint(t, testSecret, map[string]any{"sub": "a", "aud": "kanade", "exp": now.Add(-time.Hour).Unix()})
	if _, err := v.Authenticate("Bearer " + old); err == nil || err.Error() != "invalid token: ExpiredSignature" {
		t.Fatalf("old token: %v", err)
	}
}

func TestMint(t *testing.T) {
	tok := mint(t, testSecret, validClaims())
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q has %d segments", tok, len(parts))
	}
	if h := string(mustDecode(t, parts[0])); h != `{"alg":"HS256","typ":"JWT"}` {
		t.Fatalf("header %s", h)
	}
	if strings.ContainsAny(tok, "=+/") {
		t.Fatalf("token %q is not unpadded base64url", tok)
	}
	if _, err := Mint("", validClaims()); err == nil {
		t.Fatal("Mint with an empty secret succeeded")
	}
	if _, err := Mint(testSecret, map[string]any{"bad": make(chan int)}); err == nil {
		t.Fatal("Mint with an unencodable claim succeeded")
	}
	empty := mint(t, testSecret, nil)
	if p := string(mustDecode(t, strings.Split(empty, ".")[1])); p != "{}" {
		t.Fatalf("nil claims encoded as %s", p)
	}
}

func TestCheckExposure(t *testing.T) {
	addrs := []struct {
		addr     string
		loopback bool
	}{
		{"127.0.0.1:8080", true},
		{"127.1.2.3:8080", true},
		{"[::1]:8080", true},
		{"localhost:8080", true},
		{"LocalHost:8080", true},
		{"[::ffff:127.0.0.1]:8080", true},
		{"127.0.0.1", true},
		{"0.0.0.0:8080", false},
		{"[::]:8080", false},
		{":8080", false},
		{"", false},
		{"192.168.1.5:8080", false},
		{"myhost:8080", false},
		{"localhost.example.com:8080", false},
		{"128.0.0.1:8080", false},
	}
	cfgs := []struct {
		name string
		cfg  Config
		open bool
	}{
		{"nothing", Config{}, true},
		{"disable", Config{Disable: true}, false},
		{"static", Config{StaticToken: "t"}, false},
		{"jwt", Config{JWTSecret: "j"}, false},
		{"blank static", Config{StaticToken: "  "}, true},
	}
	for _, c := range cfgs {
		for _, a := range addrs {
			t.Run(c.name+"/"+a.addr, func(t *testing.T) {
				err := CheckExposure(a.addr, c.cfg)
				wantErr := c.open && !a.loopback
				if (err != nil) != wantErr {
					t.Fatalf("CheckExposure(%q, %+v) = %v, want error %v", a.addr, c.cfg, err, wantErr)
				}
				if err == nil {
					return
				}
				msg := err.Error()
				if strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "refusing to serve the API on ") ||
					!strings.Contains(msg, "KANADE_AUTH_STATIC_TOKEN") || !strings.Contains(msg, "KANADE_JWT_SECRET") ||
					!strings.Contains(msg, "KANADE_AUTH_DISABLE") || !strings.Contains(msg, "127.0.0.1") {
					t.Fatalf("message %q", msg)
				}
			})
		}
	}
	want := "refusing to serve the API on 0.0.0.0:8080 without authentication: set KANADE_AUTH_STATIC_TOKEN or KANADE_JWT_SECRET, bind to 127.0.0.1, or set KANADE_AUTH_DISABLE to run open on purpose"
	if err := CheckExposure("0.0.0.0:8080", Config{}); err == nil || err.Error() != want {
		t.Fatalf("message = %v, want %q", err, want)
	}
}

func FuzzAuthenticate(f *testing.F) {
	now := time.Now()
	good, _ := Mint(testSecret, map[string]any{"sub": "alice", "aud": []string{"x", "kanade"}, "exp": now.Add(time.Hour).Unix(), "roles": []string{"admin"}})
	expired, _ := Mint(testSecret, map[string]any{"sub": "alice", "aud": "kanade", "exp": 1})
	hdr := `{"alg":"HS256","typ":"JWT"}`
	gp := strings.Split(good, ".")
	seeds := []string{
		"",
		"Bearer ",
		"Bearer " + good,
		"Bearer " + expired,
		"Bearer static-one",
		"bearer " + good,
		"Basic dXNlcjpwYXNz",
		"Bearer " + b64(`{"alg":"none"}`) + "." + gp[1] + ".",
		"Bearer " + rawToken(testSecret, `{"alg":"HS384"}`, `{"sub":"a","aud":"kanade","exp":99999999999}`),
		"Bearer " + rawToken(testSecret, hdr, `{"sub":"a","aud":"kanade","exp":"x"}`),
		"Bearer " + rawToken(testSecret, hdr, `{"sub":"a","aud":"kanade","exp":1e400}`),
		"Bearer " + rawToken(testSecret, hdr, `{"sub":"a","aud":{"k":1},"exp":99999999999,"roles":[1]}`),
		"Bearer " + rawToken(testSecret, hdr, `[[[[[[[[[[`),
		"Bearer " + rawToken(testSecret, hdr, "\xff\xfe"),
		"Bearer " + gp[0] + "." + gp[1],
		"Bearer ...",
		"Bearer a.b.c",
		"Bearer " + good + "=",
		"Bearer " + strings.Repeat("A", MaxTokenLen+1),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	verifiers := []*Verifier{
		New(Config{}),
		New(Config{Disable: true}),
		New(Config{StaticToken: "static-one"}),
		New(Config{JWTSecret: testSecret}),
	}
	f.Fuzz(func(t *testing.T, header string) {
		for _, v := range verifiers {
			c, err := v.Authenticate(header)
			if err != nil {
				if !reflect.DeepEqual(c, Caller{}) {
					t.Fatalf("%s: caller %+v returned with error %v", v.Mode(), c, err)
				}
				continue
			}
			switch v.Mode() {
			case ModeStatic, ModeJWT:
				if !c.Authenticated || c.Sub == "" || c.Roles == nil {
					t.Fatalf("%s: accepted caller %+v", v.Mode(), c)
				}
			default:
				if c.Authenticated {
					t.Fatalf("%s: authenticated caller %+v", v.Mode(), c)
				}
			}
		}
	})
}

func mustDecode(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	return b
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// FuzzJWTClaims signs arbitrary header and payload JSON with the right
// secret, so the fuzzer reaches the claim checks behind the signature.
func FuzzJWTClaims(f *testing.F) {
	f.Add(`{"alg":"HS256","typ":"JWT"}`, `{"sub":"a","aud":"kanade","exp":99999999999}`)
	f.Add(`{"alg":"HS256"}`, `{"sub":"a","aud":["kanade"],"exp":99999999999,"nbf":1,"roles":["x"]}`)
	f.Add(`{"alg":"HS256"}`, `{"sub":1,"aud":null,"exp":-1e308,"nbf":"x","roles":{}}`)
	f.Add(`{"alg":"none"}`, `{}`)
	f.Add(`null`, `null`)
	f.Add(`{"alg":"HS256"}`, `{"exp":1e999}`)
	v := New(Config{JWTSecret: testSecret})
	f.Fuzz(func(t *testing.T, header, payload string) {
		c, err := v.Authenticate("Bearer " + rawToken(testSecret, header, payload))
		if err != nil {
			var te *TokenError
			if !errors.As(err, &te) || !reflect.DeepEqual(c, Caller{}) {
				t.Fatalf("err %v (%T), caller %+v", err, err, c)
			}
			return
		}
		if !c.Authenticated || c.Sub == "" || c.Roles == nil {
			t.Fatalf("accepted caller %+v", c)
		}
	})
}

// kanade v0.4x: with a static token and a secret, a token that is not the
// static one is checked as a JWT, so both work side by side.
func TestStaticAndJWTSideBySide(t *testing.T) {
	for _, v := range []*Verifier{
		New(Config{StaticToken: "right-token", JWTSecret: testSecret}),
		New(Config{StaticToken: "right-token"}).WithSessionSecret([]byte(testSecret)),
	} {
		v.now = func() time.Time { return testNow }
		c, err := v.Authenticate("Bearer right-token")
		if err != nil || !c.Static || c.Sub != StaticSub {
			t.Fatalf("static token: %+v, %v", c, err)
		}
		c, err = v.Authenticate("Bearer " + mint(t, testSecret, validClaims()))
		if err != nil || c.Static || c.Sub == "" {
			t.Fatalf("jwt: %+v, %v", c, err)
		}
		if _, err := v.Authenticate("Bearer wrong-token"); err == nil || !strings.HasPrefix(err.Error(), "invalid token: ") {
			t.Fatalf("wrong token: %v, want a JWT error", err)
		}
	}
	if v := New(Config{}).WithSessionSecret([]byte("x")); v.Mode() != ModeOpenLoopback {
		t.Fatalf("open mode changed by a session secret: %s", v.Mode())
	}
}
