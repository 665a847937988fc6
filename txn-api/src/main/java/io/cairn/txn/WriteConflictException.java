package io.cairn.txn;

/**
 * A key of the write set was committed by another transaction after this transaction's snapshot
 * (first committer wins). Nothing was written; retry the whole transaction. MySQL error 1213,
 * SQLSTATE 40001.
 */
public final class WriteConflictException extends TransactionException {
    private final Key key;

    public WriteConflictException(Key key, long snapshotTs, long committedTs) {
        super("write conflict on " + key + ": committed at " + committedTs + ", after snapshot " + snapshotTs, null);
        this.key = key;
    }

    public Key key() {
        return key;
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
