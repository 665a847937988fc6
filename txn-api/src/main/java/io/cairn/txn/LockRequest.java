package io.cairn.txn;

import java.util.List;

/**
 * What a compute node asks the lock table for: row locks of one transaction, taken in key order.
 *
 * @param txnId      the transaction that will hold the locks (its commit, rollback or
 *                   {@link LockService#release} ends them)
 * @param owner      the compute node incarnation running the transaction; its locks go when it stops
 *                   calling ({@link LockService#keepAlive})
 * @param readTs     the commit timestamp the statement read these keys at: the answer says whether
 *                   any of them was committed after it
 * @param exclusive  keys to lock exclusively (written, or read {@code FOR UPDATE})
 * @param shared     keys to lock shared ({@code FOR SHARE}); a key in both lists is locked exclusively
 * @param waitMillis how long this call may wait for locks held by others before it answers "still
 *                   waiting"; 0 answers at once
 */
public record LockRequest(String txnId, String owner, long readTs, List<Key> exclusive, List<Key> shared,
        long waitMillis) {
    /** Most keys one request may name: bounds what one call makes the lock table hold. */
    public static final int MAX_KEYS = 100_000;
    /** Longest owner id accepted. */
    public static final int MAX_OWNER = 128;

    public LockRequest {
        if (txnId == null || txnId.isEmpty() || txnId.length() > CommitRequest.MAX_TXN_ID) {
            throw new IllegalArgumentException("transaction id must be 1-" + CommitRequest.MAX_TXN_ID + " characters");
        }
        if (owner == null || owner.isEmpty() || owner.length() > MAX_OWNER) {
            throw new IllegalArgumentException("owner must be 1-" + MAX_OWNER + " characters");
        }
        exclusive = List.copyOf(exclusive);
        shared = List.copyOf(shared);
        if (exclusive.size() + shared.size() > MAX_KEYS) {
            throw new IllegalArgumentException("a lock request names at most " + MAX_KEYS + " keys");
        }
        if (waitMillis < 0) {
            throw new IllegalArgumentException("waitMillis must not be negative");
        }
    }

    /** The same request, waiting at most {@code millis} in one call. */
    public LockRequest waiting(long millis) {
        return new LockRequest(txnId, owner, readTs, exclusive, shared, millis);
    }
}
