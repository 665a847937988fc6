package io.cairn.data;

import io.cairn.txn.checkpoint.CheckpointRow;
import io.cairn.txn.checkpoint.Manifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * The rows of one checkpoint as a CN reads them: per table the manifest's segments, read on demand
 * through the {@link SegmentCache}; where segments of a table hold the same key, the later one
 * wins, and a deletion there hides the key. Every row is older than any snapshot of the CN that
 * loaded the checkpoint, so rows carry no visibility of their own.
 *
 * <p>Immutable and thread-safe.
 */
final class CheckpointBase {
    private final SegmentCache cache;
    /** Per table, its segment object keys, newest first. */
    private final Map<Long, List<String>> segments = new HashMap<>();
    private final Map<Long, Long> rows = new TreeMap<>();

    CheckpointBase(Manifest manifest, SegmentCache cache) {
        this.cache = cache;
        for (Manifest.Segment segment : manifest.segments()) {
            segments.computeIfAbsent(segment.tableId(), id -> new ArrayList<>()).add(0, segment.objectKey());
            rows.merge(segment.tableId(), segment.rows(), Long::sum);
        }
    }

    boolean hasTable(long tableId) {
        return segments.containsKey(tableId);
    }

    /** Rows per table as the manifest counts them (keys in several segments count several times). */
    Map<Long, Long> rowCounts() {
        return Collections.unmodifiableMap(rows);
    }

    /** The value of {@code pk}, or null when absent or deleted. */
    byte[] get(long tableId, byte[] pk) {
        for (String key : segments.getOrDefault(tableId, List.of())) {
            CheckpointRow row = cache.get(key).find(pk);
            if (row != null) {
                return row.value();
            }
        }
        return null;
    }

    /** The live rows with {@code from <= key < to} (null: unbounded), in key order. */
    Iterator<CheckpointRow> scan(long tableId, byte[] from, byte[] to) {
        List<String> keys = segments.getOrDefault(tableId, List.of());
        // Cursors ordered by their row's key, then by age (newest first): the head is the next key's newest row.
        PriorityQueue<Cursor> cursors = new PriorityQueue<>(Math.max(1, keys.size()));
        for (int i = 0; i < keys.size(); i++) {
            DecodedSegment segment = cache.get(keys.get(i));
            Cursor cursor = new Cursor(segment, i, segment.lowerBound(from));
            if (cursor.valid()) {
                cursors.add(cursor);
            }
        }
        return new LookaheadIterator<>() {
            @Override
            protected CheckpointRow advance() {
                while (!cursors.isEmpty()) {
                    Cursor head = cursors.poll();
                    CheckpointRow newest = head.row();
                    if (to != null && Arrays.compareUnsigned(newest.key(), to) >= 0) {
                        cursors.clear();
                        return null;
                    }
                    head.next(cursors);
                    // older segments' rows of the same key are hidden by the newest one
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

    /** A position in one segment of a scan; {@code age} 0 is the newest segment. */
    private static final class Cursor implements Comparable<Cursor> {
        private final DecodedSegment segment;
        private final int age;
        private int index;

        Cursor(DecodedSegment segment, int age, int index) {
            this.segment = segment;
            this.age = age;
            this.index = index;
        }

        boolean valid() {
            return index < segment.size();
        }

        CheckpointRow row() {
            return segment.row(index);
        }

        /** Moves to the next row and goes back into {@code cursors} unless the segment is done. */
        void next(PriorityQueue<Cursor> cursors) {
            index++;
            if (valid()) {
                cursors.add(this);
            }
        }

        @Override
        public int compareTo(Cursor other) {
            int c = Arrays.compareUnsigned(row().key(), other.row().key());
            return c != 0 ? c : Integer.compare(age, other.age);
        }
    }
}
