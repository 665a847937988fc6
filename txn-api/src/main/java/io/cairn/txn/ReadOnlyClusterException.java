package io.cairn.txn;

/**
 * The cluster takes no writes now: it is a standby following another cluster's log, or a primary fenced
 * because its standby was promoted, or drained for a switchover. Nothing was written; running the
 * transaction again fails the same way until the cluster takes writes again.
 */
public final class ReadOnlyClusterException extends TransactionException {
    public ReadOnlyClusterException(String reason) {
        super(reason, null);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
