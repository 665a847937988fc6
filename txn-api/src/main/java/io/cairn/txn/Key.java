package io.cairn.txn;

import java.util.Arrays;

/**
 * The key of one row (or one secondary-index entry): a table id and the memcomparable encoding of
 * its primary key. Keys order by table, then by unsigned bytes, which is the primary-key order.
 * Immutable; the byte array is never exposed for writing.
 */
public final class Key implements Comparable<Key> {
    /** Longest encoded key accepted; MySQL's own limit for an index key is 3072 bytes. */
    public static final int MAX_BYTES = 4096;

    private final long tableId;
    private final byte[] bytes;
    private final int hash;

    private Key(long tableId, byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("key of " + bytes.length + " bytes exceeds " + MAX_BYTES);
        }
        this.tableId = tableId;
        this.bytes = bytes;
        this.hash = Long.hashCode(tableId) * 31 + fnv1a(bytes);
    }

    /**
     * FNV-1a over the bytes. Not {@link Arrays#hashCode(byte[])}: its factor 31 maps the two low bytes of
     * consecutive integer keys onto ~1,500 values for 10,000 keys ((b6, b7) and (b6 + 1, b7 - 31) collide),
     * which made chains in the TN's conflict window and lock table.
     */
    private static int fnv1a(byte[] bytes) {
        int h = 0x811C9DC5;
        for (byte b : bytes) {
            h = (h ^ (b & 0xFF)) * 0x01000193;
        }
        return h;
    }

    /** A key over a copy of {@code bytes}. */
    public static Key of(long tableId, byte[] bytes) {
        return new Key(tableId, bytes.clone());
    }

    /** A key that takes ownership of {@code bytes}; the caller must not change them afterwards. */
    static Key wrap(long tableId, byte[] bytes) {
        return new Key(tableId, bytes);
    }

    public long tableId() {
        return tableId;
    }

    /** A copy of the encoded key. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The encoded key itself, for a holder that keeps it unchanged (the CN's store keeps the keys of the commit
     * records it applies, which the TN's follower holds too): must not be changed.
     */
    public byte[] sharedBytes() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    byte[] unsafeBytes() {
        return bytes;
    }

    @Override
    public int compareTo(Key other) {
        int byTable = Long.compare(tableId, other.tableId);
        return byTable != 0 ? byTable : Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && k.tableId == tableId && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder hex = new StringBuilder(tableId + ":");
        for (byte b : bytes) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }
}
