package io.cairn.sql.exec;

import io.cairn.data.Transaction;
import io.cairn.data.TransactionTooLargeException;
import io.cairn.txn.Key;
import io.cairn.txn.Write;
import io.cairn.txn.record.CommitRecord;
import java.util.Map;
import java.util.TreeMap;

/**
 * The writes of one statement, kept apart from its transaction until the statement succeeds
 * ({@link #flush()}), so a failing statement changes nothing (MySQL's statement atomicity inside a
 * transaction). Point reads see the statement's own writes first. Not thread-safe.
 */
public final class WriteBuffer {
    private static final byte[] DELETED = new byte[0];

    private final Transaction txn;
    private final Map<Key, byte[]> overlay = new TreeMap<>();
    /** What the overlay's writes will take in the transaction's write set (at least; it may replace some). */
    private long bytes;

    public WriteBuffer(Transaction txn) {
        this.txn = txn;
    }

    public Transaction transaction() {
        return txn;
    }

    /** The value as the statement sees it, or null. */
    public byte[] get(Key key) {
        byte[] v = overlay.get(key);
        if (v != null) {
            return v == DELETED ? null : v;
        }
        return txn.get(key);
    }

    /** @throws TransactionTooLargeException the statement's writes alone exceed the transaction's write set limit */
    public void put(Key key, byte[] value) {
        add(key, value);
    }

    /** @throws TransactionTooLargeException as {@link #put} */
    public void delete(Key key) {
        add(key, DELETED);
    }

    /**
     * Fails as soon as the statement's own writes are more than the transaction could ever take, rather than
     * after buffering all of them (an INSERT … SELECT of a large table).
     */
    private void add(Key key, byte[] value) {
        byte[] before = overlay.put(key, value);
        bytes += size(key, value) - (before == null ? 0 : size(key, before));
        if (bytes > txn.maxWriteSetBytes()) {
            throw new TransactionTooLargeException(bytes, txn.maxWriteSetBytes());
        }
    }

    private static int size(Key key, byte[] value) {
        return CommitRecord.writeBytes(value == DELETED ? Write.delete(key) : Write.put(key, value));
    }

    /** Hands the writes to the transaction. */
    public void flush() {
        for (Map.Entry<Key, byte[]> e : overlay.entrySet()) {
            if (e.getValue() == DELETED) {
                txn.delete(e.getKey());
            } else {
                txn.put(e.getKey(), e.getValue());
            }
        }
        overlay.clear();
        bytes = 0;
    }
}
