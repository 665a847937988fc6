package io.cairn.txn.node;

import io.cairn.txn.CommitRequest;
import io.cairn.txn.CommitResult;
import io.cairn.txn.Key;
import io.cairn.txn.Write;
import io.cairn.txn.record.CommitRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a transaction node knows of the commits of its window, its own and those read from the log: the
 * {@link ConflictWindow}, the results of committed transaction ids (to answer a repeated request), the
 * highest commit timestamp, and the highest one known to be durable in the log with its entry.
 *
 * <p>Not thread-safe: guarded by the node's lock, {@link NodeState}'s monitor; every method expects the
 * caller to hold it.
 */
final class CommitHistory {
    private final long windowBytes;
    /** Null until the first commit or takeover shows where it starts. */
    private ConflictWindow window;
    /** Whether the log was read from its start: false once a truncation hid older commits. */
    private boolean readFromLogStart = true;
    private final Map<String, CommitResult> committed = new LinkedHashMap<>();
    private long lastTs;
    /** The highest commit timestamp known to be in the log. */
    private long durableTs;
    /** The log entry holding the commit of {@link #durableTs}. */
    private long durableLsn;

    /** @param windowBytes about the most heap the conflict window takes */
    CommitHistory(long windowBytes) {
        this.windowBytes = windowBytes;
    }

    /** The result of {@code txnId}'s commit, if it committed within the window; else null. */
    CommitResult result(String txnId) {
        return committed.get(txnId);
    }

    /** Checks a write set against the window; see {@link ConflictWindow#check}. The window is open while active. */
    void check(CommitRequest request) {
        window.check(request);
    }

    /** The timestamp of a commit admitted now: above every earlier one, close to {@code clockMillis}. */
    long nextTimestamp(long clockMillis) {
        return Math.max(lastTs + 1, clockMillis * 1000);
    }

    /** Records a commit this TN admitted at {@code ts} (from {@link #nextTimestamp}), before it is durable. */
    void admit(long ts, List<Write> writes) {
        lastTs = ts;
        window.record(ts, writes);
    }

    /** Remembers the result of a commit of this TN that is now durable. */
    void committed(String txnId, CommitResult result) {
        committed.put(txnId, result);
    }

    /** Everything up to commit timestamp {@code ts} is in the log, up to entry {@code lsn}. */
    void durableUpTo(long ts, long lsn) {
        durableTs = Math.max(durableTs, ts);
        durableLsn = Math.max(durableLsn, lsn);
    }

    /** A commit read from the log, in entry {@code lsn}. */
    void apply(CommitRecord record, long lsn) {
        if (window == null) {
            // Read from the log's start, nothing older exists; after a truncation, older
            // commits are unknown, so snapshots before the first one read are too old.
            window = new ConflictWindow(readFromLogStart ? 0 : record.commitTs(), windowBytes);
        }
        window.record(record.commitTs(), record.writes());
        committed.putIfAbsent(record.txnId(), new CommitResult(record.commitTs(), lsn));
        lastTs = Math.max(lastTs, record.commitTs());
        durableUpTo(record.commitTs(), lsn);
    }

    /** The log was truncated before what this TN reads next: commits older than the first one read are unknown. */
    void logStartTruncated() {
        readFromLogStart = false;
    }

    /** Opens the window at a takeover if no commit has yet: from the log's start, else from the last commit read. */
    void openWindow() {
        if (window == null) {
            window = new ConflictWindow(readFromLogStart ? 0 : lastTs, windowBytes);
        }
    }

    /** See {@link ConflictWindow#lastCommitAfter}. The window is open while active. */
    long lastCommitAfter(long readTs, Iterable<Key> keys) {
        return window.lastCommitAfter(readTs, keys);
    }

    /** Forgets commits older than {@code horizon} (a commit timestamp), in the window and the ids. */
    void forgetBefore(long horizon) {
        if (window != null) {
            window.forgetBefore(horizon);
        }
        var ids = committed.entrySet().iterator();
        while (ids.hasNext() && ids.next().getValue().commitTs() < horizon) {
            ids.remove();
        }
    }

    /** Forgets the window and the ids, to be read again from the log's start. */
    void reset() {
        window = null;
        readFromLogStart = true;
        committed.clear();
    }

    /** The highest commit timestamp this TN knows of (its own or read from the log). */
    long lastTs() {
        return lastTs;
    }

    long durableTs() {
        return durableTs;
    }

    long durableLsn() {
        return durableLsn;
    }
}
