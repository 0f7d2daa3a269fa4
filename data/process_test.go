package data

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary play a second Sitrep process: with SITREP_TEST_CHILD set to a
// store path it opens the store, commits the demo data, writes several chunks of a second
// import without committing it, says "ready" and waits to be killed.
func TestMain(m *testing.M) {
	if path := os.Getenv("SITREP_TEST_CHILD"); path != "" {
		os.Exit(childProcess(path))
	}
	os.Exit(m.Run())
}

func childProcess(path string) int {
	fail := func(err error) int { fmt.Println("error:", err); return 1 }
	s, err := Open(path, Options{})
	if err != nil {
		return fail(err)
	}
	b, err := s.BeginImport(ImportInfo{File: "demo", Source: "demo"})
	if err != nil {
		return fail(err)
	}
	for i := range 5 {
		r := Incident{ID: fmt.Sprintf("D-%d", i), Date: MustDate("2025-09-01"), Theatre: "Caribbean", Killed: Exactly(2)}
		if err := b.PutIncident(&r); err != nil {
			return fail(err)
		}
	}
	if _, err := b.Commit(); err != nil {
		return fail(err)
	}
	s.chunk = 100 // several chunks written before the kill
	b, err = s.BeginImport(ImportInfo{File: "big.csv", Source: "file"})
	if err != nil {
		return fail(err)
	}
	for _, r := range synth(1000, "K") {
		if err := b.PutIncident(&r); err != nil {
			return fail(err)
		}
	}
	upd := Incident{ID: "D-0", Date: MustDate("2025-09-01"), Theatre: "Caribbean", Killed: Exactly(20)}
	if err := b.PutIncident(&upd); err != nil {
		return fail(err)
	}
	if err := b.wait(); err != nil {
		return fail(err)
	}
	fmt.Println("ready")
	time.Sleep(time.Minute) // killed by the parent long before
	return 0
}

// TestOtherProcess runs a second process that holds the store with an import half written:
// Open here must give ErrLocked within 2 s; after the process is killed, Open rolls the
// import back and the store is as it was before that import.
func TestOtherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SITREP_TEST_CHILD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		t.Fatalf("child: %q %v", line, err)
	}
	start := time.Now()
	_, err = Open(path, Options{})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), path+" is open in another Sitrep process") {
		t.Errorf("Open while another process holds the store: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("ErrLocked took %v", d)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open after the other process died: %v", err)
	}
	st, err := s.Stats(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Incidents != 5 || st.KilledMin != 10 {
		t.Errorf("after rollback: %d incidents, %d killed; want 5 and 10", st.Incidents, st.KilledMin)
	}
	logs, _ := s.Imports()
	if len(logs) != 2 || logs[0].Status != StatusFailed || logs[1].Status != StatusCommitted {
		t.Errorf("import log after crash: %+v", logs)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	checkFile(t, path)
}
