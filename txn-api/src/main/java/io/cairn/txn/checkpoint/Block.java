package io.cairn.txn.checkpoint;

import java.io.IOException;
import java.util.Arrays;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;

/**
 * One block of a segment (an Arrow record batch) copied onto the heap, column by column: keys and
 * values as one byte array each with offsets, so that a cached block costs about its size and a
 * point lookup binary-searches it without making row objects. No off-heap memory is kept, so a
 * cache may drop a block at any time.
 *
 * <p>Immutable and thread-safe.
 */
public final class Block {
    private final byte[] keys;
    private final int[] keyOffsets;
    private final long[] stamps;
    private final byte[] values;
    private final int[] valueOffsets;
    private final boolean[] deleted;

    private Block(byte[] keys, int[] keyOffsets, long[] stamps, byte[] values, int[] valueOffsets, boolean[] deleted) {
        this.keys = keys;
        this.keyOffsets = keyOffsets;
        this.stamps = stamps;
        this.values = values;
        this.valueOffsets = valueOffsets;
        this.deleted = deleted;
    }

    /**
     * Decodes a block read from a segment: {@code bytes} are the record batch's message and body,
     * as located by {@code where} (its offset is not used).
     *
     * @throws IllegalArgumentException the bytes are not a block of the segment schema
     */
    static Block decode(byte[] bytes, ArrowBlock where) {
        ArrowBlock local = new ArrowBlock(0, where.getMetadataLength(), where.getBodyLength());
        try (ReadChannel in = new ReadChannel(new ByteArrayReadableSeekableByteChannel(bytes));
                ArrowRecordBatch batch = MessageSerializer.deserializeRecordBatch(in, local, SegmentFormat.ALLOCATOR);
                VectorSchemaRoot root = VectorSchemaRoot.create(SegmentFormat.SCHEMA, SegmentFormat.ALLOCATOR)) {
            new VectorLoader(root).load(batch);
            return copy(root);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot decode a segment block: " + e.getMessage(), e);
        }
    }

    private static Block copy(VectorSchemaRoot root) {
        int n = root.getRowCount();
        VarBinaryVector k = (VarBinaryVector) root.getVector("key");
        BigIntVector t = (BigIntVector) root.getVector("ts");
        VarBinaryVector v = (VarBinaryVector) root.getVector("value");
        int[] keyOffsets = offsets(k, n);
        int[] valueOffsets = offsets(v, n);
        byte[] keys = new byte[keyOffsets[n]];
        k.getDataBuffer().getBytes(0, keys);
        byte[] values = new byte[valueOffsets[n]];
        v.getDataBuffer().getBytes(0, values);
        long[] stamps = new long[n];
        boolean[] deleted = new boolean[n];
        for (int i = 0; i < n; i++) {
            stamps[i] = t.get(i);
            deleted[i] = v.isNull(i);
        }
        return new Block(keys, keyOffsets, stamps, values, valueOffsets, deleted);
    }

    private static int[] offsets(VarBinaryVector vector, int n) {
        int[] offsets = new int[n + 1];
        for (int i = 0; i <= n; i++) {
            offsets[i] = n == 0 ? 0 : vector.getOffsetBuffer().getInt((long) i * VarBinaryVector.OFFSET_WIDTH);
        }
        return offsets;
    }

    public int size() {
        return stamps.length;
    }

    /** About the heap it takes, for a cache's weigher. */
    public int weight() {
        return 64 + keys.length + values.length + stamps.length * (8 + 8 + 1);
    }

    public byte[] key(int index) {
        return Arrays.copyOfRange(keys, keyOffsets[index], keyOffsets[index + 1]);
    }

    public long ts(int index) {
        return stamps[index];
    }

    /** The row's value, null for a deletion. */
    public byte[] value(int index) {
        return deleted[index] ? null : Arrays.copyOfRange(values, valueOffsets[index], valueOffsets[index + 1]);
    }

    public CheckpointRow row(int index) {
        return new CheckpointRow(key(index), ts(index), value(index));
    }

    /** The index of {@code pk}'s row, or -1. */
    public int find(byte[] pk) {
        int index = lowerBound(pk);
        return index < size() && compare(index, pk) == 0 ? index : -1;
    }

    /** The index of the first row with a key ≥ {@code pk} ({@link #size()} when none); null means the start. */
    public int lowerBound(byte[] pk) {
        if (pk == null) {
            return 0;
        }
        int low = 0;
        int high = size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (compare(mid, pk) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Compares row {@code index}'s key with {@code key}, unsigned. */
    public int compare(int index, byte[] key) {
        return Arrays.compareUnsigned(keys, keyOffsets[index], keyOffsets[index + 1], key, 0, key.length);
    }
}
