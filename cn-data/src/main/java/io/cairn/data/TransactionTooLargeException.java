package io.cairn.data;

/**
 * A write would take the transaction's write set past its size limit ({@link DataNode.Settings#maxWriteSetBytes()}).
 * The write was not made; the running statement should be undone ({@link Transaction#abortStatement()}),
 * and the transaction stays open with what it wrote before, as MySQL keeps a transaction after a
 * statement error. MySQL error 1197 (ER_TRANS_CACHE_FULL).
 */
public final class TransactionTooLargeException extends RuntimeException {
    private final long limit;

    public TransactionTooLargeException(long needed, long limit) {
        super("the write set would need " + needed + " bytes, more than the limit of " + limit);
        this.limit = limit;
    }

    /** The limit in bytes. */
    public long limit() {
        return limit;
    }
}
