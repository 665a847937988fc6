package io.cairn.txn;

/**
 * A commit that did not happen, or whose outcome is not known. {@link #retryable()} says whether
 * the client may run the transaction again (a new attempt with a fresh snapshot).
 */
public abstract class TransactionException extends RuntimeException {
    protected TransactionException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether running the transaction again can succeed. */
    public abstract boolean retryable();
}
