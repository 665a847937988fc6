package io.cairn.txn.node;

import io.cairn.txn.Key;
import io.cairn.txn.Write;
import io.cairn.txn.record.CommitRecord;
import java.util.Collections;
import java.util.TreeMap;

/**
 * The latest state of every key committed since the last checkpoint cut, as the TN reads the log.
 * A cut hands everything over to a checkpoint as an immutable {@link CheckpointCut} and starts
 * afresh; a failed checkpoint gives its cut back.
 *
 * <p>Not thread-safe: only the TN's driver thread uses it.
 */
final class PendingChanges {
    /** The state of one key: written by the commit at {@code lsn}; {@code value == null} is a deletion. */
    record Change(long lsn, long ts, byte[] value) {
    }

    /** What one noted change costs besides its key and value bytes: tree entry, key and change objects. */
    static final int ENTRY_OVERHEAD = 120;

    private TreeMap<Key, Change> changes = new TreeMap<>();
    private long bytes;
    private long lastLsn;
    private long lastTs;
    /** Every change at or below this LSN has been forgotten already (a manifest covered it). */
    private long forgottenUpTo;

    /** Notes a commit read from the log at {@code lsn}; lock-only writes change nothing. */
    void onCommit(long lsn, CommitRecord record) {
        for (Write write : record.writes()) {
            if (write.kind() != Write.Kind.LOCK) {
                Change old = changes.put(write.key(), new Change(lsn, record.commitTs(), write.value()));
                bytes += size(write.key(), write.value()) - (old == null ? 0 : size(write.key(), old.value()));
            }
        }
        lastLsn = Math.max(lastLsn, lsn);
        lastTs = Math.max(lastTs, record.commitTs());
    }

    private static long size(Key key, byte[] value) {
        return ENTRY_OVERHEAD + key.length() + (value == null ? 0 : value.length);
    }

    /** About the heap the noted changes take. */
    long bytes() {
        return bytes;
    }

    /** Keys changed since the last cut. */
    int size() {
        return changes.size();
    }

    /** Everything noted so far, for a checkpoint under {@code epoch}; this starts empty again. */
    CheckpointCut cut(long epoch) {
        CheckpointCut cut = new CheckpointCut(epoch, lastLsn, lastTs, Collections.unmodifiableNavigableMap(changes), bytes);
        changes = new TreeMap<>();
        bytes = 0;
        return cut;
    }

    /**
     * Forgets the changes a checkpoint covering the log up to {@code lsn} holds. A walk over every
     * change, so only when the checkpoint covers more than the last one did.
     */
    void forgetCoveredBy(long lsn) {
        if (lsn <= forgottenUpTo) {
            return;
        }
        forgottenUpTo = lsn;
        changes.entrySet().removeIf(entry -> {
            boolean covered = entry.getValue().lsn() <= lsn;
            if (covered) {
                bytes -= size(entry.getKey(), entry.getValue().value());
            }
            return covered;
        });
    }

    /**
     * Takes back older changes: those of a cut whose checkpoint failed, or those read back from the log after a
     * takeover. What was noted since is newer and wins.
     */
    void restore(CheckpointCut cut) {
        lastLsn = Math.max(lastLsn, cut.lastLsn());
        lastTs = Math.max(lastTs, cut.lastTs());
        cut.changes().forEach((key, change) -> {
            if (changes.putIfAbsent(key, change) == null) {
                bytes += size(key, change.value());
            }
        });
    }
}
