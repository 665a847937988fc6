package io.cairn.txn.node;

import io.cairn.log.LogService;
import io.cairn.txn.DroppedKeySpaces;
import io.cairn.txn.Key;
import io.cairn.txn.checkpoint.CheckpointRow;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.checkpoint.TableSegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.LongPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes one checkpoint from a {@link CheckpointCut}: per table a sorted Arrow segment of the keys
 * changed since the latest manifest, then a manifest listing every segment still needed, then the
 * log before the covered LSN is truncated, then superseded objects are collected.
 *
 * <h2>Order and crash safety</h2>
 * Segments, then the manifest (the commit point), then truncation: a crash in between leaves the
 * old checkpoint or the new one complete, and the log still holds everything the latest one does
 * not cover. Objects are only deleted later, by {@link CheckpointGarbage}.
 *
 * <h2>Fencing</h2>
 * The writer starts from the latest manifest in storage, not from memory, and refuses to go on
 * when it was written under a later lease epoch. Right before publishing the manifest and right
 * before truncating it asks the log (linearizably) whether its TN still holds the lease of the cut.
 * That is what keeps truncation safe: every entry the cut covers was committed before the check, so
 * a TN whose lease comes after the check covers them all in its first checkpoint, which sorts after
 * any manifest of this epoch.
 *
 * <h2>Compaction</h2>
 * A key space named by a drop marker is left out (its segments are no longer listed and its new
 * rows not written). A table that would have more than {@code maxSegmentsPerTable} segments gets
 * them merged, with its new rows, into one ({@link SegmentMerge}).
 *
 * <p>Not thread-safe: runs on the TN's checkpoint thread, one checkpoint at a time.
 */
final class CheckpointWriter {
    private static final Logger LOG = Logger.getLogger(CheckpointWriter.class.getName());

    private final CheckpointStore store;
    private final LogService log;
    private final LongPredicate holdsLease;
    private final int maxSegmentsPerTable;
    private final CheckpointGarbage garbage;

    /**
     * @param holdsLease whether the TN still holds the lease of the given epoch (asks the log)
     */
    CheckpointWriter(CheckpointStore store, LogService log, LongPredicate holdsLease, int maxSegmentsPerTable,
            CheckpointGarbage garbage) {
        this.store = store;
        this.log = log;
        this.holdsLease = holdsLease;
        this.maxSegmentsPerTable = maxSegmentsPerTable;
        this.garbage = garbage;
    }

    /**
     * @return the latest manifest afterwards (the new one, or the one that already covered the cut)
     * @throws LeaseLostException the TN lost the cut's lease; nothing was published or truncated
     *                            after the loss was seen
     */
    Manifest write(CheckpointCut cut) {
        Manifest base = store.latestManifest().orElse(null);
        if (base != null && base.epoch() > cut.epoch()) {
            throw new LeaseLostException("checkpoint " + base.objectKey() + " was written under a later lease epoch than "
                    + cut.epoch());
        }
        if (base != null && base.lsn() >= cut.lastLsn()) {
            return base;
        }
        requireLease(cut, "writing");
        long seq = base == null ? 1 : base.seq() + 1;
        String attempt = UUID.randomUUID().toString().substring(0, 8);
        Map<Long, List<CheckpointRow>> fresh = freshRows(cut, base == null ? 0 : base.lsn());
        Set<Long> dropped = droppedKeySpaces(base, fresh);

        Map<Long, List<Manifest.Segment>> baseByTable = new TreeMap<>();
        for (Manifest.Segment segment : base == null ? List.<Manifest.Segment>of() : base.segments()) {
            baseByTable.computeIfAbsent(segment.tableId(), id -> new ArrayList<>()).add(segment);
        }
        Set<Long> tables = new TreeSet<>(baseByTable.keySet());
        tables.addAll(fresh.keySet());
        List<Manifest.Segment> segments = new ArrayList<>();
        int written = 0;
        int merged = 0;
        for (long table : tables) {
            if (dropped.contains(table)) {
                continue;
            }
            List<Manifest.Segment> old = baseByTable.getOrDefault(table, List.of());
            List<CheckpointRow> rows = fresh.get(table);
            if (old.size() + (rows == null ? 0 : 1) > maxSegmentsPerTable) {
                List<List<CheckpointRow>> all = new ArrayList<>();
                for (Manifest.Segment segment : old) {
                    all.add(TableSegment.read(store.get(segment.objectKey())));
                }
                if (rows != null) {
                    all.add(rows);
                }
                rows = SegmentMerge.merge(all);
                merged++;
            } else {
                segments.addAll(old);
                if (rows != null && old.isEmpty()) {
                    rows = SegmentMerge.merge(List.of(rows)); // a table's first segment needs no deletions
                }
            }
            if (rows != null && !rows.isEmpty()) {
                String key = Manifest.segmentKey(cut.epoch(), seq, attempt, table);
                store.put(key, TableSegment.write(rows));
                segments.add(new Manifest.Segment(table, rows.size(), key));
                written++;
            }
        }
        Manifest manifest = new Manifest(cut.epoch(), seq, cut.lastLsn(),
                Math.max(cut.lastTs(), base == null ? 0 : base.maxTs()), segments);
        requireLease(cut, "publishing");
        store.put(manifest.objectKey(), manifest.encode());
        requireLease(cut, "truncating the log behind");
        log.truncateBefore(manifest.lsn()); // keeps the covered entry itself: re-applying it is harmless
        int newSegments = written;
        int mergedTables = merged;
        LOG.info(() -> "CAIRN0106I: checkpoint " + manifest.objectKey() + " covers the log up to LSN " + manifest.lsn()
                + " in " + manifest.segments().size() + " segment(s) (" + newSegments + " new, " + mergedTables
                + " table(s) merged, " + dropped.size() + " key space(s) dropped so far); the log before it is truncated");
        try {
            garbage.collect(() -> holdsLease.test(cut.epoch()));
        } catch (RuntimeException e) { // the checkpoint stands; the next one collects again
            LOG.log(Level.WARNING, "CAIRN0107W: collecting superseded checkpoint objects failed: " + e.getMessage(), e);
        }
        return manifest;
    }

    /** The latest manifest in storage, or null before the first checkpoint. */
    Manifest latest() {
        return store.latestManifest().orElse(null);
    }

    private void requireLease(CheckpointCut cut, String step) {
        if (!holdsLease.test(cut.epoch())) {
            throw new LeaseLostException("lease epoch " + cut.epoch() + " lost before " + step + " a checkpoint");
        }
    }

    /** The cut's changes the base does not cover, by table, each sorted by key. */
    private static Map<Long, List<CheckpointRow>> freshRows(CheckpointCut cut, long baseLsn) {
        Map<Long, List<CheckpointRow>> byTable = new LinkedHashMap<>();
        for (Map.Entry<Key, PendingChanges.Change> entry : cut.changes().entrySet()) {
            PendingChanges.Change change = entry.getValue();
            if (change.lsn() > baseLsn) {
                byTable.computeIfAbsent(entry.getKey().tableId(), id -> new ArrayList<>())
                        .add(new CheckpointRow(entry.getKey().bytes(), change.ts(), change.value()));
            }
        }
        return byTable;
    }

    /** Every key space dropped by a marker in the base's marker segments or in the new rows. */
    private Set<Long> droppedKeySpaces(Manifest base, Map<Long, List<CheckpointRow>> fresh) {
        List<List<CheckpointRow>> markers = new ArrayList<>();
        if (base != null) {
            for (Manifest.Segment segment : base.segments()) {
                if (segment.tableId() == DroppedKeySpaces.MARKERS) {
                    markers.add(TableSegment.read(store.get(segment.objectKey())));
                }
            }
        }
        markers.add(fresh.getOrDefault(DroppedKeySpaces.MARKERS, List.of()));
        Set<Long> dropped = new HashSet<>();
        for (List<CheckpointRow> rows : markers) {
            for (CheckpointRow row : rows) {
                if (row.value() != null) {
                    dropped.add(DroppedKeySpaces.keySpace(row.key()));
                }
            }
        }
        return dropped;
    }
}
