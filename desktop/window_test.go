package desktop

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWindowStateRoundTripAndSanity(t *testing.T) {
	dir := t.TempDir()
	if ws := LoadWindowState(dir); ws.Width != defaultWidth || ws.Height != defaultHeight || ws.HasPos {
		t.Errorf("missing file: %+v", ws)
	}
	want := WindowState{Width: 1400, Height: 900, X: 30, Y: 40, HasPos: true}
	if err := SaveWindowState(dir, want); err != nil {
		t.Fatal(err)
	}
	if got := LoadWindowState(dir); got != want {
		t.Errorf("round trip: %+v", got)
	}
	os.WriteFile(filepath.Join(dir, windowStateFile), []byte(`{"width":20,"height":99999,"x":999999,"has_position":true,"maximised":true}`), 0o644)
	if ws := LoadWindowState(dir); ws.Width != defaultWidth || ws.HasPos || !ws.Maximised {
		t.Errorf("absurd file: %+v", ws)
	}
	os.WriteFile(filepath.Join(dir, windowStateFile), []byte(`{not json`), 0o644)
	if ws := LoadWindowState(dir); ws.Width != defaultWidth {
		t.Errorf("corrupt file: %+v", ws)
	}
}
