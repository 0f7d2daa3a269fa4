package data

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SalvageReport says what Salvage copied and what it could not read.
type SalvageReport struct {
	// Copied counts the records written to the new store, by kind.
	Copied map[Kind]int `json:"copied"`
	// Unreadable counts stored versions that were read but could not be decoded or are not
	// valid records, by kind.
	Unreadable map[Kind]int `json:"unreadable"`
	// Skipped counts the damaged stretches of the file that had to be stepped over; records
	// in them are lost (an earlier backup may still hold them).
	Skipped int `json:"skipped"`
	// Damaged names the first versions left out because their checksum does not match (a
	// byte changed on disk); they are also counted in Unreadable.
	Damaged []DamagedRecord `json:"damaged,omitempty"`
}

// Salvage copies every readable record of the store at src (which may be damaged) into a new
// store at dst, as one import, with the stance vocabulary and the settings when they can be
// read. For each record id it keeps the newest readable version, leaving out the versions of
// an import that was still pending. src is only read; dst must not exist. A store whose meta
// pages are both damaged cannot be read at all (ErrCorrupt).
func Salvage(src, dst string) (SalvageReport, error) {
	rep := SalvageReport{Copied: map[Kind]int{}, Unreadable: map[Kind]int{}}
	src, dst = realPath(src), realPath(dst)
	if src == dst {
		return rep, fmt.Errorf("salvage: the new store must be another file than %s", src)
	}
	if _, err := os.Lstat(dst); err == nil {
		return rep, fmt.Errorf("salvage: %s already exists; name a new file", dst)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return rep, fmt.Errorf("salvage: %w", err)
	}
	lock, err := acquireLock(src, false, time.Second)
	if err != nil {
		return rep, err
	}
	defer lock.release()
	db, err := openBolt(src, true, time.Second)
	if err != nil {
		return rep, fmt.Errorf("salvage: %w", err)
	}
	defer db.Close()
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)

	var pending uint64
	var vocab []byte
	settings := map[string][]byte{}
	protect(func() {
		_ = db.View(func(tx *bolt.Tx) error {
			if meta := tx.Bucket(bktMeta); meta != nil {
				pending = getU64(meta, keyPending)
				vocab = cloneBytes(meta.Get(keyVocab))
			}
			if b := tx.Bucket(bktSettings); b != nil {
				_ = b.ForEach(func(k, v []byte) error {
					settings[string(k)] = cloneBytes(v)
					return nil
				})
			}
			return nil
		})
	})
	recs := map[Kind]map[string]record{}
	for _, k := range Kinds {
		recs[k] = map[string]record{}
		rep.Skipped += salvageKind(db, k, pending, recs[k], &rep)
	}

	tmp := dst + ".salvage-tmp-" + fmt.Sprint(time.Now().UnixNano())
	if err := writeSalvaged(tmp, src, recs, vocab, settings, &rep); err != nil {
		os.Remove(tmp)
		os.Remove(tmp + lockSuffix)
		return rep, err
	}
	os.Remove(tmp + lockSuffix)
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return rep, fmt.Errorf("salvage: %w", err)
	}
	syncDir(filepath.Dir(dst))
	return rep, nil
}

// protect runs fn, turning a bbolt panic on a damaged page (or a fault) into false.
func protect(fn func()) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	fn()
	return true
}

func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}

// maxSalvageNamed bounds how many damaged records a salvage report names.
const maxSalvageNamed = 20

// salvageKind reads the record bucket of kind k in sequence order, keeping the newest
// readable version of each id in into. A damaged page makes bbolt panic: the walk then finds
// the first readable sequence number after it (probing forward, then narrowing down) and
// goes on from there. It returns how many damaged stretches it stepped over.
func salvageKind(db *bolt.DB, k Kind, pending uint64, into map[string]record, rep *SalvageReport) int {
	skipped := 0
	next := uint64(0) // the first sequence number not yet read
	for {
		done := false
		ok := protect(func() {
			_ = db.View(func(tx *bolt.Tx) error {
				kb := tx.Bucket([]byte(k))
				if kb == nil || kb.Bucket(bktRec) == nil {
					done = true
					return nil
				}
				c := kb.Bucket(bktRec).Cursor()
				for key, v := c.Seek(u64(next)); key != nil; key, v = c.Next() {
					if len(key) != 8 {
						rep.Unreadable[k]++
						continue
					}
					seq := binary.BigEndian.Uint64(key)
					if seq < next {
						continue
					}
					next = seq + 1
					if g := versionG(v); g != 0 && g == pending {
						continue
					}
					r, err := decodeAny(k, v)
					if err != nil || r.validate() != nil {
						rep.Unreadable[k]++
						if errors.Is(err, errSum) && len(rep.Damaged) < maxSalvageNamed {
							d := DamagedRecord{Kind: k, Seq: seq}
							if r, err := decodeUnchecked(k, v); err == nil {
								d.ID = r.recID()
							}
							rep.Damaged = append(rep.Damaged, d)
						}
						continue
					}
					into[r.recID()] = r // newer versions have larger sequence numbers
				}
				done = true
				return nil
			})
		})
		if done && ok {
			return skipped
		}
		skipped++
		resume, found := firstReadable(db, k, next)
		if !found {
			return skipped
		}
		next = resume
	}
}

// firstReadable finds a sequence number at or after from where the record bucket can be read
// again: it probes from+1, +2, +4... until a seek works, then narrows down to the first one.
func firstReadable(db *bolt.DB, k Kind, from uint64) (uint64, bool) {
	readable := func(seq uint64) (ok, end bool) {
		good := protect(func() {
			_ = db.View(func(tx *bolt.Tx) error {
				c := tx.Bucket([]byte(k)).Bucket(bktRec).Cursor()
				key, v := c.Seek(u64(seq))
				if key == nil {
					end = true
					return nil
				}
				_ = versionG(v) // touch the value: a fault shows here
				return nil
			})
		})
		return good, end
	}
	bad := from
	step := uint64(1)
	var hi uint64
	for {
		if from+step < from { // overflow: nothing readable after
			return 0, false
		}
		probe := from + step
		ok, end := readable(probe)
		if end {
			return 0, false
		}
		if ok {
			hi = probe
			break
		}
		bad = probe
		step *= 2
	}
	for hi-bad > 1 { // bad is unreadable, hi readable
		mid := bad + (hi-bad)/2
		if ok, _ := readable(mid); ok {
			hi = mid
		} else {
			bad = mid
		}
	}
	return hi, true
}

// writeSalvaged writes the records into a new store at path as one import.
func writeSalvaged(path, src string, recs map[Kind]map[string]record, vocab []byte, settings map[string][]byte, rep *SalvageReport) error {
	st, err := Open(path, Options{New: true})
	if err != nil {
		return fmt.Errorf("salvage: %w", err)
	}
	defer st.Close()
	b, err := st.BeginImport(ImportInfo{File: filepath.Base(src), Source: "salvage"})
	if err != nil {
		return fmt.Errorf("salvage: %w", err)
	}
	for _, k := range Kinds {
		for _, r := range recs[k] {
			if err := b.put(r); err != nil {
				b.Abort()
				return fmt.Errorf("salvage: %w", err)
			}
			rep.Copied[k]++
		}
	}
	if _, err := b.Commit(); err != nil {
		return fmt.Errorf("salvage: %w", err)
	}
	return st.update(func(tx *bolt.Tx) error {
		if len(vocab) > 0 {
			var v Vocabulary
			if err := json.Unmarshal(vocab, &v); err == nil && v.Validate() == nil {
				if err := tx.Bucket(bktMeta).Put(keyVocab, vocab); err != nil {
					return err
				}
			}
		}
		sb := tx.Bucket(bktSettings)
		for k, v := range settings {
			if err := sb.Put([]byte(k), v); err != nil {
				return err
			}
		}
		return nil
	})
}
