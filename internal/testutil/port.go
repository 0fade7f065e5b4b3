package testutil

import (
	"net"
	"sync"
	"testing"
)

var (
	portsMu  sync.Mutex
	portsOut = map[int]bool{}
)

// FreePort is a loopback TCP port nothing listens on now and that this
// test process has not handed out before. A port freed by closing a
// listener on :0 can come back from the very next :0 listen, so two calls
// in one test (a console's HTTP and NATS ports) returned the same port and
// the second bind failed (a CI run of TestSecondConsoleOnOneDataDirIsRefused).
func FreePort(t testing.TB) int {
	t.Helper()
	portsMu.Lock()
	defer portsMu.Unlock()
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if !portsOut[port] {
			portsOut[port] = true
			return port
		}
	}
	t.Fatal("testutil.FreePort: no new port in 100 tries")
	return 0
}
