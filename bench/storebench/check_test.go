package storebench

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"sitrep/data"
)

// BenchmarkCheck1M measures the consistency checks (issue 14) on a store of a million
// incidents: bbolt's page check, the records' checksums, both (`sitrep check`), and the check
// that runs before every import and backup. SITREP_BENCH_STORE=PATH keeps the store
// between runs (it is filled once).
//
//	go test -run '^$' -bench 'Check1M' -benchtime 3x ./bench/storebench/
func BenchmarkCheck1M(b *testing.B) {
	path := os.Getenv("SITREP_BENCH_STORE")
	if path == "" {
		path = filepath.Join(b.TempDir(), "check.db")
	}
	s, err := data.Open(path, storeOptions())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if st, _ := s.Stats(data.Filter{}); st.Incidents < benchN {
		start := time.Now()
		fill(b, s, benchN)
		b.Logf("filled %d incidents in %s", benchN, time.Since(start))
	}
	if fi, err := os.Stat(path); err == nil {
		b.Logf("store %d MB", fi.Size()>>20)
	}
	b.Run("bbolt-Tx.Check", func(b *testing.B) {
		since := cpuTime()
		for b.Loop() {
			if err := s.CheckPages(); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, since)
	})
	b.Run("record-checksums", func(b *testing.B) {
		since := cpuTime()
		for b.Loop() {
			sums, err := s.VerifyRecords()
			if err != nil || sums.DamagedCount > 0 {
				b.Fatal(err, sums.Describe())
			}
			b.ReportMetric(float64(sums.Summed), "summed")
		}
		reportCPU(b, since)
	})
	b.Run("full-Check", func(b *testing.B) {
		since := cpuTime()
		for b.Loop() {
			if err := s.Check(); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, since)
	})
	b.Run("CheckForWrite", func(b *testing.B) {
		since := cpuTime()
		for b.Loop() {
			if err := s.CheckForWrite(); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, since)
	})
}
