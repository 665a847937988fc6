package io.cairn.txn;

/**
 * The active transaction node held the commit back and then refused it, because the changes waiting for a
 * checkpoint take more than its memory budget allows (back-pressure on writers). Unlike
 * {@link TransactionNodeUnavailableException} the outcome is known: the lease holder did not append the commit
 * and had no earlier attempt of it in flight or in its history, and an older holder's append can no longer
 * reach the log. Sending the same request again is safe, and is what a writer does while checkpoints catch up.
 */
public final class TransactionNodeBusyException extends TransactionException {
    public TransactionNodeBusyException(String message) {
        super(message, null);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
