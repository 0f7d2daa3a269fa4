package data

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Sentinel errors callers test with errors.Is. The errors the store returns wrap them with the
// context a user needs (the file, the record).
var (
	// ErrLocked: the store file is held by another Sitrep process (or another Store in this one).
	ErrLocked = errors.New("is open in another Sitrep process")
	// ErrSchemaTooNew: the file was written by a newer Sitrep with a layout this one cannot read.
	ErrSchemaTooNew = errors.New("written by a newer Sitrep")
	// ErrNotFound: no record (or import) with that id.
	ErrNotFound = errors.New("not found")
	// ErrCorrupt: the file is not a Sitrep store, or it is damaged. The file is left untouched.
	ErrCorrupt = errors.New("not a Sitrep store, or damaged")
	// ErrDuplicateID: a batch was given two records of the same kind with the same id.
	ErrDuplicateID = errors.New("duplicate id in one import")
	// ErrBusy: an import is in progress on this Store; edits and other imports must wait for
	// it to commit or abort.
	ErrBusy = errors.New("an import is in progress")
	// ErrReadOnly: the store was opened read-only.
	ErrReadOnly = errors.New("store is open read-only")
	// ErrStoreGone: the store file is missing or empty while backups of it lie beside it, so
	// creating a new store there would soon rotate those backups away.
	ErrStoreGone = errors.New("the store is gone but backups exist: restore one, or pass --new")
)

// Options tune Open.
type Options struct {
	// Timeout is how long Open waits for another process to release the file before it
	// returns ErrLocked. Zero means one second.
	Timeout time.Duration
	// ReadOnly opens the store for reading only; several read-only Stores may share a file.
	ReadOnly bool
	// New lets Open create a store where the file is missing or empty although backups of a
	// store lie beside it (without it Open refuses with ErrStoreGone).
	New bool
	// Now is the clock the store stamps imports and revisions with; nil means time.Now.
	// Tests set it to make those times deterministic.
	Now func() time.Time
	// ChunkSize is how many records an import, a rollback or a clean-up writes per bbolt
	// transaction; zero means 10,000 (bbolt advises against much more). Tests lower it to
	// exercise chunk boundaries on small data; benchmarks vary it.
	ChunkSize int
}

// defaultChunkSize is Options.ChunkSize's default.
const defaultChunkSize = 10000

// Store is a Sitrep data file: records, their revisions, the import log and settings in one
// bbolt database. A Store is safe for concurrent use.
type Store struct {
	lock     *storeLock
	db       *bolt.DB
	path     string
	readOnly bool
	now      func() time.Time
	chunk    int // records per transaction for imports, rollbacks and clean-ups
	// wmu is held by an open import batch and, briefly, by edits and undo: it keeps record
	// sequence numbers of one import contiguous, so rolling back an import is a range delete.
	wmu sync.Mutex
	// importing is set while an import batch holds wmu: edits then fail with ErrBusy
	// instead of waiting for the whole import.
	importing atomic.Bool
	// checkedTx is the bbolt transaction id at the last CheckForWrite that passed (checkOnce).
	checkedTx atomic.Int64
	// gen counts committed write transactions, so that known-on deltas can be cached until
	// the store changes.
	gen   atomic.Uint64
	known knownCache
	// lastRun is the automatic backup taken before the latest run of imports
	// (BackupBeforeImport), for GiveBackAfterFailedImports.
	runMu   sync.Mutex
	lastRun importRun
}

// Bucket and key names; see doc.go for the tree.
var (
	bktMeta     = []byte("meta")
	bktSettings = []byte("settings")
	bktImports  = []byte("imports")
	bktRollup   = []byte("rollup")
	bktRec      = []byte("rec")
	bktID       = []byte("id")
	bktDate     = []byte("date")
	bktRev      = []byte("rev")
	bktSup      = []byte("sup")

	keySchema   = []byte("schema")
	keyEncoding = []byte("encoding")
	keySeq      = []byte("seq")
	keyImportN  = []byte("import_seq")
	keyPending  = []byte("pending")
	keyVocab    = []byte("vocabulary")
)

func keySpan(k Kind) []byte { return []byte("span:" + string(k)) }

// migration is one step of the schema. Each runs in its own transaction, which also records
// its version in the meta bucket.
type migration struct {
	version int
	name    string
	run     func(tx *bolt.Tx) error
}

// migrations is the ordered schema history. Append, never edit: files in the field were
// written by the earlier steps.
var migrations = []migration{
	{1, "initial layout: meta, settings, imports, rollup, one bucket per kind", func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bktMeta, bktSettings, bktImports, bktRollup} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		for _, k := range Kinds {
			kb, err := tx.CreateBucketIfNotExists([]byte(k))
			if err != nil {
				return err
			}
			for _, sub := range [][]byte{bktRec, bktID, bktDate, bktRev, bktSup} {
				if _, err := kb.CreateBucketIfNotExists(sub); err != nil {
					return err
				}
			}
		}
		return tx.Bucket(bktMeta).Put(keyEncoding, []byte(encodingName))
	}},
	{2, "rollup totals gain injured, unknown counts and strikes: recomputed from the incidents", rebuildRollup},
}

// rebuildRollup recomputes the rollup from the current incidents (those a reader sees), so
// that its totals carry every field of Totals.
func rebuildRollup(tx *bolt.Tx) error {
	if tx.Bucket(bktRollup) != nil {
		if err := tx.DeleteBucket(bktRollup); err != nil {
			return err
		}
	}
	rollup, err := tx.CreateBucket(bktRollup)
	if err != nil {
		return err
	}
	kb, err := kindOf(tx, KindIncident)
	if err != nil {
		return err
	}
	v := newView(tx)
	sums := map[string]Totals{}
	err = kb.rec.ForEach(func(seq, val []byte) error {
		if !v.visible(kb, seq, versionG(val)) {
			return nil
		}
		inc, err := decodeIncident(val)
		if err != nil {
			return err
		}
		k := string(rollupKey(&inc))
		t := sums[k]
		t.Merge(totalsOf(&inc))
		sums[k] = t
		return nil
	})
	if err != nil {
		return err
	}
	for k, t := range sums {
		if err := rollup.Put([]byte(k), encodeTotals(t)); err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion is the newest schema this version of Sitrep reads and writes.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

// Open opens the store at path, creating it (and its parent directories) when it does not
// exist. A file held by another process gives ErrLocked after opts.Timeout; a file that is not
// a Sitrep store or is damaged gives ErrCorrupt; a file from a newer Sitrep gives
// ErrSchemaTooNew. In those cases the file is not modified. Opening read-write also finishes
// or rolls back an import that a crash interrupted.
//
// Open takes the store's lock (PATH.lock, see LockPath) before it looks at the file, so a file
// that another process is growing is never mistaken for a truncated one, and a restore cannot
// replace the file under it. A missing or empty file with backups beside it is not recreated
// (ErrStoreGone) unless opts.New is set.
func Open(path string, opts Options) (*Store, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = defaultChunkSize
	}
	abs, err := filepath.Abs(path)
	if err == nil {
		path = abs
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s is a folder, not a store file: %w", path, ErrCorrupt)
	}
	if opts.ReadOnly {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no Sitrep store at %s (%w)", path, fs.ErrNotExist)
		}
	} else if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create folder for store: %w", err)
	}
	lock, err := acquireLock(path, !opts.ReadOnly, opts.Timeout)
	if err != nil {
		return nil, err
	}
	s, err := openLocked(path, opts)
	if err != nil {
		lock.release()
		return nil, err
	}
	s.lock = lock
	return s, nil
}

// openLocked is Open once the lock is held.
func openLocked(path string, opts Options) (*Store, error) {
	info, statErr := os.Stat(path)
	exists := statErr == nil && info.Size() > 0
	if opts.ReadOnly && !exists {
		if statErr == nil {
			return nil, fmt.Errorf("%s is empty: %w", path, ErrCorrupt)
		}
		if errors.Is(statErr, fs.ErrNotExist) {
			return nil, fmt.Errorf("no Sitrep store at %s (%w)", path, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("open store: %w", statErr)
	}
	if !exists && !opts.New {
		if err := refuseGone(path, statErr == nil); err != nil {
			return nil, err
		}
	}
	if exists {
		if info.Size() < minStoreSize {
			return nil, fmt.Errorf("%s: %w (the file is %d bytes: too small for a Sitrep store, which starts at %d)", path, ErrCorrupt, info.Size(), minStoreSize)
		}
		// Look before writing: bbolt's read-write open may write to the file, so a damaged or
		// foreign file is first checked through a read-only handle.
		db, err := openBolt(path, true, opts.Timeout)
		if err != nil {
			return nil, err
		}
		if err := inspect(db, path, opts.ReadOnly); err != nil {
			db.Close()
			return nil, err
		}
		if opts.ReadOnly {
			return &Store{db: db, path: path, readOnly: true, now: opts.Now, chunk: opts.ChunkSize}, nil
		}
		if err := db.Close(); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	cleanTempFiles(path)
	db, err := openBolt(path, false, opts.Timeout)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, path: path, now: opts.Now, chunk: opts.ChunkSize}
	s.checkedTx.Store(-1)
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.recover(); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: recover interrupted import: %w", path, err)
	}
	if err := s.ensureRollupLog(); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := s.ensureIdentity(); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// minStoreSize is the size of the smallest sound store: bbolt's two meta pages, a freelist and
// a root page, each at least 4 KiB... and Sitrep's buckets. bbolt itself says only "file size
// too small" of a shorter file.
const minStoreSize = 4 * 4096

func openBolt(path string, readOnly bool, timeout time.Duration) (*bolt.DB, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout, ReadOnly: readOnly, FreelistType: bolt.FreelistMapType})
	switch {
	case err == nil:
		return db, nil
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("%s %w (close it there first)", path, ErrLocked)
	case strings.Contains(err.Error(), "file size too small"):
		return nil, fmt.Errorf("%s: %w (the file is too short for a Sitrep store)", path, ErrCorrupt)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum),
		errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrInvalidMapping):
		return nil, fmt.Errorf("%s: %w (%v)", path, ErrCorrupt, err)
	}
	return nil, fmt.Errorf("open store %s: %w", path, err)
}

// inspect checks an existing file through a read-only handle: size, buckets, schema and
// encoding. It turns a bbolt panic or a fault on a damaged page into ErrCorrupt.
func inspect(db *bolt.DB, path string, readOnly bool) (err error) {
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: %w (%v)", path, ErrCorrupt, p)
		}
	}()
	// The size is read with the lock held: no Sitrep is writing the file now.
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	fileSize := fi.Size()
	return db.View(func(tx *bolt.Tx) error {
		if tx.Size() > fileSize {
			return fmt.Errorf("%s: %w (the file is truncated: %d of %d bytes)", path, ErrCorrupt, fileSize, tx.Size())
		}
		meta := tx.Bucket(bktMeta)
		if meta == nil {
			empty := true
			_ = tx.ForEach(func(name []byte, _ *bolt.Bucket) error { empty = false; return nil })
			if empty && !readOnly {
				return nil // a blank bbolt file: Open lays it out
			}
			return fmt.Errorf("%s: %w (a bbolt file without Sitrep's meta bucket)", path, ErrCorrupt)
		}
		v, err := schemaOf(meta)
		if err != nil {
			return fmt.Errorf("%s: %w (%v)", path, ErrCorrupt, err)
		}
		if v > SchemaVersion() {
			return fmt.Errorf("%s: %w (schema %d; this version reads up to %d)", path, ErrSchemaTooNew, v, SchemaVersion())
		}
		if readOnly && v < SchemaVersion() {
			return fmt.Errorf("%s: schema %d needs an upgrade to %d: open it once read-write", path, v, SchemaVersion())
		}
		if enc := meta.Get(keyEncoding); enc != nil && string(enc) != encodingName {
			return fmt.Errorf("%s: %w (record encoding %q is unknown)", path, ErrCorrupt, enc)
		}
		for _, k := range Kinds {
			kb := tx.Bucket([]byte(k))
			if v >= 1 && (kb == nil || kb.Bucket(bktRec) == nil || kb.Bucket(bktID) == nil) {
				return fmt.Errorf("%s: %w (bucket %s is missing)", path, ErrCorrupt, k)
			}
		}
		return nil
	})
}

func schemaOf(meta *bolt.Bucket) (int, error) {
	b := meta.Get(keySchema)
	if b == nil {
		return 0, nil
	}
	v, err := strconv.Atoi(string(b))
	if err != nil {
		return 0, fmt.Errorf("schema version %q is not a number", b)
	}
	return v, nil
}

// migrate runs the migrations the file has not had yet, each in one transaction.
func (s *Store) migrate() error {
	// Most opens have nothing to do: look first, so that opening a store writes nothing to it
	// (not even a meta page: a damaged store must not be written to before it is checked).
	current := -1
	_ = s.view(func(tx *bolt.Tx) error {
		if meta := tx.Bucket(bktMeta); meta != nil {
			if v, err := schemaOf(meta); err == nil {
				current = v
			}
		}
		return nil
	})
	if current == SchemaVersion() {
		return nil
	}
	for _, m := range migrations {
		err := s.updateTx(func(tx *bolt.Tx) error {
			meta, err := tx.CreateBucketIfNotExists(bktMeta)
			if err != nil {
				return err
			}
			v, err := schemaOf(meta)
			if err != nil {
				return fmt.Errorf("%w (%v)", ErrCorrupt, err)
			}
			if v > SchemaVersion() {
				return fmt.Errorf("%w (schema %d; this version reads up to %d)", ErrSchemaTooNew, v, SchemaVersion())
			}
			if v >= m.version {
				return nil
			}
			if err := m.run(tx); err != nil {
				return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
			}
			return meta.Put(keySchema, []byte(strconv.Itoa(m.version)))
		})
		if err != nil {
			return fmt.Errorf("%s: %w", s.path, err)
		}
	}
	return nil
}

// Close releases the file and its lock. An import batch still open is rolled back at the
// next Open.
func (s *Store) Close() error {
	err := s.db.Close()
	s.lock.release()
	return err
}

// Now returns the store's clock reading (Options.Now): the time it stamps imports and
// revisions with, and that charts made from it are dated by.
func (s *Store) Now() time.Time { return s.now() }

// Path returns the absolute path of the store file.
func (s *Store) Path() string { return s.path }

func (s *Store) update(fn func(tx *bolt.Tx) error) error {
	if s.readOnly {
		return fmt.Errorf("%s: %w", s.path, ErrReadOnly)
	}
	return s.updateTx(fn)
}

// view runs a read transaction. bbolt panics on a damaged page (and a truncated mapping
// faults); view turns both into ErrCorrupt so that a damaged file gives an error, not a crash.
func (s *Store) view(fn func(tx *bolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: %w (%v)", s.path, ErrCorrupt, p)
		}
	}()
	return s.db.View(fn)
}

// updateTx runs a write transaction, turning a panic on a damaged page into ErrCorrupt (the
// transaction is rolled back).
func (s *Store) updateTx(fn func(tx *bolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: %w (%v)", s.path, ErrCorrupt, p)
		}
	}()
	err = s.db.Update(func(tx *bolt.Tx) error { return s.withRollupLog(tx, fn) })
	s.gen.Add(1)
	return err
}

// ---- keys ----

func u64(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}

// dayKey maps a day number (minDayNumber for undated) to 4 bytes that sort like the number.
func dayKey(day int) []byte {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], uint32(int64(day)-minDayNumber))
	return b[:]
}

func dayFromKey(b []byte) int { return int(int64(binary.BigEndian.Uint32(b)) + minDayNumber) }

// revKey is the id, a zero byte and the sequence number of the replaced version.
func revKey(id string, seq uint64) []byte {
	k := make([]byte, 0, len(id)+9)
	k = append(k, id...)
	k = append(k, 0)
	return append(k, u64(seq)...)
}

func revPrefix(id string) []byte { return append([]byte(id), 0) }

// rollupKey is first day, last day, precision, theatre, actor, confidence.
func rollupKey(r *Incident) []byte {
	first, last, d := spanOf(r)
	e := enc{b: make([]byte, 0, 48)}
	e.b = append(e.b, dayKey(first)...)
	e.b = append(e.b, dayKey(last)...)
	e.byte1(byte(d.Precision))
	e.str(r.Theatre)
	e.str(r.Actor)
	e.str(r.Confidence)
	return e.b
}

type rollupEntry struct {
	first, last          int
	prec                 Precision
	theatre, actor, conf string
}

func parseRollupKey(k []byte) (rollupEntry, error) {
	if len(k) < 9 {
		return rollupEntry{}, errDecode
	}
	re := rollupEntry{first: dayFromKey(k[:4]), last: dayFromKey(k[4:8]), prec: Precision(k[8])}
	d := dec{b: k[9:]}
	re.theatre, re.actor, re.conf = d.str(), d.str(), d.str()
	return re, d.err
}

// date rebuilds the incident date the rollup entry was made from.
func (re rollupEntry) date() Date {
	if re.prec == PrecisionNone {
		return Date{}
	}
	d := DateFromDayNumber(re.first)
	switch re.prec {
	case PrecisionMonth:
		return MonthOf(d.Year, d.Month)
	case PrecisionYear:
		return YearOf(d.Year)
	}
	return d
}

func totalsOf(r *Incident) Totals {
	var t Totals
	t.Add(r)
	return t
}

// addRollup adds t (which may be negative) to the rollup entry for key, deleting entries
// that fall to zero.
func addRollup(b *bolt.Bucket, key []byte, t Totals) error {
	cur := Totals{}
	if v := b.Get(key); v != nil {
		var err error
		if cur, err = decodeTotals(v); err != nil {
			return fmt.Errorf("rollup: %w", err)
		}
	}
	cur.Merge(t)
	logRollup(b, key, t)
	if cur.Incidents <= 0 {
		return b.Delete(key)
	}
	return b.Put(key, encodeTotals(cur))
}

// ---- meta helpers ----

func getU64(b *bolt.Bucket, key []byte) uint64 {
	v := b.Get(key)
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

func putU64(b *bolt.Bucket, key []byte, v uint64) error { return b.Put(key, u64(v)) }

func importIDOf(n uint64) string { return fmt.Sprintf("imp-%06d", n) }

func importNumOf(id string) (uint64, bool) {
	rest, ok := bytes.CutPrefix([]byte(id), []byte("imp-"))
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(string(rest), 10, 64)
	return n, err == nil && n > 0
}

// view is a read transaction together with what visibility needs: the import in progress,
// whose records readers skip.
type view struct {
	tx      *bolt.Tx
	pending uint64
}

func newView(tx *bolt.Tx) *view {
	return &view{tx: tx, pending: getU64(tx.Bucket(bktMeta), keyPending)}
}

type kindBuckets struct {
	rec, id, date, rev, sup *bolt.Bucket
	hasSup                  bool
}

func kindOf(tx *bolt.Tx, k Kind) (kindBuckets, error) {
	kb := tx.Bucket([]byte(k))
	if kb == nil {
		return kindBuckets{}, fmt.Errorf("unknown record kind %q", k)
	}
	b := kindBuckets{rec: kb.Bucket(bktRec), id: kb.Bucket(bktID), date: kb.Bucket(bktDate),
		rev: kb.Bucket(bktRev), sup: kb.Bucket(bktSup)}
	if b.rec == nil || b.id == nil || b.date == nil || b.rev == nil || b.sup == nil {
		return kindBuckets{}, fmt.Errorf("bucket %s: %w", k, ErrCorrupt)
	}
	k2, _ := b.sup.Cursor().First()
	b.hasSup = k2 != nil
	return b, nil
}

// visible reports whether the stored version at seq (written by import g) is current for
// readers: not written by the import in progress, and not replaced by a committed version.
func (v *view) visible(kb kindBuckets, seq []byte, g uint64) bool {
	if g != 0 && g == v.pending {
		return false
	}
	if kb.hasSup {
		if s := kb.sup.Get(seq); s != nil && versionG(s[8:]) != v.pending {
			return false
		}
	}
	return true
}

// current returns the current stored version of id (bytes inside the transaction) and its
// sequence key, or nil.
func (v *view) current(kb kindBuckets, id string) (val, seq []byte) {
	seq = kb.id.Get([]byte(id))
	if seq == nil {
		return nil, nil
	}
	val = kb.rec.Get(seq)
	if val == nil {
		return nil, nil
	}
	if g := versionG(val); g != 0 && g == v.pending {
		return nil, nil // inserted by the import in progress
	}
	if kb.hasSup {
		if s := kb.sup.Get(seq); s != nil && versionG(s[8:]) != v.pending {
			if binaryU64(s[:8]) == 0 {
				return nil, nil // removed by a committed undo
			}
			seq = s[:8]
			val = kb.rec.Get(seq)
		}
	}
	return val, seq
}
