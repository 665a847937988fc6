package io.cairn.txn.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;

/**
 * Writes one segment to a local file, row by row, a block at a time: memory holds one block and the
 * keys' 64-bit hashes (for the Bloom filter, sized exactly at the end), never the segment.
 *
 * <p>Not thread-safe. Close it in every case; {@link #finish()} first to get a complete file.
 */
public final class SegmentWriter implements AutoCloseable {
    /** Bloom filter false-positive rate: about 10 bits per key. */
    private static final double BLOOM_FPP = 0.01;

    private final int blockBytes;
    private final FileChannel channel;
    private final VectorSchemaRoot root;
    private final ArrowFileWriter writer;
    private final Map<String, String> footer = new HashMap<>();
    private final VarBinaryVector keys;
    private final BigIntVector stamps;
    private final VarBinaryVector values;
    private final ByteArrayOutputStream index = new ByteArrayOutputStream();
    private long[] hashes = new long[1024];
    private long rows;
    private int blockRows;
    private long blockSize;
    private long written;
    private byte[] firstKey;
    private byte[] lastKey;
    private boolean finished;

    /** What was written. */
    public record Written(long rows, long bytes, byte[] firstKey, byte[] lastKey) {
    }

    /**
     * @param file       created or truncated
     * @param blockBytes about how many bytes of rows go in one block
     */
    public SegmentWriter(Path file, int blockBytes) {
        if (blockBytes < 1024) {
            throw new IllegalArgumentException("block size must be at least 1 KiB, not " + blockBytes);
        }
        this.blockBytes = blockBytes;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create segment file " + file, e);
        }
        root = VectorSchemaRoot.create(SegmentFormat.SCHEMA, SegmentFormat.ALLOCATOR);
        // Arrow reads the footer metadata map when it ends the file: filled in by finish()
        writer = new ArrowFileWriter(root, null, channel, footer);
        keys = (VarBinaryVector) root.getVector("key");
        stamps = (BigIntVector) root.getVector("ts");
        values = (VarBinaryVector) root.getVector("value");
        try {
            writer.start();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot write segment file " + file, e);
        }
    }

    /**
     * Appends a row.
     *
     * @throws IllegalArgumentException its key is not above the previous row's (unsigned order)
     */
    public void add(CheckpointRow row) {
        if (lastKey != null && Arrays.compareUnsigned(lastKey, row.key()) >= 0) {
            throw new IllegalArgumentException("segment rows must be sorted by key without repeats");
        }
        if (blockRows == 0) {
            root.allocateNew();
            writeIndexKey(row.key());
        }
        keys.setSafe(blockRows, row.key());
        stamps.setSafe(blockRows, row.ts());
        if (row.value() == null) {
            values.setNull(blockRows);
        } else {
            values.setSafe(blockRows, row.value());
        }
        blockRows++;
        blockSize += 16 + row.key().length + (row.value() == null ? 0 : row.value().length);
        if (rows == hashes.length) {
            hashes = Arrays.copyOf(hashes, hashes.length * 2);
        }
        hashes[(int) rows++] = SegmentBloom.keyHash(row.key());
        if (firstKey == null) {
            firstKey = row.key();
        }
        lastKey = row.key();
        if (blockSize >= blockBytes) {
            flushBlock();
        }
    }

    /** Rows added so far. */
    public long rows() {
        return rows;
    }

    /** About how many bytes the file will have with the rows added so far. */
    public long bytes() {
        return written + blockSize;
    }

    /** Writes the last block and the footer (block index and Bloom filter). */
    public Written finish() {
        if (rows == 0) {
            throw new IllegalStateException("a segment needs at least one row");
        }
        if (blockRows > 0) {
            flushBlock();
        }
        byte[] bloom = SegmentBloom.serialized(hashes, rows, BLOOM_FPP);
        try {
            footer.put(SegmentFormat.FORMAT_KEY, SegmentFormat.FORMAT);
            footer.put(SegmentFormat.INDEX_KEY, Base64.getEncoder().encodeToString(index.toByteArray()));
            footer.put(SegmentFormat.BLOOM_KEY, Base64.getEncoder().encodeToString(bloom));
            writer.end();
            channel.force(true);
            finished = true;
            return new Written(rows, channel.size(), firstKey, lastKey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish a segment file", e);
        }
    }

    private void flushBlock() {
        root.setRowCount(blockRows);
        try {
            writer.writeBatch();
            written = channel.position();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a segment block", e);
        }
        ByteBuffer count = ByteBuffer.allocate(4).putInt(blockRows);
        index.write(count.array(), 0, 4);
        blockRows = 0;
        blockSize = 0;
    }

    private void writeIndexKey(byte[] key) {
        index.write(key.length >>> 8);
        index.write(key.length);
        index.write(key, 0, key.length);
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (RuntimeException e) {
            if (finished) {
                throw e;
            }
        }
        root.close();
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close a segment file", e);
        }
    }
}
