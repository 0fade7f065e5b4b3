package desktop

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// WindowState is the window's last size and position (window.json).
type WindowState struct {
	Width     int  `json:"width"`
	Height    int  `json:"height"`
	X         int  `json:"x"`
	Y         int  `json:"y"`
	HasPos    bool `json:"has_position"`
	Maximised bool `json:"maximised"`
}

const (
	defaultWidth, defaultHeight = 1280, 800
	MinWidth, MinHeight         = 800, 560
	maxWindowSide               = 16384
)

// LoadWindowState reads window.json, falling back to the default size for
// a missing, corrupt or absurd file.
func LoadWindowState(dir string) WindowState {
	ws := WindowState{Width: defaultWidth, Height: defaultHeight}
	b, err := os.ReadFile(filepath.Join(dir, windowStateFile))
	if err != nil {
		return ws
	}
	var got WindowState
	if json.Unmarshal(b, &got) != nil {
		return ws
	}
	if got.Width >= MinWidth && got.Width <= maxWindowSide && got.Height >= MinHeight && got.Height <= maxWindowSide {
		ws.Width, ws.Height = got.Width, got.Height
	}
	if got.HasPos && got.X > -maxWindowSide && got.X < maxWindowSide && got.Y > -maxWindowSide && got.Y < maxWindowSide {
		ws.X, ws.Y, ws.HasPos = got.X, got.Y, true
	}
	ws.Maximised = got.Maximised
	return ws
}

func SaveWindowState(dir string, ws WindowState) error {
	return writeFileAtomic(filepath.Join(dir, windowStateFile), ws, 0o644)
}

func writeFileAtomic(path string, v any, perm os.FileMode) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
