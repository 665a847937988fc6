package io.cairn.txn;

/**
 * Waiting for a lock would have closed a cycle of transactions waiting for each other: the
 * transaction that asked is the victim. The lock table has released every lock it held; the
 * transaction is over and its client should run it again. MySQL error 1213, SQLSTATE 40001.
 */
public final class DeadlockException extends TransactionException {
    public DeadlockException(String message) {
        super(message, null);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
