package io.cairn.txn;

import java.nio.ByteBuffer;

/**
 * How a key space (the rows of a table or the entries of an index) is dropped: the dropping
 * transaction writes a marker row into the key space {@link #MARKERS}, keyed by the dropped id. Key
 * space ids are never reused, so from the marker's commit on no snapshot that can still start reads
 * the dropped rows: the CN frees them from memory, the TN's checkpoints leave them out of storage.
 */
public final class DroppedKeySpaces {
    /** The key space of drop markers. Below 1000: a system key space. */
    public static final long MARKERS = 999;

    private DroppedKeySpaces() {
    }

    /** The marker row that drops {@code keySpace}. */
    public static Key marker(long keySpace) {
        return Key.of(MARKERS, ByteBuffer.allocate(Long.BYTES).putLong(keySpace).array());
    }

    /**
     * The key space a marker row drops.
     *
     * @throws IllegalArgumentException {@code markerKey} is not the key of a marker row
     */
    public static long keySpace(byte[] markerKey) {
        if (markerKey.length != Long.BYTES) {
            throw new IllegalArgumentException("a drop marker key has 8 bytes, not " + markerKey.length);
        }
        return ByteBuffer.wrap(markerKey).getLong();
    }
}
