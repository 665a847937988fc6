package io.cairn.data;

import io.cairn.txn.checkpoint.CheckpointRow;
import java.util.Arrays;
import java.util.List;

/**
 * One checkpoint segment decoded for lookups: its rows in key order, found by binary search.
 * Immutable and thread-safe.
 */
final class DecodedSegment {
    private final CheckpointRow[] rows;
    private final long bytes;

    DecodedSegment(List<CheckpointRow> sortedRows) {
        this.rows = sortedRows.toArray(CheckpointRow[]::new);
        long size = 0;
        for (CheckpointRow row : rows) {
            size += 64 + row.key().length + (row.value() == null ? 0 : row.value().length);
        }
        this.bytes = size;
    }

    /** An estimate of the heap it takes, for the cache's bound. */
    long bytes() {
        return bytes;
    }

    int size() {
        return rows.length;
    }

    CheckpointRow row(int index) {
        return rows[index];
    }

    /** The row of {@code pk}, or null when the segment has none. */
    CheckpointRow find(byte[] pk) {
        int index = lowerBound(pk);
        return index < rows.length && Arrays.equals(rows[index].key(), pk) ? rows[index] : null;
    }

    /** The index of the first row with a key ≥ {@code pk} ({@link #size()} when none); null means the start. */
    int lowerBound(byte[] pk) {
        if (pk == null) {
            return 0;
        }
        int low = 0;
        int high = rows.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (Arrays.compareUnsigned(rows[mid].key(), pk) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
