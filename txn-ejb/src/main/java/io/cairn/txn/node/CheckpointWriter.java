package io.cairn.txn.node;

import io.cairn.txn.DroppedKeySpaces;
import io.cairn.txn.checkpoint.CheckpointRow;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.checkpoint.SegmentRows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes one checkpoint from a {@link CheckpointCut}: per table the keys changed since the latest
 * manifest as a new upper run of segments, then a manifest listing every segment still needed, then
 * the log before the covered LSN is truncated, then superseded objects are collected.
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
 * rows not written). A table with more than {@code maxRunsPerTable} upper runs, or whose upper runs hold
 * at least half as many rows as its bottom run, has them merged, with its new rows, into its bottom run ({@link RunMerge}, streaming): only the bottom segments whose key
 * ranges the upper runs touch are rewritten, and deletions go, since nothing older is left for them to
 * hide. Memory holds a block per run and the segment being written goes through a local file.
 *
 * <p>Not thread-safe: runs on the TN's checkpoint thread, one checkpoint at a time.
 */
final class CheckpointWriter {
    private static final Logger LOG = Logger.getLogger(CheckpointWriter.class.getName());

    private final CheckpointStore store;
    private final LongConsumer truncateLogBefore;
    private final LongPredicate holdsLease;
    private final CheckpointSettings settings;
    private final CheckpointGarbage garbage;

    /**
     * @param truncateLogBefore declares the log before an LSN unneeded ({@code LogService#truncateBefore}); a
     *                          restore, which has no log yet, ignores it
     * @param holdsLease        whether the TN still holds the lease of the given epoch (asks the log)
     */
    CheckpointWriter(CheckpointStore store, LongConsumer truncateLogBefore, LongPredicate holdsLease,
            CheckpointSettings settings, CheckpointGarbage garbage) {
        this.store = store;
        this.truncateLogBefore = truncateLogBefore;
        this.holdsLease = holdsLease;
        this.settings = settings;
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
        Map<Long, FreshRows> fresh = FreshRows.byTable(cut, base == null ? 0 : base.lsn());
        Set<Long> dropped = droppedKeySpaces(base, fresh);
        Map<Long, TableRuns> baseRuns = TableRuns.of(base);

        Set<Long> tables = new TreeSet<>(baseRuns.keySet());
        tables.addAll(fresh.keySet());
        List<Manifest.Segment> segments = new ArrayList<>();
        int written = 0;
        int merged = 0;
        for (long table : tables) {
            if (dropped.contains(table)) {
                continue;
            }
            TableRuns runs = baseRuns.getOrDefault(table, TableRuns.NONE);
            FreshRows rows = fresh.get(table);
            IntFunction<String> keys = part -> Manifest.segmentKey(cut.epoch(), seq, attempt, table, part);
            List<Manifest.Segment> made;
            if (runs.isEmpty()) { // a table's first segments: the bottom run, without deletions
                made = writeRun(table, Manifest.Segment.BOTTOM, new RunMerge(List.of(rows.iterator()), false), keys,
                        List.of());
            } else if (runs.upper().size() + (rows == null ? 0 : 1) > settings.maxRunsPerTable()
                    || upperRowsOutweighBottom(runs, rows)) {
                CompactedTable compacted = compact(table, runs, rows, keys);
                segments.addAll(compacted.kept());
                made = compacted.written();
                merged++;
            } else {
                segments.addAll(runs.all());
                made = rows == null ? List.of() : writeRun(table, seq, rows.iterator(), keys, List.of());
            }
            segments.addAll(made);
            written += made.size();
        }
        Manifest manifest = new Manifest(cut.epoch(), seq, cut.lastLsn(),
                Math.max(cut.lastTs(), base == null ? 0 : base.maxTs()), segments);
        requireLease(cut, "publishing");
        store.put(manifest.objectKey(), manifest.encode());
        requireLease(cut, "truncating the log behind");
        truncateLogBefore.accept(manifest.lsn()); // keeps the covered entry itself: re-applying it is harmless
        int newSegments = written;
        int mergedTables = merged;
        LOG.info(() -> "CAIRN0106I: checkpoint " + manifest.objectKey() + " covers the log up to LSN " + manifest.lsn()
                + " in " + manifest.segments().size() + " segment(s) (" + newSegments + " new, " + mergedTables
                + " table(s) compacted, " + dropped.size() + " key space(s) dropped so far)");
        try {
            garbage.collect(() -> holdsLease.test(cut.epoch()));
        } catch (RuntimeException e) { // the checkpoint stands; the next one collects again
            LOG.log(Level.WARNING, "CAIRN0107W: collecting superseded checkpoint objects failed: " + e.getMessage(), e);
        }
        return manifest;
    }

    /**
     * Whether the upper runs and the new rows together hold at least half as many rows as the bottom run.
     * A scan reads every run's rows of its key range, so upper runs that rewrite much of a small, busy table
     * (sysbench's 10,000-row tables take a full run each minute) multiply what every range scan reads; past
     * this share a compaction, which rewrites only the bottom segments they overlap, costs less than the reads.
     */
    private static boolean upperRowsOutweighBottom(TableRuns runs, FreshRows rows) {
        long upper = rows == null ? 0 : rows.count();
        for (List<Manifest.Segment> run : runs.upper().values()) {
            upper += rowCount(run);
        }
        return upper > 0 && 2 * upper >= rowCount(runs.bottom());
    }

    private static long rowCount(List<Manifest.Segment> segments) {
        long n = 0;
        for (Manifest.Segment s : segments) {
            n += s.rows();
        }
        return n;
    }

    /** The bottom segments a compaction keeps, and those it wrote. */
    private record CompactedTable(List<Manifest.Segment> kept, List<Manifest.Segment> written) {
    }

    /**
     * Merges every upper run (and the new rows, the newest) into the bottom run. A bottom segment is
     * rewritten only when an upper segment's key range or a new key overlaps its range.
     */
    private CompactedTable compact(long table, TableRuns runs, FreshRows rows, IntFunction<String> keys) {
        List<Manifest.Segment> upperSegments = new ArrayList<>();
        runs.upper().values().forEach(upperSegments::addAll);
        List<Manifest.Segment> touched = new ArrayList<>();
        List<Manifest.Segment> kept = new ArrayList<>();
        for (Manifest.Segment bottom : runs.bottom()) {
            boolean overlaps = upperSegments.stream().anyMatch(u -> overlap(u, bottom))
                    || rows != null && rows.anyKeyIn(bottom);
            (overlaps ? touched : kept).add(bottom);
        }
        List<Iterator<CheckpointRow>> newestFirst = new ArrayList<>();
        if (rows != null) {
            newestFirst.add(rows.iterator());
        }
        for (List<Manifest.Segment> run : runs.upper().descendingMap().values()) {
            newestFirst.add(TableRuns.rows(store, run));
        }
        newestFirst.add(TableRuns.rows(store, touched));
        List<byte[]> boundaries = kept.stream().map(Manifest.Segment::firstKey).toList();
        List<Manifest.Segment> written = writeRun(table, Manifest.Segment.BOTTOM, new RunMerge(newestFirst, false), keys,
                boundaries);
        return new CompactedTable(kept, written);
    }

    private static boolean overlap(Manifest.Segment a, Manifest.Segment b) {
        return Arrays.compareUnsigned(a.firstKey(), b.lastKey()) <= 0 && Arrays.compareUnsigned(b.firstKey(), a.lastKey()) <= 0;
    }

    private List<Manifest.Segment> writeRun(long table, long run, Iterator<CheckpointRow> rows, IntFunction<String> keys,
            List<byte[]> boundaries) {
        try (SegmentSink sink = new SegmentSink(store, table, run, settings, keys, boundaries)) {
            rows.forEachRemaining(sink::add);
            return sink.finish();
        }
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

    /** Every key space dropped by a marker in the base's marker segments or in the new rows. */
    private Set<Long> droppedKeySpaces(Manifest base, Map<Long, FreshRows> fresh) {
        List<Iterator<CheckpointRow>> markers = new ArrayList<>();
        if (base != null) {
            for (Manifest.Segment segment : base.segments()) {
                if (segment.tableId() == DroppedKeySpaces.MARKERS) {
                    markers.add(new SegmentRows(store, segment));
                }
            }
        }
        FreshRows newMarkers = fresh.get(DroppedKeySpaces.MARKERS);
        if (newMarkers != null) {
            markers.add(newMarkers.iterator());
        }
        Set<Long> dropped = new HashSet<>();
        for (Iterator<CheckpointRow> rows : markers) {
            rows.forEachRemaining(row -> {
                if (row.value() != null) {
                    dropped.add(DroppedKeySpaces.keySpace(row.key()));
                }
            });
        }
        return dropped;
    }
}
