package io.cairn.txn;

/**
 * The lock table's answer.
 *
 * @param granted whether the transaction now holds every lock asked for; if not, it waits in the
 *                queues of the keys still held by others, and asks again (same request) to go on
 *                waiting
 * @param changed (granted only) whether another transaction committed one of the keys after the
 *                request's read timestamp: the statement must read them again, at a snapshot that
 *                includes log entry {@code lsn}
 * @param lsn     when {@code changed}: the log entry holding every commit of those keys
 */
public record LockResult(boolean granted, boolean changed, long lsn) {
    public static final LockResult WAITING = new LockResult(false, false, 0);
    public static final LockResult GRANTED = new LockResult(true, false, 0);

    public static LockResult changedUpTo(long lsn) {
        return new LockResult(true, true, lsn);
    }
}
