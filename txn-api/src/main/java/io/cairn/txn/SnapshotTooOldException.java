package io.cairn.txn;

/**
 * The snapshot is older than the transaction node's conflict window, so conflicts cannot be ruled
 * out. Nothing was written; retry with a fresh snapshot.
 */
public final class SnapshotTooOldException extends TransactionException {
    public SnapshotTooOldException(long snapshotTs, long windowStartTs) {
        super("snapshot " + snapshotTs + " is older than the conflict window, which starts at " + windowStartTs, null);
    }

    /** The same error reported by a remote TN. */
    public SnapshotTooOldException(String message) {
        super(message, null);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
