package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/internal/testutil"
)

// testCA writes a server certificate for 127.0.0.1 signed by a new CA and
// returns the CA pool and the PEM files.
func testCA(t *testing.T) (*x509.CertPool, string, string) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, _ := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "kanade-console"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return pool, certFile, keyFile
}

// serve --tls-cert/--tls-key answers HTTPS with the operator's certificate.
func TestServeHTTPS(t *testing.T) {
	pool, certFile, keyFile := testCA(t)
	addr := fmt.Sprintf("127.0.0.1:%d", testutil.FreePort(t))
	cmd := exec.Command(binary, "serve", "--addr", addr, "--data", t.TempDir(), "--nats-listen", "off", "--tls-cert", certFile, "--tls-key", keyFile)
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 5 * time.Second}
	var resp *http.Response
	testutil.WaitFor(t, 30*time.Second, func() error {
		var err error
		if resp, err = client.Get("https://" + addr + "/health"); err != nil {
			return fmt.Errorf("no HTTPS answer: %v\n%s", err, stderr.String())
		}
		resp.Body.Close()
		return nil
	})
	if resp.TLS == nil || resp.StatusCode != 200 {
		t.Fatalf("status %d, tls %v", resp.StatusCode, resp.TLS != nil)
	}
	if !strings.Contains(stderr.String(), "https://"+addr) {
		t.Errorf("log does not show the https URL:\n%s", stderr.String())
	}
}

func TestClusterAndTLSMisconfigurationsExitWithOneLine(t *testing.T) {
	data := t.TempDir()
	_, certFile, _ := testCA(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--nats-replicas", "3"}, "needs a NATS cluster"},
		{[]string{"--nats-url", "nats://127.0.0.1:1", "--nats-replicas", "9"}, "--nats-replicas 9: want 1-5"},
		{[]string{"--tls-cert", certFile}, "--tls-cert and --tls-key go together"},
		{[]string{"--tls-cert", certFile, "--tls-key", certFile, "--nats-listen", "off"}, "--tls-cert/--tls-key"},
		{[]string{"--nats-agent-user", "agent"}, "--nats-agent-user and --nats-agent-password go together"},
		{[]string{"--nats-listen", "0.0.0.0:0"}, "refusing to open the agent listener on 0.0.0.0:0 without credentials"},
	} {
		cmd := exec.Command(binary, append([]string{"serve", "--data", data, "--addr", "127.0.0.1:0"}, tc.args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() == 0 {
			t.Errorf("%v: err = %v, want a non-zero exit", tc.args, err)
			continue
		}
		out := strings.TrimSpace(stderr.String())
		if strings.Count(out, "\n") != 0 || !strings.Contains(out, tc.want) {
			t.Errorf("%v: stderr %q, want one line with %q", tc.args, out, tc.want)
		}
	}
}
