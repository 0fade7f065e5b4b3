package desktop

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// InstanceID names the single-instance lock of a base dir.
func InstanceID(baseDir string) string {
	abs, err := filepath.Abs(baseDir)
	if err != nil {
		abs = baseDir
	}
	sum := sha256.Sum256([]byte(filepath.Clean(abs)))
	return "kanade-console-" + hex.EncodeToString(sum[:8])
}

// On Linux, Wails' SingleInstanceLock needs a D-Bus session bus and is
// silently off without one (CI, ssh -X, minimal desktops). An abstract unix
// socket named after the base dir is a lock the kernel drops with the
// process, and it carries the "focus" request from a second launch. Other
// systems rely on Wails' lock (a named mutex on Windows, a distributed
// notification on macOS).

// InstanceLock holds the lock; Focus requests arrive on its channel.
type InstanceLock struct {
	ln    net.Listener
	Focus chan struct{}
}

// AcquireInstance takes the lock for id. other is true when another
// instance holds it (it was asked to focus its window). On systems without
// the fallback it returns (nil, false, nil).
func AcquireInstance(id string) (lock *InstanceLock, other bool, err error) {
	if runtime.GOOS != "linux" {
		return nil, false, nil
	}
	name := "@" + id
	ln, err := net.Listen("unix", name)
	if err != nil {
		conn, derr := net.DialTimeout("unix", name, 2*time.Second)
		if derr != nil {
			return nil, false, fmt.Errorf("single-instance lock: %v", err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(2 * time.Second))
		fmt.Fprintln(conn, "focus")
		io.ReadAll(conn) // wait for the first instance to take it
		return nil, true, nil
	}
	l := &InstanceLock{ln: ln, Focus: make(chan struct{}, 1)}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 16)
			conn.SetDeadline(time.Now().Add(2 * time.Second))
			n, _ := conn.Read(buf)
			if strings.TrimSpace(string(buf[:n])) == "focus" {
				select {
				case l.Focus <- struct{}{}:
				default:
				}
			}
			conn.Close()
		}
	}()
	return l, false, nil
}

func (l *InstanceLock) Close() {
	if l != nil {
		l.ln.Close()
	}
}
