package io.cairn.data;

import io.cairn.txn.checkpoint.Block;
import io.cairn.txn.checkpoint.CheckpointRow;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.checkpoint.SegmentIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * The rows of one checkpoint as a CN reads them: per table its runs (see {@link Manifest}), the newest
 * first, each a list of segments with disjoint key ranges. A point read asks the runs newest first:
 * the segment whose range covers the key, its Bloom filter, its block index, then one block, all
 * through the {@link BlockCache}; the first run holding the key decides, and a deletion there hides
 * it. A scan merges one cursor per run. Every row is older than any snapshot of the CN that loaded
 * the checkpoint, so rows carry no visibility of their own.
 *
 * <p>Immutable and thread-safe.
 */
final class CheckpointBase {
    private static final Comparator<Manifest.Segment> BY_FIRST_KEY =
            (a, b) -> Arrays.compareUnsigned(a.firstKey(), b.firstKey());

    private final BlockCache cache;
    /** Per table, its runs newest first (the bottom run last), each in key order. */
    private final Map<Long, List<List<Manifest.Segment>>> tables = new HashMap<>();
    private final Map<Long, Long> rows = new TreeMap<>();
    private final List<Manifest.Segment> segments;

    CheckpointBase(Manifest manifest, BlockCache cache) {
        this.cache = cache;
        this.segments = manifest.segments();
        Map<Long, TreeMap<Long, List<Manifest.Segment>>> runs = new HashMap<>();
        for (Manifest.Segment segment : manifest.segments()) {
            runs.computeIfAbsent(segment.tableId(), id -> new TreeMap<>(Collections.reverseOrder()))
                    .computeIfAbsent(segment.run() == Manifest.Segment.BOTTOM ? -1 : segment.run(), r -> new ArrayList<>())
                    .add(segment);
            rows.merge(segment.tableId(), segment.rows(), Long::sum);
        }
        runs.forEach((table, byRun) -> {
            List<List<Manifest.Segment>> newestFirst = new ArrayList<>();
            for (List<Manifest.Segment> run : byRun.values()) { // run numbers descending, the bottom (-1) last
                run.sort(BY_FIRST_KEY);
                newestFirst.add(List.copyOf(run));
            }
            tables.put(table, List.copyOf(newestFirst));
        });
    }

    boolean hasTable(long tableId) {
        return tables.containsKey(tableId);
    }

    /** Every segment of the checkpoint. */
    List<Manifest.Segment> segments() {
        return segments;
    }

    /** Rows per table as the manifest counts them (a key in several runs counts several times). */
    Map<Long, Long> rowCounts() {
        return Collections.unmodifiableMap(rows);
    }

    /** The value of {@code pk}, or null when absent or deleted. */
    byte[] get(long tableId, byte[] pk) {
        for (List<Manifest.Segment> run : tables.getOrDefault(tableId, List.of())) {
            Manifest.Segment segment = covering(run, pk);
            if (segment == null) {
                continue;
            }
            SegmentIndex index = cache.index(segment);
            if (!index.mightContain(pk)) {
                continue;
            }
            int b = index.blockFor(pk);
            if (b < 0) {
                continue;
            }
            Block block = cache.block(segment, index, b);
            int at = block.find(pk);
            if (at >= 0) {
                return block.value(at);
            }
        }
        return null;
    }

    /** The segment of {@code run} whose key range covers {@code pk}, or null. */
    private static Manifest.Segment covering(List<Manifest.Segment> run, byte[] pk) {
        int at = firstEndingAtOrAfter(run, pk);
        return at < run.size() && run.get(at).covers(pk) ? run.get(at) : null;
    }

    /** The index of the first segment of {@code run} whose last key is ≥ {@code pk} (null: 0). */
    private static int firstEndingAtOrAfter(List<Manifest.Segment> run, byte[] pk) {
        if (pk == null) {
            return 0;
        }
        int low = 0;
        int high = run.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (Arrays.compareUnsigned(run.get(mid).lastKey(), pk) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** The live rows with {@code from <= key < to} (null: unbounded), in key order. */
    Iterator<CheckpointRow> scan(long tableId, byte[] from, byte[] to) {
        List<List<Manifest.Segment>> runs = tables.getOrDefault(tableId, List.of());
        // Cursors ordered by their row's key, then by age (newest first): the head is the next key's newest row.
        PriorityQueue<RunCursor> cursors = new PriorityQueue<>(Math.max(1, runs.size()));
        for (int age = 0; age < runs.size(); age++) {
            RunCursor cursor = new RunCursor(runs.get(age), age, from, to);
            if (cursor.row() != null) {
                cursors.add(cursor);
            }
        }
        return new LookaheadIterator<>() {
            @Override
            protected CheckpointRow advance() {
                while (!cursors.isEmpty()) {
                    RunCursor head = cursors.poll();
                    CheckpointRow newest = head.row();
                    head.next(cursors);
                    // older runs' rows of the same key are hidden by the newest one
                    while (!cursors.isEmpty() && Arrays.equals(cursors.peek().row().key(), newest.key())) {
                        cursors.poll().next(cursors);
                    }
                    if (newest.value() != null) {
                        return newest;
                    }
                }
                return null;
            }
        };
    }

    /** A position in one run of a scan, a block at a time; {@code age} 0 is the newest run. */
    private final class RunCursor implements Comparable<RunCursor> {
        private final List<Manifest.Segment> run;
        private final int age;
        private final byte[] to;
        private int segment;
        private SegmentIndex index;
        private int blockNo;
        private Block block;
        private int at;
        private CheckpointRow row;

        RunCursor(List<Manifest.Segment> run, int age, byte[] from, byte[] to) {
            this.run = run;
            this.age = age;
            this.to = to;
            this.segment = firstEndingAtOrAfter(run, from);
            if (segment < run.size()) {
                index = cache.index(run.get(segment));
                blockNo = from == null ? 0 : Math.max(0, index.blockFor(from));
                block = cache.block(run.get(segment), index, blockNo);
                at = block.lowerBound(from);
            }
            settle();
        }

        /** The current row, null when the run is done. */
        CheckpointRow row() {
            return row;
        }

        /** Moves to the next row and goes back into {@code cursors} unless the run is done. */
        void next(PriorityQueue<RunCursor> cursors) {
            at++;
            settle();
            if (row != null) {
                cursors.add(this);
            }
        }

        /** Moves past exhausted blocks and segments; sets {@link #row}. */
        private void settle() {
            row = null;
            while (segment < run.size()) {
                if (at < block.size()) {
                    if (to != null && block.compare(at, to) >= 0) {
                        segment = run.size();
                        return;
                    }
                    row = block.row(at);
                    return;
                }
                if (blockNo + 1 < index.blocks()) {
                    block = cache.block(run.get(segment), index, ++blockNo);
                } else if (++segment < run.size()) {
                    Manifest.Segment next = run.get(segment);
                    if (to != null && Arrays.compareUnsigned(next.firstKey(), to) >= 0) {
                        segment = run.size();
                        return;
                    }
                    index = cache.index(next);
                    blockNo = 0;
                    block = cache.block(next, index, 0);
                }
                at = 0;
            }
        }

        @Override
        public int compareTo(RunCursor other) {
            int c = Arrays.compareUnsigned(row.key(), other.row.key());
            return c != 0 ? c : Integer.compare(age, other.age);
        }
    }
}
