package io.cairn.txn;

/**
 * The transaction node (TN): the single place where commits are ordered and write-write conflicts
 * are found.
 *
 * <p>{@link #commit} checks every key of the write set (including {@link Write.Kind#LOCK} keys)
 * against the commits made after that write's read timestamp, and against row locks other
 * transactions hold ({@link LockService}); if none conflicts it assigns a commit
 * timestamp higher than every earlier one, appends a commit record to the shared log together with
 * concurrent commits (one log entry), and returns once a majority of log peers has it on disk.
 * Commit timestamps and log order agree: a commit with a higher timestamp never has a lower LSN.
 *
 * <p>Idempotent by transaction id: a request whose id already committed returns that commit's
 * result without writing again, also after a TN failover (the new TN learns ids from the log).
 *
 * <p>Thread-safe; calls block for at most the configured commit timeout.
 */
public interface TransactionService extends LockService {

    /**
     * Commits a transaction.
     *
     * @throws WriteConflictException      a key was committed after its read timestamp, or is locked by
     *                                     another transaction (retryable)
     * @throws SnapshotTooOldException     the snapshot is older than the conflict window (retryable)
     * @throws TransactionNodeUnavailableException not the active TN, or the log failed; outcome
     *                                     unknown until the same request is repeated
     */
    CommitResult commit(CommitRequest request);
}
