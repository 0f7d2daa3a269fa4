// Package data holds Sitrep's domain types (incidents, statements, tallies, dates with a
// precision, counts as ranges, filters, aggregates, the stance vocabulary) and the Store:
// one bbolt file with every record, its revisions, the import log and the settings.
// It imports bbolt and the standard library only.
//
// # Bucket tree
//
//	meta                     schema  -> "1" (decimal)        migrations run in order, one tx each
//	                         encoding -> "sitrep-bin-v1"      record encoding (codec.go)
//	                         seq     -> u64                   last record sequence number
//	                         import_seq -> u64                last import number
//	                         pending -> u64                   import in progress (absent: none)
//	                         span:KIND -> u64                 longest date span of a record, days
//	                         vocabulary -> JSON               stance vocabulary (absent: default)
//	                         store_id -> 32 hex chars         the store's lineage id (identity.go)
//	                         store_name -> UTF-8              the analyst's or team's name for it
//	                         rollup_log_from -> u64 unix ns   the rollup log is complete after it
//	settings                 key -> bytes                     Setting / SetSetting
//	imports                  u64 import number -> JSON        ImportLog + first/last seq written
//	rollup                   day(4) lastday(4) prec(1) theatre actor confidence -> Totals
//	rollup_log               time(8) n(8) -> rollup changes made visible then (rolluplog.go)
//	conflicts                kind 0x00 id -> JSON Conflict    merge conflicts to settle (merge.go)
//	conflicts_new            merge(8) kind 0x00 id -> JSON    conflicts a merge staged; filed into
//	                                                          conflicts after it commits (mergestage.go)
//	merge_seen               kind 0x00 id 0x00 hash(16) -> merge(8)   deletions a merge weighed and left
//	incidents | statements | tallies
//	    rec                  seq(8) -> version               every stored version, in write order
//	    id                   id -> seq(8)                     the current (committed) version
//	    date                 day(4) -> last seq(8) + uvarint deltas   date index: the versions
//	                                                          whose first day it is (dateindex.go)
//	    rev                  id 0x00 seq(8) -> revision      replaced or deleted versions
//	    sup                  seq(8) -> newseq(8) g(uvarint) ['u'|'d']   versions superseded by
//	                                                          import or undo g, not yet filed
//	    past                 id 0x00 from(8) seq(8) -> to, by, state   what Restore and
//	                                                          UndoImport erase (knownon.go)
//
// All integers in keys are big-endian so that keys sort numerically; day numbers are days
// since 1970-01-01 offset by 2^31 (undated records use 0 and sort first). A version is
// "uvarint import number g, uvarint body length, body, provenance, checksum" (g = 0 for
// edits); the checksum is the provenance's last tagged field (tag 4, length 4): CRC-32C of the
// bytes after g up to it. Versions written before checksums existed have none and decode as
// before; a version whose checksum does not match is ErrCorrupt naming the record, for reads,
// for Check (`sitrep check`), and for the check every import and backup runs first. Primary
// keys are sequence numbers, so imports append in key order (bbolt is ten times slower with
// random keys); ids live in the id index. The rollup holds the sums of the current incidents
// per distinct (first day, last day, precision, theatre, actor, confidence), so Aggregate
// and Stats read thousands of small entries instead of a million records.
//
// # Imports: chunked, all or nothing, invisible until Commit
//
// A Batch writes its records 10,000 per bbolt transaction, so a million rows never sit in one
// transaction, yet readers see all of an import or nothing of it. A full chunk is written by a
// goroutine while the caller goes on parsing the next one (at most one chunk in flight).
// We chose "write in place with a pending marker, roll back on failure" over "stage, then
// publish", because publishing
// a staged million-row import would itself need either one giant transaction or chunks that
// are visible half-way. Here a single small transaction decides visibility:
//
//   - BeginImport records the import in the log as pending, with the first sequence number it
//     will use, and sets meta/pending. Only one import can be open at a time (edits and other
//     imports get ErrBusy meanwhile), so the import's versions are exactly the sequence
//     numbers from that first one on.
//   - A new id gets a version (tagged with the import number) in rec and date; the id itself
//     is kept in memory and, just before the commit transaction, written to the id index
//     sorted, in chunks (ids in random order would otherwise rewrite most of the index in
//     every chunk). A changed record gets a new version in rec and date, plus sup[old seq] =
//     new seq; its id still points at the old version. Unchanged records (same body,
//     provenance ignored) are only counted. Rollup changes are summed in memory.
//   - Readers skip versions whose import is pending, and versions superseded (sup) by a
//     version whose import is not pending. So during the import they see the old state.
//   - Commit is one transaction: apply the rollup changes, mark the import committed, clear
//     meta/pending. From that instant readers see the new versions and not the old ones.
//   - Then, in chunks, each superseded version moves from rec to rev (with the commit time and
//     the import id) and the id index points to its successor; every chunk leaves the store
//     consistent under the same visibility rule, and Open finishes the job after a crash.
//   - Abort, or Open after a crash (meta/pending still set), deletes the import's versions
//     (sequence numbers from the first one on) and its sup entries in chunks, then marks the
//     import failed and clears meta/pending. Until that last transaction the import is still
//     pending, so its remains are never visible.
//
// Edits (Save*, Delete, Restore) are single transactions that file the replaced version as a
// revision (By "edit" or "delete") and update the rollup; while an import is open they return
// ErrBusy. UndoImport works like an import, chunked and pending until one flip (undo.go):
// it writes the replaced versions back at their old sequence numbers (tagged with its own
// number, so readers skip them) and marks the undone versions superseded by them, or by
// nothing (newseq 0, flagged 'u' in sup) for inserted records. After the flip, cleanup deletes
// the undone versions and gives the restored ones back their original bytes and id entries;
// undoing the imports in reverse order gives back the store as it was.
//
// A merge (merge.go) is an import too: chunked, pending until the same flip. Besides versions
// it writes revisions tagged with its number (readers skip them while it is pending), sup
// entries with newseq 0 flagged 'd' for the versions the other store's deletions remove
// (cleanup files them as deleted), staged conflicts and merge_seen entries; rolling it back
// (rollbackMerge) removes all of these.
//
// # Reads
//
// Readers copy every byte out of the transaction. Lists stream through the date index in
// pages of 10,000 entries, one read transaction per page, so a callback may take its time (or
// write to the store) without holding a transaction. Aggregate and Stats read the rollup;
// only a Search text forces a scan, which then reads the record bucket sequentially. A
// damaged page turns into ErrCorrupt, not a crash, and so does a record whose checksum does
// not match (bbolt has no checksums: a changed byte inside a value is seen only by ours).
//
// # Opening
//
// Open checks an existing file through a read-only bbolt handle first (meta pages, size, meta
// bucket, schema, encoding), so a foreign or damaged file gives ErrCorrupt and a newer file
// ErrSchemaTooNew without a byte written. The lock is bbolt's flock with a timeout: a second
// process (or a second Store in the same process) gets ErrLocked.
package data
