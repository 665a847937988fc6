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

    private TreeMap<Key, Change> changes = new TreeMap<>();
    private long lastLsn;
    private long lastTs;

    /** Notes a commit read from the log at {@code lsn}; lock-only writes change nothing. */
    void onCommit(long lsn, CommitRecord record) {
        for (Write write : record.writes()) {
            if (write.kind() != Write.Kind.LOCK) {
                changes.put(write.key(), new Change(lsn, record.commitTs(), write.value()));
            }
        }
        lastLsn = Math.max(lastLsn, lsn);
        lastTs = Math.max(lastTs, record.commitTs());
    }

    /** Keys changed since the last cut. */
    int size() {
        return changes.size();
    }

    /** Everything noted so far, for a checkpoint under {@code epoch}; this starts empty again. */
    CheckpointCut cut(long epoch) {
        CheckpointCut cut = new CheckpointCut(epoch, lastLsn, lastTs, Collections.unmodifiableNavigableMap(changes));
        changes = new TreeMap<>();
        return cut;
    }

    /** Forgets the changes a checkpoint covering the log up to {@code lsn} holds. */
    void forgetCoveredBy(long lsn) {
        changes.values().removeIf(change -> change.lsn() <= lsn);
    }

    /** Takes back the changes of a cut whose checkpoint failed; what was noted since is newer and wins. */
    void restore(CheckpointCut cut) {
        cut.changes().forEach(changes::putIfAbsent);
    }
}
