package io.cairn.txn.node;

import io.cairn.txn.CommitRequest;
import io.cairn.txn.Key;
import io.cairn.txn.SnapshotTooOldException;
import io.cairn.txn.Write;
import io.cairn.txn.WriteConflictException;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The keys committed recently, each with its last commit timestamp: what conflict detection checks
 * a write set against (each write against the time its row was read), and what tells a lock holder
 * whether the rows it locked changed since it read them. Commits older than the window are forgotten and
 * the window's start moves up; a snapshot older than the start can no longer be checked.
 *
 * <p>The window is bounded in memory as well as in time: past {@code maxBytes} (about what its entries
 * take on the heap) the oldest commits go early. A bulk load writes tens of thousands of keys a second, and
 * a window of every key of the last minute held millions of them. A shorter window only fails
 * transactions whose snapshot is older than its start, with the retryable "snapshot too old".
 *
 * <p>Not thread-safe: the transaction node guards it with its sequencing lock.
 */
final class ConflictWindow {
    /** One recorded commit: its keys and about the heap they take in the window. */
    private record Commit(long ts, Key[] keys, long bytes) {
    }

    /** What one key of a commit costs besides its bytes: hash-table slots, key object, array slot. */
    static final int ENTRY_OVERHEAD = 104;

    private final KeyTimestamps lastCommit = new KeyTimestamps();
    private final ArrayDeque<Commit> byAge = new ArrayDeque<>();
    private final long maxBytes;
    private long startTs;
    private long bytes;

    /**
     * @param startTs  snapshots below this cannot be checked (the window knows no older commits)
     * @param maxBytes about the most heap the window takes; the newest commit is always kept
     */
    ConflictWindow(long startTs, long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("a conflict window needs a positive size, not " + maxBytes);
        }
        this.startTs = startTs;
        this.maxBytes = maxBytes;
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
            long committed = lastCommit.get(writes.get(i).key());
            if (committed > readTs) {
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
            long committed = lastCommit.get(key);
            if (committed > readTs) {
                latest = Math.max(latest, committed);
            }
        }
        return latest;
    }

    /**
     * Records a commit; commits must be recorded in timestamp order (a repeat is ignored). Past the size
     * bound the oldest commits are forgotten.
     */
    void record(long ts, List<Write> writes) {
        if (!byAge.isEmpty() && ts <= byAge.peekLast().ts()) {
            return;
        }
        Key[] keys = new Key[writes.size()];
        long size = 0;
        for (int i = 0; i < keys.length; i++) {
            keys[i] = writes.get(i).key();
            lastCommit.put(keys[i], ts);
            size += ENTRY_OVERHEAD + keys[i].length();
        }
        Commit commit = new Commit(ts, keys, size);
        byAge.addLast(commit);
        bytes += commit.bytes();
        while (bytes > maxBytes && byAge.size() > 1) {
            forgetOldest();
        }
    }

    /** Forgets the commits with a timestamp below {@code ts}; the window then starts at the last one forgotten. */
    void forgetBefore(long ts) {
        while (!byAge.isEmpty() && byAge.peekFirst().ts() < ts) {
            forgetOldest();
        }
    }

    private void forgetOldest() {
        Commit old = byAge.removeFirst();
        for (Key key : old.keys()) {
            lastCommit.remove(key, old.ts());
        }
        bytes -= old.bytes();
        startTs = Math.max(startTs, old.ts());
    }

    /** About the heap the window takes. */
    long bytes() {
        return bytes;
    }

    int size() {
        return byAge.size();
    }
}
