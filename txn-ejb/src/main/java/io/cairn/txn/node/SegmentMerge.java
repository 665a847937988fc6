package io.cairn.txn.node;

import io.cairn.txn.checkpoint.CheckpointRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Merges all segments of one table into one: per key only the newest state, and no deletions,
 * since nothing older is left for them to hide. Stateless.
 */
final class SegmentMerge {
    private SegmentMerge() {
    }

    /**
     * @param oldestFirst the rows of every segment of the table, in manifest order (a later segment
     *                    holds the newer state of a key)
     * @return the live rows, sorted by key
     */
    static List<CheckpointRow> merge(List<List<CheckpointRow>> oldestFirst) {
        TreeMap<byte[], CheckpointRow> newest = new TreeMap<>(Arrays::compareUnsigned);
        for (List<CheckpointRow> segment : oldestFirst) {
            for (CheckpointRow row : segment) {
                newest.put(row.key(), row);
            }
        }
        List<CheckpointRow> live = new ArrayList<>(newest.size());
        for (CheckpointRow row : newest.values()) {
            if (row.value() != null) {
                live.add(row);
            }
        }
        return live;
    }
}
