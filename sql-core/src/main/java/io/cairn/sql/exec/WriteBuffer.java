package io.cairn.sql.exec;

import io.cairn.data.Transaction;
import io.cairn.txn.Key;
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

    public void put(Key key, byte[] value) {
        overlay.put(key, value);
    }

    public void delete(Key key) {
        overlay.put(key, DELETED);
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
    }
}
