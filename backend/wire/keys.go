package wire

// MaxKeyLen bounds an id that names a KV key (job, schedule, group, PC,
// release version): far above any real id, far below what would make
// subjects, audit rows and error messages unwieldy.
const MaxKeyLen = 255

// ValidKey reports whether s can be a key of a kanade KV bucket: 1 to
// MaxKeyLen characters from A-Z a-z 0-9 - _ = . / (the NATS KV key
// alphabet), not starting or ending with '.', and without an empty token
// (".."), which the server refuses as a subject.
func ValidKey(s string) bool {
	if s == "" || len(s) > MaxKeyLen || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	prevDot := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '=', c == '/':
		case c == '.':
			if prevDot {
				return false
			}
		default:
			return false
		}
		prevDot = c == '.'
	}
	return true
}
