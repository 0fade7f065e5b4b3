package desktop

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestInstanceIDFollowsTheDataDir(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if InstanceID(a) != InstanceID(a+string(filepath.Separator)) {
		t.Error("the id depends on a trailing separator")
	}
	if InstanceID(a) == InstanceID(b) {
		t.Error("two data dirs share an id")
	}
	if id := InstanceID(a); !strings.HasPrefix(id, "kanade-console-") || strings.ContainsAny(id, "/\\ .") {
		t.Errorf("id %q is not usable as a D-Bus name part", id)
	}
}

func TestSecondInstanceAsksTheFirstToFocus(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the socket fallback is Linux-only; elsewhere Wails' lock does this")
	}
	id := InstanceID(t.TempDir())
	first, other, err := AcquireInstance(id)
	if err != nil || other || first == nil {
		t.Fatalf("first: %v %v %v", first, other, err)
	}
	defer first.Close()
	second, other, err := AcquireInstance(id)
	if err != nil || !other || second != nil {
		t.Fatalf("second: %v %v %v", second, other, err)
	}
	select {
	case <-first.Focus:
	case <-time.After(5 * time.Second):
		t.Fatal("the first instance was not asked to focus")
	}
	first.Close()
	third, other, err := AcquireInstance(id)
	if err != nil || other {
		t.Fatalf("after the first exits: %v %v", other, err)
	}
	third.Close()
}
