// Command mergebench measures sitrep merge at a million incidents: the time, CPU time and
// memory of merging one store of N incidents (with revisions) into another store of N
// incidents with different ids.
//
//	go run ./bench/mergebench -build -n 1000000 -dir /tmp/mergebench   # once: a.db and b.db
//	go run ./bench/mergebench -n 1000000 -dir /tmp/mergebench          # copy a.db, merge b.db
//	go run ./bench/mergebench -twice -dir /tmp/mergebench              # and merge it again
//
// -build writes a.db (N incidents, ids A-…, one import) and b.db (N incidents, ids B-…, then
// a re-import revising a tenth of them) with bench/tablebench's generator, each with its own
// store id. Without -build, the command copies a.db to work.db (so every run starts from the
// same store), merges b.db into it and prints wall time, CPU seconds, the peak resident set
// (VmHWM) and the peak of its anonymous part (RssAnon, sampled every 20 ms: the heap, without
// the store files' mapped pages). Results are in bench/KNOWNON.md.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"sitrep/bench/tablebench"
	"sitrep/data"
)

func main() {
	build := flag.Bool("build", false, "write a.db and b.db in -dir")
	n := flag.Int("n", 1_000_000, "incidents per store")
	dir := flag.String("dir", "/tmp/mergebench", "folder of the stores")
	twice := flag.Bool("twice", false, "then merge b.db again (it must add nothing) and measure that too")
	flag.Parse()
	var err error
	if *build {
		err = buildStores(*dir, *n)
	} else {
		err = merge(*dir, *twice)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mergebench:", err)
		os.Exit(1)
	}
}

// buildStores writes a.db and b.db.
func buildStores(dir string, n int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	t0 := time.Now()
	for _, st := range []struct {
		file, prefix, name string
		revise             bool
	}{{"a.db", "A-", "Team A", false}, {"b.db", "B-", "Team B", true}} {
		path := filepath.Join(dir, st.file)
		os.Remove(path)
		s, err := data.Open(path, data.Options{})
		if err != nil {
			return err
		}
		if err := s.SetName(st.name); err != nil {
			s.Close()
			return err
		}
		passes := 1
		if st.revise {
			passes = 2
		}
		for pass := range passes {
			if err := importPass(s, st.prefix, n, pass); err != nil {
				s.Close()
				return fmt.Errorf("%s: %w", path, err)
			}
		}
		if err := s.Close(); err != nil {
			return err
		}
	}
	fmt.Printf("built a.db and b.db (%d incidents each) in %s\n", n, time.Since(t0).Round(time.Second))
	return nil
}

// importPass imports the generator's incidents with the ids prefixed; pass 1 revises every
// tenth one (a different death toll).
func importPass(s *data.Store, prefix string, n, pass int) error {
	b, err := s.BeginImport(data.ImportInfo{File: fmt.Sprintf("%sweek-%d.xlsx", prefix, pass), Source: "file"})
	if err != nil {
		return err
	}
	defer b.Abort()
	i := 0
	err = tablebench.Incidents(n, func(r *data.Incident) error {
		i++
		if pass == 1 && i%10 != 0 {
			return nil
		}
		r.ID = prefix + strings.TrimPrefix(r.ID, "GEN-")
		if pass == 1 {
			r.Killed = data.Exactly(r.Killed.Max + 1)
		}
		return b.PutIncident(r)
	})
	if err != nil {
		return err
	}
	_, err = b.Commit()
	return err
}

// merge copies a.db to work.db and merges b.db into it, measuring; with twice, it merges b.db
// again.
func merge(dir string, twice bool) error {
	work := filepath.Join(dir, "work.db")
	if err := copyFile(filepath.Join(dir, "a.db"), work); err != nil {
		return err
	}
	defer os.Remove(work)
	s, err := data.Open(work, data.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	var peakAnon atomic.Int64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tk := time.NewTicker(20 * time.Millisecond)
		defer tk.Stop()
		for {
			if a := statusKB("RssAnon"); a > peakAnon.Load() {
				peakAnon.Store(a)
			}
			select {
			case <-stop:
				return
			case <-tk.C:
			}
		}
	}()
	hwm0 := statusKB("VmHWM")
	c0, t0 := cpuTime(), time.Now()
	res, err := s.MergeFile(filepath.Join(dir, "b.db"), data.MergeOptions{})
	wall, cpu := time.Since(t0), cpuTime()-c0
	close(stop)
	<-done
	if err != nil {
		return err
	}
	fmt.Printf("merge b.db into a copy of a.db: added %d, updated %d, unchanged %d, %d conflicts\n",
		res.Added, res.Updated, res.Unchanged, len(res.Conflicts))
	fmt.Printf("wall %.2f s, cpu %.2f s, peak VmHWM %d MB (after opening: %d MB), peak RssAnon %d MB\n",
		wall.Seconds(), cpu.Seconds(), statusKB("VmHWM")/1024, hwm0/1024, peakAnon.Load()/1024)
	if !twice {
		return nil
	}
	c0, t0 = cpuTime(), time.Now()
	res, err = s.MergeFile(filepath.Join(dir, "b.db"), data.MergeOptions{})
	if err != nil {
		return err
	}
	fmt.Printf("again: added %d, updated %d, unchanged %d, %d conflicts; wall %.2f s, cpu %.2f s\n",
		res.Added, res.Updated, res.Unchanged, len(res.Conflicts), time.Since(t0).Seconds(), (cpuTime() - c0).Seconds())
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// statusKB reads a "kB" field of /proc/self/status (0 when it cannot).
func statusKB(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if ok && name == field {
			v, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return v
		}
	}
	return 0
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
