package io.cairn.txn;

/**
 * Row locks for pessimistic transactions (MySQL/InnoDB semantics), held by the active transaction
 * node so that they hold across every compute node.
 *
 * <p>A lock is held until its transaction commits (the TN releases it once the commit is durable, or
 * when it refuses the commit), rolls back ({@link #release}), is chosen as a deadlock victim, or its
 * owner stops calling for the owner timeout. Waiting is done in calls of bounded length: a caller
 * repeats the same {@link LockRequest} until it is granted or the caller gives up
 * ({@link #abandonWait}); the transaction keeps its place in the key's queue meanwhile.
 *
 * <p>Locks live in the active TN's memory only. When the active TN changes they are gone: the new
 * TN grants them afresh. Safety does not rest on them: a commit is checked against every key's read
 * timestamp ({@link CommitRequest}), so a write whose lock was lost in a failover is refused (1213)
 * rather than lost.
 *
 * <p>Thread-safe.
 */
public interface LockService {

    /**
     * Takes the locks of a request, waiting up to its {@code waitMillis} for locks others hold.
     *
     * @return granted (with whether a key changed after the read timestamp), or still waiting
     * @throws DeadlockException                   the transaction was chosen as a deadlock victim: its locks are released
     * @throws TransactionNodeUnavailableException not the active TN; locks it granted before are gone
     */
    LockResult lock(LockRequest request);

    /** Stops the transaction's wait for a lock (lock wait timeout, cancelled statement); locks it holds stay. */
    void abandonWait(String txnId);

    /** Releases every lock of the transaction and ends its wait. Idempotent. */
    void release(String txnId);

    /** Tells the lock table that {@code owner} is alive, so its transactions' locks are kept. */
    void keepAlive(String owner);
}
