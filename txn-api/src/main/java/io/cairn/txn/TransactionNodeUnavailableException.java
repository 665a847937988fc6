package io.cairn.txn;

/**
 * No active transaction node answered, or it lost its lease or the log while committing. The
 * outcome is unknown: repeat the same request (same transaction id) to learn it; a commit that
 * reached the log is reported as committed.
 */
public final class TransactionNodeUnavailableException extends TransactionException {
    public TransactionNodeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
