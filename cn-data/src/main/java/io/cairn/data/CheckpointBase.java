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
        List<DecodedSegment> newestFirst = new ArrayList<>(keys.size());
        int[] next = new int[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            DecodedSegment segment = cache.get(keys.get(i));
            newestFirst.add(segment);
            next[i] = segment.lowerBound(from);
        }
        return new LookaheadIterator<>() {
            @Override
            protected CheckpointRow advance() {
                while (true) {
                    // The smallest key at any cursor; the newest segment holding it decides.
                    CheckpointRow least = null;
                    for (int i = 0; i < next.length; i++) {
                        if (next[i] < newestFirst.get(i).size()) {
                            CheckpointRow row = newestFirst.get(i).row(next[i]);
                            if (least == null || Arrays.compareUnsigned(row.key(), least.key()) < 0) {
                                least = row;
                            }
                        }
                    }
                    if (least == null || (to != null && Arrays.compareUnsigned(least.key(), to) >= 0)) {
                        return null;
                    }
                    for (int i = 0; i < next.length; i++) {
                        if (next[i] < newestFirst.get(i).size()
                                && Arrays.equals(newestFirst.get(i).row(next[i]).key(), least.key())) {
                            next[i]++;
                        }
                    }
                    if (least.value() != null) {
                        return least;
                    }
                }
            }
        };
    }
}
