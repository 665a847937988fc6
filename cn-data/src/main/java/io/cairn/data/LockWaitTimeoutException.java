package io.cairn.data;

import io.cairn.txn.TransactionException;

/**
 * A statement waited for a row lock longer than its lock wait timeout, or was cancelled while it
 * waited. The statement changed nothing; the transaction stays open with the locks it held before.
 * MySQL error 1205 (or 1317 when cancelled).
 */
public final class LockWaitTimeoutException extends TransactionException {
    private final boolean cancelled;

    public LockWaitTimeoutException(String message, boolean cancelled) {
        super(message, null);
        this.cancelled = cancelled;
    }

    /** Whether the wait ended because the statement was cancelled (KILL QUERY), not by its timeout. */
    public boolean cancelled() {
        return cancelled;
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
