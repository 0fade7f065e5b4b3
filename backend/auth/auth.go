// Package auth checks the bearer credentials of kanade 0.29's HTTP API.
//
// Modes, in order of precedence (spec §4.1):
//
//   - disabled: KANADE_AUTH_DISABLE is present; everything is open.
//   - static: KANADE_AUTH_STATIC_TOKEN is set; that exact bearer token is
//     accepted (constant-time) as an admin; any other token is checked as a
//     JWT when a secret is known (configured, or the accounts' session
//     secret, WithSessionSecret), as kanade v0.4x does.
//   - jwt: KANADE_JWT_SECRET is set; HS256 JWTs with aud "kanade" and a
//     required exp are accepted (60 s leeway, as jsonwebtoken).
//   - open-loopback: nothing is configured. Unlike 0.29 there is no built-in
//     fallback secret (DESIGN §5): every request passes, and CheckExposure
//     makes sure the API then only listens on a loopback address.
//
// Every error returned by Authenticate is meant to become a 401 whose
// plain-text body is err.Error() (spec §4.2).
package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"
)

// Mode names as reported by Verifier.Mode.
const (
	ModeDisabled     = "disabled"
	ModeStatic       = "static"
	ModeJWT          = "jwt"
	ModeOpenLoopback = "open-loopback"
)

// StaticSub is the subject of a caller authenticated by the static token.
const StaticSub = "static-token"

// Audience is the audience every accepted JWT must name.
const Audience = "kanade"

// Leeway is the clock skew allowed on exp and nbf (jsonwebtoken's default).
const Leeway = 60 * time.Second

// MaxTokenLen bounds the accepted bearer token; longer ones are rejected
// before any decoding.
const MaxTokenLen = 8 << 10

const bearerPrefix = "Bearer "

// Errors returned by Authenticate. JWT failures are *TokenError values.
var (
	ErrMissingToken       = errors.New("missing bearer token")
	ErrInvalidStaticToken = errors.New("invalid static token")
)

// Reasons carried by TokenError, named after jsonwebtoken's error kinds.
const (
	ReasonExpired          = "ExpiredSignature"
	ReasonImmature         = "ImmatureSignature"
	ReasonInvalidAudience  = "InvalidAudience"
	ReasonInvalidAlgorithm = "InvalidAlgorithm"
	ReasonInvalidSignature = "InvalidSignature"
	ReasonInvalidToken     = "InvalidToken"
	ReasonMissingExp       = "MissingRequiredClaim(exp)"
	ReasonMissingSub       = "MissingRequiredClaim(sub)"
	ReasonMissingAud       = "MissingRequiredClaim(aud)"
)

// TokenError is a rejected JWT. Its text is "invalid token: <Reason>".
type TokenError struct {
	Reason string
}

func (e *TokenError) Error() string { return "invalid token: " + e.Reason }

func tokenErr(reason string) error { return &TokenError{Reason: reason} }

// Config selects the mode. The caller fills it from the environment:
// Disable from the presence of KANADE_AUTH_DISABLE, StaticToken from
// KANADE_AUTH_STATIC_TOKEN and JWTSecret from KANADE_JWT_SECRET.
type Config struct {
	Disable     bool
	StaticToken string
	JWTSecret   string
}

// mode reports which mode cfg selects. A static token that is only
// whitespace counts as unset, since a trimmed bearer token could never match it.
func (cfg Config) mode() string {
	switch {
	case cfg.Disable:
		return ModeDisabled
	case strings.TrimSpace(cfg.StaticToken) != "":
		return ModeStatic
	case cfg.JWTSecret != "":
		return ModeJWT
	default:
		return ModeOpenLoopback
	}
}

// Caller is who made a request. Authenticated is true only when a static
// token or a JWT was verified; Roles is never nil for an authenticated caller
// (0.29 ignores roles).
type Caller struct {
	Sub           string
	Roles         []string
	Authenticated bool
	// Static is true for the static token (an admin, not an account).
	Static bool
}

// Verifier authenticates Authorization headers for one Config. It is safe
// for concurrent use.
type Verifier struct {
	mode string

	// static mode: HMAC-SHA-256 of the token under a random per-process key,
	// so comparing digests is constant-time and independent of token length.
	digestKey    []byte
	staticDigest []byte

	// jwt mode
	secret []byte

	now func() time.Time
}

// New builds a Verifier for cfg.
func New(cfg Config) *Verifier {
	v := &Verifier{mode: cfg.mode(), now: time.Now}
	switch v.mode {
	case ModeStatic:
		v.digestKey = make([]byte, 32)
		_, _ = rand.Read(v.digestKey) // crypto/rand.Read never fails
		v.staticDigest = v.digest(strings.TrimSpace(cfg.StaticToken))
		v.secret = []byte(cfg.JWTSecret) // may be empty: then only the static token
	case ModeJWT:
		v.secret = []byte(cfg.JWTSecret)
	}
	return v
}

// WithSessionSecret returns a Verifier that, in the static and jwt modes,
// verifies JWTs with secret when no JWT secret was configured: the accounts'
// sign-in tokens are signed with it. Other modes are returned unchanged.
func (v *Verifier) WithSessionSecret(secret []byte) *Verifier {
	if len(secret) == 0 || len(v.secret) > 0 || (v.mode != ModeStatic && v.mode != ModeJWT) {
		return v
	}
	c := *v
	c.secret = append([]byte(nil), secret...)
	return &c
}

// Mode is "disabled", "static", "jwt" or "open-loopback".
func (v *Verifier) Mode() string { return v.mode }

func (v *Verifier) digest(s string) []byte {
	m := hmac.New(sha256.New, v.digestKey)
	m.Write([]byte(s))
	return m.Sum(nil)
}

// Authenticate checks the value of an Authorization header. In the disabled
// and open-loopback modes every request passes as an unauthenticated caller
// (the HTTP layer allows open-loopback only on loopback, see CheckExposure).
// Otherwise the header must be "Bearer <token>" (case-sensitive prefix, the
// token trimmed) and the token must match the configured mode.
func (v *Verifier) Authenticate(authorizationHeader string) (Caller, error) {
	if v.mode == ModeDisabled || v.mode == ModeOpenLoopback {
		return Caller{}, nil
	}
	rest, ok := strings.CutPrefix(authorizationHeader, bearerPrefix)
	if !ok {
		return Caller{}, ErrMissingToken
	}
	token := strings.TrimSpace(rest)
	if token == "" {
		return Caller{}, ErrMissingToken
	}
	if v.mode == ModeStatic {
		if subtle.ConstantTimeCompare(v.digest(token), v.staticDigest) == 1 {
			return Caller{Sub: StaticSub, Roles: []string{}, Authenticated: true, Static: true}, nil
		}
		// kanade v0.4x: a token that is not the static one falls through
		// to the JWT check, so the service token and sign-in tokens work
		// side by side; without a secret there is nothing to fall to.
		if len(v.secret) == 0 {
			return Caller{}, ErrInvalidStaticToken
		}
	}
	return v.verifyJWT(token)
}

// verifyJWT checks an HS256 JWT in jsonwebtoken's order: shape, algorithm,
// signature, then exp, nbf, aud and sub.
func (v *Verifier) verifyJWT(token string) (Caller, error) {
	if len(token) > MaxTokenLen {
		return Caller{}, tokenErr(ReasonInvalidToken)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Caller{}, tokenErr(ReasonInvalidToken)
	}
	headerJSON, err := decodeSegment(parts[0])
	if err != nil {
		return Caller{}, tokenErr(ReasonInvalidToken)
	}
	var header map[string]json.RawMessage
	if err := json.Unmarshal(headerJSON, &header); err != nil || header == nil {
		return Caller{}, tokenErr(ReasonInvalidToken)
	}
	var alg string
	if raw, ok := header["alg"]; !ok || json.Unmarshal(raw, &alg) != nil || alg != "HS256" {
		return Caller{}, tokenErr(ReasonInvalidAlgorithm)
	}

	sig, err := decodeSegment(parts[2])
	if err != nil {
		return Caller{}, tokenErr(ReasonInvalidSignature)
	}
	m := hmac.New(sha256.New, v.secret)
	m.Write([]byte(token[:len(parts[0])+1+len(parts[1])]))
	if !hmac.Equal(sig, m.Sum(nil)) {
		return Caller{}, tokenErr(ReasonInvalidSignature)
	}

	payloadJSON, err := decodeSegment(parts[1])
	if err != nil {
		return Caller{}, tokenErr(ReasonInvalidToken)
	}
	var claims map[string]json.RawMessage
	if err := json.Unmarshal(payloadJSON, &claims); err != nil || claims == nil {
		return Caller{}, tokenErr(ReasonInvalidToken)
	}

	now := float64(v.now().Unix())
	leeway := Leeway.Seconds()

	exp, present, ok := numberClaim(claims, "exp")
	if !present {
		return Caller{}, tokenErr(ReasonMissingExp)
	}
	if !ok {
		return Caller{}, tokenErr(ReasonInvalidToken)
	}
	if exp < now-leeway {
		return Caller{}, tokenErr(ReasonExpired)
	}
	nbf, present, ok := numberClaim(claims, "nbf")
	if present && !ok {
		return Caller{}, tokenErr(ReasonInvalidToken)
	}
	if present && nbf > now+leeway {
		return Caller{}, tokenErr(ReasonImmature)
	}

	if err := checkAudience(claims["aud"]); err != nil {
		return Caller{}, err
	}

	var sub string
	raw, present := claims["sub"]
	if !present || isNull(raw) {
		return Caller{}, tokenErr(ReasonMissingSub)
	}
	if json.Unmarshal(raw, &sub) != nil {
		return Caller{}, tokenErr(ReasonInvalidToken)
	}
	if sub == "" {
		return Caller{}, tokenErr(ReasonMissingSub)
	}

	roles := []string{}
	if raw, ok := claims["roles"]; ok && !isNull(raw) {
		var rs []string
		if json.Unmarshal(raw, &rs) != nil {
			return Caller{}, tokenErr(ReasonInvalidToken)
		}
		if rs != nil {
			roles = rs
		}
	}
	return Caller{Sub: sub, Roles: roles, Authenticated: true}, nil
}

// decodeSegment decodes one unpadded base64url segment. Anything outside the
// base64url alphabet (padding, '+', '/', whitespace, line breaks) is refused;
// the strict decoder also refuses non-zero trailing bits.
func decodeSegment(s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return nil, errors.New("not base64url")
		}
	}
	return base64.RawURLEncoding.Strict().DecodeString(s)
}

func isNull(raw json.RawMessage) bool {
	return strings.TrimSpace(string(raw)) == "null"
}

// numberClaim reads a NumericDate claim. present is false when the claim is
// absent or null; ok is false when it is present but not a finite number.
func numberClaim(claims map[string]json.RawMessage, name string) (val float64, present, ok bool) {
	raw, found := claims[name]
	if !found || isNull(raw) {
		return 0, false, false
	}
	if err := json.Unmarshal(raw, &val); err != nil {
		return 0, true, false
	}
	return val, true, true
}

// checkAudience accepts "kanade" or an array of strings that includes it.
func checkAudience(raw json.RawMessage) error {
	if raw == nil || isNull(raw) {
		return tokenErr(ReasonMissingAud)
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if one == Audience {
			return nil
		}
		return tokenErr(ReasonInvalidAudience)
	}
	var many []string
	if json.Unmarshal(raw, &many) != nil {
		return tokenErr(ReasonInvalidAudience)
	}
	for _, a := range many {
		if a == Audience {
			return nil
		}
	}
	return tokenErr(ReasonInvalidAudience)
}

// Mint signs claims as an HS256 JWT with secret, for tests and tooling. The
// claims are encoded as given (add "sub", "exp" and "aud": "kanade" for a
// token Authenticate accepts).
func Mint(secret string, claims map[string]any) (string, error) {
	if secret == "" {
		return "", errors.New("auth: mint: empty secret")
	}
	if claims == nil {
		claims = map[string]any{}
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("auth: mint: %w", err)
	}
	enc := base64.RawURLEncoding
	signed := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc.EncodeToString(payload)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(signed))
	return signed + "." + enc.EncodeToString(m.Sum(nil)), nil
}

// CheckExposure refuses an unauthenticated API on a non-loopback address.
// It returns nil when auth is disabled on purpose, when a static token or JWT
// secret is configured, or when addr's host is a loopback IP (127.0.0.0/8,
// ::1) or "localhost". An empty host (":8080"), a wildcard (0.0.0.0, [::]) and
// any other host name count as exposed.
func CheckExposure(addr string, cfg Config) error {
	if cfg.mode() != ModeOpenLoopback || isLoopbackAddr(addr) {
		return nil
	}
	shown := addr
	if shown == "" {
		shown = `""`
	}
	return fmt.Errorf("refusing to serve the API on %s without authentication: set KANADE_AUTH_STATIC_TOKEN or KANADE_JWT_SECRET, bind to 127.0.0.1, or set KANADE_AUTH_DISABLE to run open on purpose", shown)
}

func isLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		// No port: take the whole address as the host.
		host = strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]")
	}
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	return ip.Unmap().IsLoopback()
}
