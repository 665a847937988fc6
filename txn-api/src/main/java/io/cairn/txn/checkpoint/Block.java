package io.cairn.txn.checkpoint;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.vector.ipc.message.ArrowBlock;

/**
 * One block of a segment (an Arrow record batch) read in place: the bytes read from the segment are kept as they
 * are, and a lookup reads the batch's offset, key, timestamp and value buffers inside them. A block read on a cache
 * miss is therefore parsed (its metadata and a check of its offsets), not copied column by column through off-heap
 * buffers: a point read that misses the cache costs one read of the block's bytes, and a cached block weighs its
 * size. Only a row that is returned is copied out.
 *
 * <p>Immutable and thread-safe.
 */
public final class Block {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** An IPC message that starts with this word has its metadata length in the next (the format since Arrow 0.15). */
    private static final int CONTINUATION = 0xFFFFFFFF;
    /** The record batch's buffers in schema order: key (validity, offsets, data), ts (validity, data), value (3). */
    private static final int KEY_OFFSETS = 1;
    private static final int KEY_DATA = 2;
    private static final int TS_DATA = 4;
    private static final int VALUE_VALIDITY = 5;
    private static final int VALUE_OFFSETS = 6;
    private static final int VALUE_DATA = 7;
    private static final int BUFFERS = 8;

    private final byte[] bytes;
    private final int rows;
    private final int keyOffsets;
    private final int keyData;
    private final int stamps;
    /** Where the value column's validity bitmap starts, or -1 when no value is null. */
    private final int valueValidity;
    private final int valueOffsets;
    private final int valueData;

    private Block(byte[] bytes, int rows, int[] starts, boolean deletions) {
        this.bytes = bytes;
        this.rows = rows;
        this.keyOffsets = starts[KEY_OFFSETS];
        this.keyData = starts[KEY_DATA];
        this.stamps = starts[TS_DATA];
        this.valueValidity = deletions ? starts[VALUE_VALIDITY] : -1;
        this.valueOffsets = starts[VALUE_OFFSETS];
        this.valueData = starts[VALUE_DATA];
    }

    /**
     * Parses a block read from a segment: {@code bytes} are the record batch's message and body, as located by
     * {@code where} (its offset is not used). The bytes are kept, not copied.
     *
     * @throws IllegalArgumentException the bytes are not a block of the segment schema
     */
    static Block decode(byte[] bytes, ArrowBlock where) {
        try {
            return parse(bytes, where);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) { // metadata that is not a flatbuffer reads outside its bytes
            throw invalid(e.toString());
        }
    }

    private static Block parse(byte[] bytes, ArrowBlock where) {
        long bodyStart = where.getMetadataLength();
        if (bodyStart < 8 || bodyStart + where.getBodyLength() != bytes.length) {
            throw invalid(bytes.length + " bytes for metadata of " + bodyStart + " and a body of " + where.getBodyLength());
        }
        int first = (int) INT.get(bytes, 0);
        int metadataAt = first == CONTINUATION ? 8 : 4;
        int metadataLength = first == CONTINUATION ? (int) INT.get(bytes, 4) : first;
        if (metadataLength <= 0 || metadataAt + metadataLength > bodyStart) {
            throw invalid("metadata of " + metadataLength + " bytes");
        }
        ByteBuffer metadata = ByteBuffer.wrap(bytes, metadataAt, metadataLength).slice().order(ByteOrder.LITTLE_ENDIAN);
        Message message = Message.getRootAsMessage(metadata);
        if (message.headerType() != MessageHeader.RecordBatch) {
            throw invalid("message type " + message.headerType());
        }
        RecordBatch batch = (RecordBatch) message.header(new RecordBatch());
        if (batch.compression() != null || batch.nodesLength() != 3 || batch.buffersLength() != BUFFERS
                || batch.length() < 0 || batch.length() > Integer.MAX_VALUE) {
            throw invalid("not a batch of the segment schema");
        }
        int rows = (int) batch.length();
        int[] starts = new int[BUFFERS];
        int[] lengths = new int[BUFFERS];
        Buffer buffer = new Buffer();
        for (int i = 0; i < BUFFERS; i++) {
            batch.buffers(buffer, i);
            if (buffer.offset() < 0 || buffer.length() < 0 || buffer.offset() + buffer.length() > where.getBodyLength()) {
                throw invalid("buffer " + i + " outside the body");
            }
            starts[i] = Math.toIntExact(bodyStart + buffer.offset());
            lengths[i] = (int) buffer.length();
        }
        FieldNode node = new FieldNode();
        boolean deletions = batch.nodes(node, 2).nullCount() > 0;
        if (batch.nodes(node, 0).nullCount() != 0 || batch.nodes(node, 1).nullCount() != 0) {
            throw invalid("a null key or timestamp");
        }
        if (rows > 0) {
            checkOffsets(bytes, starts[KEY_OFFSETS], lengths[KEY_OFFSETS], rows, lengths[KEY_DATA], "key");
            checkOffsets(bytes, starts[VALUE_OFFSETS], lengths[VALUE_OFFSETS], rows, lengths[VALUE_DATA], "value");
            if (lengths[TS_DATA] < 8L * rows || deletions && lengths[VALUE_VALIDITY] < (rows + 7) / 8) {
                throw invalid("short timestamp or validity buffer");
            }
        }
        return new Block(bytes, rows, starts, deletions);
    }

    /** Offsets that start at 0, never go down and stay inside their data buffer: what makes every lookup safe. */
    private static void checkOffsets(byte[] bytes, int at, int length, int rows, int dataLength, String column) {
        if (length < 4L * (rows + 1) || (int) INT.get(bytes, at) != 0) {
            throw invalid("bad " + column + " offsets");
        }
        int previous = 0;
        for (int i = 1; i <= rows; i++) {
            int offset = (int) INT.get(bytes, at + 4 * i);
            if (offset < previous || offset > dataLength) {
                throw invalid("bad " + column + " offset " + offset + " of row " + i);
            }
            previous = offset;
        }
    }

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException("cannot decode a segment block: " + why);
    }

    public int size() {
        return rows;
    }

    /** About the heap it takes, for a cache's weigher. */
    public int weight() {
        return 64 + bytes.length;
    }

    public byte[] key(int index) {
        return Arrays.copyOfRange(bytes, keyStart(index), keyEnd(index));
    }

    public long ts(int index) {
        return (long) LONG.get(bytes, stamps + 8 * index);
    }

    /** The row's value, null for a deletion. */
    public byte[] value(int index) {
        if (valueValidity >= 0 && (bytes[valueValidity + (index >>> 3)] & 1 << (index & 7)) == 0) {
            return null;
        }
        int start = valueData + (int) INT.get(bytes, valueOffsets + 4 * index);
        int end = valueData + (int) INT.get(bytes, valueOffsets + 4 * index + 4);
        return Arrays.copyOfRange(bytes, start, end);
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
        return Arrays.compareUnsigned(bytes, keyStart(index), keyEnd(index), key, 0, key.length);
    }

    private int keyStart(int index) {
        return keyData + (int) INT.get(bytes, keyOffsets + 4 * index);
    }

    private int keyEnd(int index) {
        return keyData + (int) INT.get(bytes, keyOffsets + 4 * index + 4);
    }
}
