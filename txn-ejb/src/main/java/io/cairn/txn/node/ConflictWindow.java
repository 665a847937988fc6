package io.cairn.txn.node;

import io.cairn.txn.Key;
import io.cairn.txn.SnapshotTooOldException;
import io.cairn.txn.Write;
import io.cairn.txn.WriteConflictException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys committed recently, each with its last commit timestamp: what first-committer-wins
 * conflict detection checks a write set against. Commits older than the window are forgotten and
 * the window's start moves up; a snapshot older than the start can no longer be checked.
 *
 * <p>Not thread-safe: the transaction node guards it with its sequencing lock.
 */
final class ConflictWindow {
    private record Commit(long ts, List<Key> keys) {
    }

    private final Map<Key, Long> lastCommit = new HashMap<>();
    private final ArrayDeque<Commit> byAge = new ArrayDeque<>();
    private long startTs;

    /** @param startTs snapshots below this cannot be checked (the window knows no older commits) */
    ConflictWindow(long startTs) {
        this.startTs = startTs;
    }

    long startTs() {
        return startTs;
    }

    /**
     * @throws SnapshotTooOldException the snapshot is older than the window
     * @throws WriteConflictException  a key of {@code writes} was committed after {@code snapshotTs}
     */
    void check(long snapshotTs, List<Write> writes) {
        if (snapshotTs < startTs) {
            throw new SnapshotTooOldException(snapshotTs, startTs);
        }
        for (Write write : writes) {
            Long committed = lastCommit.get(write.key());
            if (committed != null && committed > snapshotTs) {
                throw new WriteConflictException(write.key(), snapshotTs, committed);
            }
        }
    }

    /** Records a commit; commits must be recorded in timestamp order (a repeat is ignored). */
    void record(long ts, List<Write> writes) {
        if (!byAge.isEmpty() && ts <= byAge.peekLast().ts()) {
            return;
        }
        List<Key> keys = writes.stream().map(Write::key).toList();
        for (Key key : keys) {
            lastCommit.put(key, ts);
        }
        byAge.addLast(new Commit(ts, keys));
    }

    /** Forgets the commits with a timestamp below {@code ts}; the window then starts at the last one forgotten. */
    void forgetBefore(long ts) {
        while (!byAge.isEmpty() && byAge.peekFirst().ts() < ts) {
            Commit old = byAge.removeFirst();
            for (Key key : old.keys()) {
                lastCommit.remove(key, old.ts());
            }
            startTs = Math.max(startTs, old.ts());
        }
    }

    int size() {
        return byAge.size();
    }
}
