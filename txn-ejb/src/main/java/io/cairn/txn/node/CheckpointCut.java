package io.cairn.txn.node;

import io.cairn.txn.Key;
import java.util.NavigableMap;

/**
 * What one checkpoint writes, handed from the TN's driver to the checkpoint thread and never
 * changed afterwards: the latest state of each key changed in the log up to {@code lastLsn} (keys
 * already in an earlier checkpoint may be among them; the writer leaves out what the latest
 * manifest covers).
 *
 * @param epoch   the lease epoch of the TN when it cut; the checkpoint is published only under it
 * @param lastLsn the last log entry read before the cut: the checkpoint covers the log up to it
 * @param lastTs  the highest commit timestamp read before the cut
 * @param changes unmodifiable, in key order
 * @param bytes   about the heap the changes take
 */
record CheckpointCut(long epoch, long lastLsn, long lastTs, NavigableMap<Key, PendingChanges.Change> changes,
        long bytes) {
}
