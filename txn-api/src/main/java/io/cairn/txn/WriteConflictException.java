package io.cairn.txn;

/**
 * A key of the write set was committed by another transaction after this transaction's snapshot
 * (first committer wins). Nothing was written; retry the whole transaction. MySQL error 1213,
 * SQLSTATE 40001.
 */
public final class WriteConflictException extends TransactionException {
    private final Key key;
    private final long committedTs;

    public WriteConflictException(Key key, long snapshotTs, long committedTs) {
        super("write conflict on " + key + ": committed at " + committedTs + ", after snapshot " + snapshotTs, null);
        this.key = key;
        this.committedTs = committedTs;
    }

    /** The same error reported by a remote TN: the message says which key; the key itself is not known here. */
    public WriteConflictException(String message) {
        super(message, null);
        this.key = null;
        this.committedTs = 0;
    }

    /** The key that conflicted, or null when the error came from a remote TN. */
    public Key key() {
        return key;
    }

    /** The commit timestamp of the transaction that won, or 0 when the error came from a remote TN. */
    public long committedTs() {
        return committedTs;
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
