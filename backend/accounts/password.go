package accounts

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// kanade hashes with the argon2 crate's defaults (spec §1.4): argon2id
// version 19, 19 MiB of memory, two passes, one lane, a 16-byte salt and a
// 32-byte output, stored as a PHC string.
const (
	phcMemoryKiB = 19456
	phcTime      = 2
	phcLanes     = 1
	saltLen      = 16
	hashLen      = 32
)

// Bounds on parameters read from a stored hash, so a tampered or hostile
// users table cannot make one login allocate gigabytes or spin for minutes.
const (
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxTime      = 64
	maxLanes     = 64
	maxOutput    = 128
)

// MinPasswordLen is kanade's only password rule: 8 characters (runes).
const MinPasswordLen = 8

// unusableHash marks an account whose password was never set (a setup link
// is pending). It is no PHC string, so no password verifies against it.
const unusableHash = "!setup-pending"

// phc is the standard unpadded base64 of PHC strings.
var phc = base64.RawStdEncoding

// HashPassword returns a PHC string of password with kanade's parameters and
// a fresh random salt.
func HashPassword(password string) string {
	salt := make([]byte, saltLen)
	_, _ = rand.Read(salt) // crypto/rand.Read never fails
	return encodePHC(salt, argon2.IDKey([]byte(password), salt, phcTime, phcMemoryKiB, phcLanes, hashLen), phcMemoryKiB, phcTime, phcLanes)
}

func encodePHC(salt, key []byte, m uint32, t uint32, p uint8) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, p, phc.EncodeToString(salt), phc.EncodeToString(key))
}

// phcHash is a parsed "$argon2id$v=19$m=..,t=..,p=..$salt$hash".
type phcHash struct {
	memory  uint32
	time    uint32
	lanes   uint8
	salt    []byte
	key     []byte
	version int
}

// parsePHC reads an argon2id PHC string. The version field may be absent
// (PHC allows it; it then means 0x10, which x/crypto does not compute, so
// such a hash is refused). Parameters may come in any order, as the PHC
// format allows; an unknown parameter is refused.
func parsePHC(s string) (phcHash, error) {
	var h phcHash
	fields := strings.Split(s, "$")
	// "", "argon2id", ["v=19",] "m=..,t=..,p=..", salt, hash
	if len(fields) != 5 && len(fields) != 6 || fields[0] != "" {
		return h, fmt.Errorf("not a PHC string")
	}
	if fields[1] != "argon2id" {
		return h, fmt.Errorf("unsupported algorithm %q", fields[1])
	}
	rest := fields[2:]
	h.version = 0x10
	if len(fields) == 6 {
		v, ok := strings.CutPrefix(rest[0], "v=")
		if !ok {
			return h, fmt.Errorf("bad version field")
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return h, fmt.Errorf("bad version %q", v)
		}
		h.version, rest = n, rest[1:]
	}
	if h.version != argon2.Version {
		return h, fmt.Errorf("unsupported argon2 version %d", h.version)
	}
	var seen [3]bool
	for _, kv := range strings.Split(rest[0], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return h, fmt.Errorf("bad parameter %q", kv)
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return h, fmt.Errorf("bad parameter %q", kv)
		}
		switch k {
		case "m":
			if n < 8 || n > maxMemoryKiB {
				return h, fmt.Errorf("memory %d KiB out of range", n)
			}
			h.memory, seen[0] = uint32(n), true
		case "t":
			if n < 1 || n > maxTime {
				return h, fmt.Errorf("time %d out of range", n)
			}
			h.time, seen[1] = uint32(n), true
		case "p":
			if n < 1 || n > maxLanes {
				return h, fmt.Errorf("lanes %d out of range", n)
			}
			h.lanes, seen[2] = uint8(n), true
		default:
			return h, fmt.Errorf("unknown parameter %q", k)
		}
	}
	if !seen[0] || !seen[1] || !seen[2] {
		return h, fmt.Errorf("missing m, t or p")
	}
	var err error
	if h.salt, err = phc.DecodeString(rest[1]); err != nil || len(h.salt) < 8 {
		return h, fmt.Errorf("bad salt")
	}
	if h.key, err = phc.DecodeString(rest[2]); err != nil || len(h.key) < 4 || len(h.key) > maxOutput {
		return h, fmt.Errorf("bad hash")
	}
	return h, nil
}

// VerifyPassword reports whether password matches the PHC string stored.
// An unparseable hash is a mismatch, as in kanade.
func VerifyPassword(stored, password string) bool {
	h, err := parsePHC(stored)
	if err != nil {
		return false
	}
	key := argon2.IDKey([]byte(password), h.salt, h.time, h.memory, h.lanes, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(key, h.key) == 1
}

// dummyHash is verified against when the account does not exist, so a
// wrong username costs the same time as a wrong password.
var dummyHash = HashPassword("not-a-password-of-anyone")

func checkPasswordLen(pw, prefix string) error {
	if len([]rune(pw)) < MinPasswordLen {
		return invalid(prefix + "password too short (min 8 chars)")
	}
	return nil
}
