package io.cairn.txn.node;

import io.cairn.txn.CommitRequest;
import io.cairn.txn.Key;
import io.cairn.txn.SnapshotTooOldException;
import io.cairn.txn.Write;
import io.cairn.txn.WriteConflictException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys committed recently, each with its last commit timestamp: what conflict detection checks
 * a write set against (each write against the time its row was read), and what tells a lock holder
 * whether the rows it locked changed since it read them. Commits older than the window are forgotten and
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
     * @throws SnapshotTooOldException a write's read timestamp is older than the window
     * @throws WriteConflictException  a key of the request was committed after that write's read timestamp
     */
    void check(CommitRequest request) {
        List<Write> writes = request.writes();
        for (int i = 0; i < writes.size(); i++) {
            long readTs = request.readTs(i);
            if (readTs < startTs) {
                throw new SnapshotTooOldException(readTs, startTs);
            }
            Long committed = lastCommit.get(writes.get(i).key());
            if (committed != null && committed > readTs) {
                throw new WriteConflictException(writes.get(i).key(), readTs, committed);
            }
        }
    }

    /**
     * The latest commit of any of {@code keys} after {@code readTs}, or 0 when none was committed
     * since. A read timestamp older than the window may have missed any commit the window forgot:
     * the answer is then the newest commit it knows (at least its start).
     */
    long lastCommitAfter(long readTs, Iterable<Key> keys) {
        if (readTs < startTs) {
            return byAge.isEmpty() ? startTs : Math.max(startTs, byAge.peekLast().ts());
        }
        long latest = 0;
        for (Key key : keys) {
            Long committed = lastCommit.get(key);
            if (committed != null && committed > readTs) {
                latest = Math.max(latest, committed);
            }
        }
        return latest;
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
