package data

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// dumpStore returns every key and value in the store's buckets ("bucket/sub/key" -> value),
// except what an import that fails leaves behind by design: the counters meta/seq and
// meta/import_seq (numbers are not reused) and the import log (which records the failure).
func dumpStore(t *testing.T, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	var walk func(prefix string, b *bolt.Bucket) error
	walk = func(prefix string, b *bolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				return walk(prefix+string(k)+"/", b.Bucket(k))
			}
			out[prefix+string(k)] = string(v)
			return nil
		})
	}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			if string(name) == string(bktImports) {
				return nil
			}
			return walk(string(name)+"/", b)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	delete(out, "meta/"+string(keySeq))
	delete(out, "meta/"+string(keyImportN))
	return out
}

// diffDumps describes how two dumps differ (empty when they are equal).
func diffDumps(got, want map[string]string) string {
	var d []string
	for k, v := range want {
		if g, ok := got[k]; !ok {
			d = append(d, "missing "+k)
		} else if g != v {
			d = append(d, "changed "+k)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			d = append(d, "added "+k)
		}
	}
	if len(d) > 8 {
		d = append(d[:8], fmt.Sprintf("and %d more", len(d)-8))
	}
	return strings.Join(d, "; ")
}

// visibleState is what a user of the store can see: every record, its revisions, the
// conflicts and the totals.
func visibleState(t *testing.T, s *Store) map[string]any {
	t.Helper()
	out := map[string]any{}
	// The merge's import number depends on how many attempts failed before: named alike.
	logs, err := s.Imports()
	if err != nil {
		t.Fatal(err)
	}
	merge := ""
	if len(logs) > 0 && logs[0].Source == SourceMerge && logs[0].Status == StatusCommitted {
		merge = logs[0].ID
	}
	for k, v := range bodies(t, s) {
		out[k] = v
	}
	for _, id := range []string{"US-2025-06", "US-2025-07", "US-2025-08", "US-2025-09", "US-2025-10", "US-2025-11", "A-1", "B-1"} {
		revs, err := s.Revisions(KindIncident, id)
		if err != nil {
			t.Fatal(err)
		}
		for i := range revs {
			if revs[i].By == merge {
				revs[i].By = "the merge"
			}
		}
		out["revisions/"+id] = revs
	}
	cs, err := s.Conflicts()
	if err != nil {
		t.Fatal(err)
	}
	for i := range cs {
		cs[i].Merge = "the merge"
	}
	out["conflicts"] = cs
	st, err := s.Stats(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	out["stats"] = st
	return out
}

// A merge written in chunks that fails at any chunk leaves the store exactly as it was
// (every bucket, byte for byte), and the merge can then be run to the end; the result is the
// same as a merge never interrupted.
func TestMergeInterruptedLeavesStoreAsBefore(t *testing.T) {
	dv := divergedStores(t, 3)
	dv.tick()
	ref := copyStore(t, dv.b, "reference", dv.now)
	mergeInto(t, ref, dv.a, MergeOptions{})
	want := visibleState(t, ref)

	b := dv.b
	before := dumpStore(t, b)
	chunks := 0
	for k := 1; ; k++ {
		res, err := b.Merge(dv.a, MergeOptions{failAfter: k})
		if err == nil {
			chunks = k - 1
			if len(res.Conflicts) != 3 {
				t.Errorf("the merge run to the end: %+v", countsOf(res))
			}
			break
		}
		if !errors.Is(err, errInjected) || !strings.Contains(err.Error(), "nothing was changed") {
			t.Fatalf("merge failing at chunk %d: %v", k, err)
		}
		if d := diffDumps(dumpStore(t, b), before); d != "" {
			t.Fatalf("after a merge failed at chunk %d the store differs: %s", k, d)
		}
		logs, _ := b.Imports()
		if logs[0].Source != SourceMerge || logs[0].Status != StatusFailed {
			t.Errorf("failed merge logged as %+v", logs[0])
		}
		if k > 100 {
			t.Fatal("the merge never ends")
		}
	}
	// Alice has about 20 incidents, 20 statements and 10 tallies: chunks of 3 make many.
	if chunks < 10 {
		t.Errorf("the merge took %d chunks; the test wants many", chunks)
	}
	if d := diffVisible(visibleState(t, b), want); d != "" {
		t.Errorf("merge after failed attempts differs from an uninterrupted one: %s", d)
	}
	// Merging twice still adds nothing.
	again := mergeInto(t, b, dv.a, MergeOptions{})
	if again.Added+again.Updated+len(again.Conflicts) != 0 {
		t.Errorf("second merge: %+v", countsOf(again))
	}
}

// A merge whose process dies midway (the merge left pending) is rolled back when the store
// is opened again: exactly as before. One that dies after its commit, before the clean-up,
// shows the merge at once, and opening finishes the clean-up: the store is then byte for
// byte what an uninterrupted merge gives.
func TestMergeCrashRecovery(t *testing.T) {
	dv := divergedStores(t, 3)
	dv.tick()
	ref := copyStore(t, dv.b, "reference", dv.now)
	mergeInto(t, ref, dv.a, MergeOptions{})
	want := visibleState(t, ref)
	wantDump := dumpStore(t, ref)
	before := dumpStore(t, dv.b)
	reopen := func(t *testing.T, s *Store) *Store {
		t.Helper()
		path := s.Path()
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s, err := Open(path, Options{Now: dv.now, ChunkSize: 3})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			s.Close()
			checkFile(t, path)
		})
		return s
	}
	// How many chunks the merge takes: the first failure point past them lets it finish.
	chunks := 0
	probe := copyStore(t, dv.b, "probe", dv.now)
	for k := 1; chunks == 0 && k < 100; k++ {
		if _, err := probe.Merge(dv.a, MergeOptions{failAfter: k}); err == nil {
			chunks = k - 1
		}
	}
	for _, tc := range []struct {
		name string
		opts MergeOptions
	}{
		{"dies after the first chunk", MergeOptions{dieAfter: 1}},
		{"dies midway", MergeOptions{dieAfter: chunks / 2}},
		{"dies after the last chunk, before the commit", MergeOptions{dieAfter: chunks}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := copyStore(t, dv.b, "crash", dv.now)
			if _, err := s.Merge(dv.a, tc.opts); !errors.Is(err, errDie) {
				t.Fatalf("merge: %v", err)
			}
			if d := diffVisible(visibleState(t, s), visibleState(t, dv.b)); d != "" {
				t.Errorf("a pending merge is visible: %s", d)
			}
			s = reopen(t, s)
			if d := diffDumps(dumpStore(t, s), before); d != "" {
				t.Errorf("after the rollback at open the store differs: %s", d)
			}
			logs, _ := s.Imports()
			if logs[0].Source != SourceMerge || logs[0].Status != StatusFailed {
				t.Errorf("crashed merge logged as %+v", logs[0])
			}
		})
	}
	t.Run("dies after the commit", func(t *testing.T) {
		s := copyStore(t, dv.b, "crash-after", dv.now)
		if _, err := s.Merge(dv.a, MergeOptions{dieAfterFlip: true}); !errors.Is(err, errDie) {
			t.Fatalf("merge: %v", err)
		}
		// Committed: visible at once, the staged conflicts too, before any clean-up.
		if got := visibleState(t, s); !reflect.DeepEqual(got["conflicts"], want["conflicts"]) {
			t.Errorf("conflicts before the clean-up:\n got %v\nwant %v", got["conflicts"], want["conflicts"])
		}
		if got := bodiesOnly(visibleState(t, s)); !reflect.DeepEqual(got, bodiesOnly(want)) {
			t.Error("records before the clean-up differ from an uninterrupted merge's")
		}
		s = reopen(t, s)
		if d := diffVisible(visibleState(t, s), want); d != "" {
			t.Errorf("after the clean-up at open: %s", d)
		}
		if d := diffDumps(dumpStore(t, s), wantDump); d != "" {
			t.Errorf("after the clean-up at open the store differs from an uninterrupted merge's: %s", d)
		}
	})
}

// diffVisible names the parts of two visible states that differ, showing the first.
func diffVisible(got, want map[string]any) string {
	var d []string
	for k, w := range want {
		if g := got[k]; !reflect.DeepEqual(g, w) {
			if len(d) == 0 {
				d = append(d, fmt.Sprintf("%s:\n got %v\nwant %v\n", k, g, w))
			} else {
				d = append(d, k)
			}
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			d = append(d, "extra "+k)
		}
	}
	return strings.Join(d, "; ")
}

// bodiesOnly is a visible state's records and totals only.
func bodiesOnly(v map[string]any) map[string]any {
	out := map[string]any{}
	for k, x := range v {
		if !strings.HasPrefix(k, "revisions/") && k != "conflicts" {
			out[k] = x
		}
	}
	return out
}
