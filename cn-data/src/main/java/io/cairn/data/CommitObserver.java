package io.cairn.data;

import io.cairn.txn.DeadlockException;
import io.cairn.txn.ReadOnlyClusterException;
import io.cairn.txn.SnapshotTooOldException;
import io.cairn.txn.TransactionNodeBusyException;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.WriteConflictException;

/**
 * Told about every commit this CN sends to the active TN, for monitoring: how it ended and how long the TN's
 * answer took (through the {@link CommitCalls}, retries during a failover included; not the wait until this
 * CN has applied it). Read-only transactions send nothing and are not reported.
 *
 * <p>Called on the committing session's thread once the answer is known: an implementation must be quick and
 * must not throw.
 */
@FunctionalInterface
public interface CommitObserver {
    /** Observes nothing. */
    CommitObserver NONE = (outcome, elapsedNanos) -> {
    };

    void commitEnded(Outcome outcome, long elapsedNanos);

    /** How a commit ended, as a client would tell the cases apart. */
    enum Outcome {
        /** durable in the log */
        COMMITTED,
        /** refused: another transaction wrote a key first, or held a lock on it (MySQL 1213) */
        CONFLICT,
        /** refused: a deadlock victim */
        DEADLOCK,
        /** refused: the read timestamp is older than the TN's conflict window */
        SNAPSHOT_TOO_OLD,
        /** refused: the cluster takes no writes (a standby, or a fenced or drained primary) */
        READ_ONLY,
        /** refused after a minute of the TN holding it back for its memory budget (checkpoints behind the writers) */
        BUSY,
        /** no TN answered in time: the outcome is unknown to the client */
        UNKNOWN,
        /** any other failure */
        FAILED;

        /** The outcome of a commit that threw {@code e}. */
        public static Outcome of(Throwable e) {
            if (e instanceof WriteConflictException) {
                return CONFLICT;
            }
            if (e instanceof DeadlockException) {
                return DEADLOCK;
            }
            if (e instanceof SnapshotTooOldException) {
                return SNAPSHOT_TOO_OLD;
            }
            if (e instanceof ReadOnlyClusterException) {
                return READ_ONLY;
            }
            if (e instanceof TransactionNodeBusyException) {
                return BUSY;
            }
            if (e instanceof TransactionNodeUnavailableException) {
                return UNKNOWN;
            }
            return FAILED;
        }
    }
}
