package accounts

import (
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// kanade's TOTP (spec §1.8): SHA1, 6 digits, 30-second step, ±1 step,
// issuer "kanade", a 160-bit base32 secret.
const totpIssuer = "kanade"

var totpOpts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// newTOTP makes a fresh secret for username and its otpauth:// URL.
func newTOTP(username string) (secret, url string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: username, Period: 30, SecretSize: 20, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", "", err
	}
	return key.Secret(), key.URL(), nil
}

// validTOTP checks a 6-digit code against secret at now, ±1 step.
func validTOTP(secret, code string, now time.Time) bool {
	code = strings.TrimSpace(code)
	if len(code) != 6 || secret == "" {
		return false
	}
	ok, err := totp.ValidateCustom(code, secret, now.UTC(), totpOpts)
	return err == nil && ok
}

// TOTPCode computes the current code for secret (tests and the e2e suite).
func TOTPCode(secret string, at time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, at.UTC(), totpOpts)
}
