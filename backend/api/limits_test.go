package api

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/internal/testutil"
)

// startWithTimeouts serves a real console through HTTPServer with the given
// timeouts on a loopback listener.
func startWithTimeouts(t *testing.T, to Timeouts) (*Server, string) {
	t.Helper()
	c := startReadyConsole(t, "off", quiet, 30*time.Second)
	s := New(c, builtSPA, quiet, Options{Timeouts: to})
	srv := s.HTTPServer(nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() {
		srv.Close()
		c.Stop(context.Background())
	})
	return s, ln.Addr().String()
}

// waitClosed reads until the server closes the connection; a read that
// gets nothing for 20 s means it never will.
func waitClosed(t *testing.T, conn net.Conn, what string) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, err := io.Copy(io.Discard, conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("%s: connection still open after 20 s", what)
	}
}

// Issue 16 item 7: slow-body and idle keep-alive connections are dropped;
// the long-poll routes still get their wait.
func TestTimeoutsDropSlowAndIdleConnections(t *testing.T) {
	_, addr := startWithTimeouts(t, Timeouts{ReadHeader: 300 * time.Millisecond, Read: 500 * time.Millisecond, Write: time.Second, Idle: 300 * time.Millisecond, Long: 10 * time.Second})

	t.Run("slow headers", func(t *testing.T) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		io.WriteString(conn, "GET /api/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\n")
		waitClosed(t, conn, "half-sent headers")
	})
	t.Run("slow body", func(t *testing.T) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		io.WriteString(conn, "POST /api/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":")
		waitClosed(t, conn, "a body that never ends")
	})
	t.Run("idle keep-alive", func(t *testing.T) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET /healthz: %v %v", resp, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		waitClosed(t, conn, "an idle keep-alive connection")
	})
	t.Run("a ping waits past the read and write timeouts", func(t *testing.T) {
		start := time.Now()
		req, _ := http.NewRequest("POST", "http://"+addr+"/api/agents/NOBODY/ping?wait_secs=2", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("ping cut off after %s: %v", time.Since(start), err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusRequestTimeout {
			t.Fatalf("ping = %d %s, want 408 after the wait", resp.StatusCode, body)
		}
	})
}

// At most uploadSlots agent uploads are held at once; the next gets 503
// with Retry-After, and a slot frees when an upload ends.
func TestConcurrentUploadsAreBounded(t *testing.T) {
	_, addr := startWithTimeouts(t, Timeouts{})
	type upload struct {
		pw   *io.PipeWriter
		mw   *multipart.Writer
		done chan *http.Response
	}
	start := func() *upload {
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		u := &upload{pw: pw, mw: mw, done: make(chan *http.Response, 1)}
		req, _ := http.NewRequest("POST", "http://"+addr+"/api/agents/publish", pr)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		go func() {
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				u.done <- nil
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			u.done <- resp
		}()
		fw, _ := mw.CreateFormFile("file", "kanade-agent.exe")
		fw.Write([]byte(strings.Repeat("x", 1024))) // the handler is now reading this part
		return u
	}
	finish := func(u *upload) *http.Response {
		u.mw.Close()
		u.pw.Close()
		return <-u.done
	}
	var held []*upload
	for range uploadSlots {
		held = append(held, start())
	}
	// Wait until both are inside the handler: then a third is refused.
	var third *http.Response
	testutil.WaitFor(t, 20*time.Second, func() error {
		third = finish(start())
		if third == nil || third.StatusCode != http.StatusServiceUnavailable {
			return fmt.Errorf("a third concurrent upload was not refused: %v", third)
		}
		return nil
	})
	if third.Header.Get("Retry-After") == "" {
		t.Fatalf("503 without Retry-After")
	}
	// End one held upload (not an agent binary: 400); its slot frees.
	if resp := finish(held[0]); resp == nil || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("finished upload = %v, want 400 for a file that is no agent", resp)
	}
	if resp := finish(start()); resp == nil || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("upload after a slot freed = %v, want it handled (400)", resp)
	}
	finish(held[1])
}
