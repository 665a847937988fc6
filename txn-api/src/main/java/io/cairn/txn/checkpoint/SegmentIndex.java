package io.cairn.txn.checkpoint;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;

/**
 * What a reader needs to find a key in a segment without reading it: where each block is, its first
 * key and row count, and a Bloom filter of the segment's keys. Read from the Arrow file footer with
 * one or two ranged reads.
 *
 * <p>Immutable and thread-safe.
 */
public final class SegmentIndex {
    /** Bytes read from the end of a segment at once: the whole footer of a segment up to ~100k keys. */
    private static final int TAIL = 256 * 1024;

    /** Reads {@code length} bytes of the segment from {@code offset}. */
    @FunctionalInterface
    public interface RangeReader {
        byte[] read(long offset, int length);
    }

    private final List<ArrowBlock> blocks;
    private final byte[][] firstKeys;
    private final int[] rows;
    private final BloomFilter<Long> bloom;
    private final int weight;

    private SegmentIndex(List<ArrowBlock> blocks, byte[][] firstKeys, int[] rows, BloomFilter<Long> bloom, int weight) {
        this.blocks = blocks;
        this.firstKeys = firstKeys;
        this.rows = rows;
        this.bloom = bloom;
        this.weight = weight;
    }

    /**
     * Reads the index of a segment of {@code size} bytes.
     *
     * @throws IllegalArgumentException the bytes are not a format 3 segment
     */
    public static SegmentIndex read(RangeReader reader, long size) {
        if (size < 2 * SegmentFormat.TRAILER) {
            throw new IllegalArgumentException("not a segment: " + size + " bytes");
        }
        long tailOffset = Math.max(0, size - TAIL);
        byte[] tail = reader.read(tailOffset, (int) (size - tailOffset));
        int footerLength = ByteBuffer.wrap(tail, tail.length - SegmentFormat.TRAILER, 4).order(ByteOrder.LITTLE_ENDIAN)
                .getInt();
        long footerStart = size - SegmentFormat.TRAILER - footerLength;
        if (footerLength <= 0 || footerStart < 0) {
            throw new IllegalArgumentException("not a segment: footer length " + footerLength);
        }
        if (footerStart < tailOffset) { // a footer bigger than the first read: read it whole
            tailOffset = footerStart;
            tail = reader.read(tailOffset, (int) (size - tailOffset));
        }
        try (ArrowFileReader arrow = new ArrowFileReader(new TailChannel(tail, tailOffset, size), SegmentFormat.ALLOCATOR)) {
            if (!arrow.getVectorSchemaRoot().getSchema().equals(SegmentFormat.SCHEMA)) {
                throw new IllegalArgumentException("not a segment: schema " + arrow.getVectorSchemaRoot().getSchema());
            }
            Map<String, String> meta = arrow.getMetaData();
            if (!SegmentFormat.FORMAT.equals(meta.get(SegmentFormat.FORMAT_KEY))) {
                throw new IllegalArgumentException("not a format " + SegmentFormat.FORMAT + " segment");
            }
            List<ArrowBlock> blocks = List.copyOf(arrow.getRecordBlocks());
            byte[] index = Base64.getDecoder().decode(meta.get(SegmentFormat.INDEX_KEY));
            byte[] bloomBytes = Base64.getDecoder().decode(meta.get(SegmentFormat.BLOOM_KEY));
            ByteBuffer in = ByteBuffer.wrap(index);
            byte[][] firstKeys = new byte[blocks.size()][];
            int[] rows = new int[blocks.size()];
            for (int i = 0; i < blocks.size(); i++) {
                firstKeys[i] = new byte[Short.toUnsignedInt(in.getShort())];
                in.get(firstKeys[i]);
                rows[i] = in.getInt();
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("block index longer than its " + blocks.size() + " blocks");
            }
            BloomFilter<Long> bloom = BloomFilter.readFrom(new ByteArrayInputStream(bloomBytes), Funnels.longFunnel());
            return new SegmentIndex(blocks, firstKeys, rows, bloom, 256 + index.length + bloomBytes.length
                    + blocks.size() * 64);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("cannot read a segment's index: " + e.getMessage(), e);
        }
    }

    /**
     * Writes and reads back a one-row segment, so that Arrow's and Guava's classes are loaded before
     * the first real read: done lazily, it cost a CN's first sessions seconds on a busy machine, right
     * when they had just moved to it from a failed CN.
     */
    public static void warmUp() {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("cairn-warm-up-", ".arrow");
            try {
                try (SegmentWriter writer = new SegmentWriter(file, 1024)) {
                    writer.add(new CheckpointRow(new byte[] {0}, 1, new byte[0]));
                    writer.finish();
                }
                byte[] bytes = java.nio.file.Files.readAllBytes(file);
                RangeReader reader = (offset, length) -> Arrays.copyOfRange(bytes, (int) offset, (int) offset + length);
                read(reader, bytes.length).readBlock(reader, 0);
            } finally {
                java.nio.file.Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot warm up the segment reader", e);
        }
    }

    public int blocks() {
        return blocks.size();
    }

    /** About the heap it takes, for a cache's weigher. */
    public int weight() {
        return weight;
    }

    public int rows(int block) {
        return rows[block];
    }

    /** Whether the segment may hold {@code key}: false means it certainly does not. */
    public boolean mightContain(byte[] key) {
        return bloom.mightContain(SegmentBloom.keyHash(key));
    }

    /** The block that would hold {@code key}: the last whose first key is ≤ it; -1 when it is before all. */
    public int blockFor(byte[] key) {
        int low = 0;
        int high = firstKeys.length - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (Arrays.compareUnsigned(firstKeys[mid], key) <= 0) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** Reads and decodes block {@code block}. */
    public Block readBlock(RangeReader reader, int block) {
        ArrowBlock where = blocks.get(block);
        long length = where.getMetadataLength() + where.getBodyLength();
        return Block.decode(reader.read(where.getOffset(), Math.toIntExact(length)), where);
    }

    /** A read-only channel over the end of a file, enough for Arrow to read the footer. */
    private static final class TailChannel implements SeekableByteChannel {
        private final byte[] tail;
        private final long tailOffset;
        private final long size;
        private long position;

        TailChannel(byte[] tail, long tailOffset, long size) {
            this.tail = tail;
            this.tailOffset = tailOffset;
            this.size = size;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (position >= size) {
                return -1;
            }
            if (position < tailOffset) {
                throw new IOException("read at " + position + " before the footer at " + tailOffset);
            }
            int n = (int) Math.min(dst.remaining(), size - position);
            dst.put(tail, (int) (position - tailOffset), n);
            position += n;
            return n;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new java.nio.channels.NonWritableChannelException();
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new java.nio.channels.NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
