package wire

import (
	"strings"
	"testing"
)

func TestValidKey(t *testing.T) {
	for _, tc := range []struct {
		key  string
		want bool
	}{
		{"inventory-hw", true}, {"a.b", true}, {"a/b", true}, {"A_b=c-1", true}, {strings.Repeat("x", MaxKeyLen), true},
		{"", false}, {"../x", false}, {".x", false}, {"x.", false}, {"a..b", false}, {"a b", false}, {"a*", false},
		{"a>", false}, {"ä", false}, {strings.Repeat("x", MaxKeyLen+1), false}, {"a\x00", false},
	} {
		if got := ValidKey(tc.key); got != tc.want {
			t.Errorf("ValidKey(%q) = %v, want %v", tc.key, got, tc.want)
		}
	}
}

func FuzzValidKey(f *testing.F) {
	f.Add("../x")
	f.Add("inventory-hw")
	f.Fuzz(func(t *testing.T, s string) {
		if ValidKey(s) && (strings.Contains(s, "..") || strings.ContainsAny(s, " *>\x00") || len(s) > MaxKeyLen) {
			t.Fatalf("ValidKey(%q) = true", s)
		}
	})
}
