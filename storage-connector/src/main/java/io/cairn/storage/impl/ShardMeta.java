package io.cairn.storage.impl;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The per-object metadata record, stored as the header of each shard object ({@code shard/<key>} on every
 * endpoint: this record, then the shard's bytes), so that one read of an endpoint returns both. All records
 * of one write are identical except {@link #shardIndex()}. A reader only trusts a write id that at least k
 * endpoints carry.
 *
 * <p>Object layout: the object is cut into stripes of {@code k * chunkSize} bytes (the last may be shorter);
 * each stripe is split into k data chunks (the last stripe's chunks are {@code ceil(len/k)} bytes, zero
 * padded) and m parity chunks of the same length. Shard i's data object is the concatenation of chunk i of
 * every stripe. {@link #chunkCrc(int, int)} holds a CRC32C of every chunk of every shard, so every record can
 * verify every shard.
 *
 * <p>Binary form (big-endian): magic, version, write id, created millis, size, object CRC32C, k, m, chunk
 * size, shard index, number of chunk CRCs, the chunk CRCs (stripes x (k+m)), then a CRC32C of all preceding
 * bytes. Its length ({@link #encodedLength()}) follows from the first {@value #FIXED} bytes ({@link
 * #headerLength}). Version 2: the record heads the shard object (version 1 was a separate object).
 */
public record ShardMeta(UUID writeId, long createdMillis, long size, int objectCrc, int k, int m, int chunkSize,
                        int shardIndex, int[] chunkCrcs) {
    private static final int MAGIC = 0x43524E45; // "CRNE"
    private static final short VERSION = 2;
    static final int FIXED = 4 + 2 + 16 + 8 + 8 + 4 + 2 + 2 + 4 + 4 + 4;

    public ShardMeta {
        Objects.requireNonNull(writeId, "writeId");
        if (size < 0 || k < 1 || m < 0 || k + m > 256 || chunkSize < 1 || shardIndex < 0 || shardIndex >= k + m) {
            throw new IllegalArgumentException("invalid metadata: size=" + size + " k=" + k + " m=" + m
                    + " chunkSize=" + chunkSize + " shardIndex=" + shardIndex);
        }
        if (chunkCrcs.length != (long) stripes(size, k, chunkSize) * (k + m)) {
            throw new IllegalArgumentException("chunk CRC count " + chunkCrcs.length + " does not match layout");
        }
    }

    static int stripes(long size, int k, int chunkSize) {
        long stripeData = (long) k * chunkSize;
        long n = (size + stripeData - 1) / stripeData;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many stripes");
        }
        return (int) n;
    }

    public int shards() {
        return k + m;
    }

    public int stripes() {
        return stripes(size, k, chunkSize);
    }

    public long stripeDataSize() {
        return (long) k * chunkSize;
    }

    /** Object bytes in stripe s. */
    public int stripeLength(int s) {
        return (int) Math.min(stripeDataSize(), size - s * stripeDataSize());
    }

    /** Length of every chunk of stripe s (data and parity). */
    public int chunkLength(int s) {
        return (stripeLength(s) + k - 1) / k;
    }

    /** Where stripe s's chunk starts inside every shard's data object. */
    public long shardOffset(int s) {
        return (long) s * chunkSize;
    }

    /** Length of every shard's data object. */
    public long shardLength() {
        int n = stripes();
        return n == 0 ? 0 : shardOffset(n - 1) + chunkLength(n - 1);
    }

    public int chunkCrc(int stripe, int shard) {
        return chunkCrcs[stripe * shards() + shard];
    }

    /** Same write, other shard index. */
    public ShardMeta forShard(int index) {
        return new ShardMeta(writeId, createdMillis, size, objectCrc, k, m, chunkSize, index, chunkCrcs);
    }

    /** True when both records describe the same write (everything but the shard index is equal). */
    public boolean sameWrite(ShardMeta o) {
        return writeId.equals(o.writeId) && createdMillis == o.createdMillis && size == o.size
                && objectCrc == o.objectCrc && k == o.k && m == o.m && chunkSize == o.chunkSize
                && Arrays.equals(chunkCrcs, o.chunkCrcs);
    }

    /** Length of {@link #encode()}'s result: where the shard's bytes start in its shard object. */
    public int encodedLength() {
        return encodedLength(chunkCrcs.length);
    }

    /** {@link #encodedLength()} of a record with {@code chunkCrcCount} chunk CRCs (stripes x (k+m)). */
    static int encodedLength(int chunkCrcCount) {
        return FIXED + 4 * chunkCrcCount + 4;
    }

    public byte[] encode() {
        byte[] out = new byte[encodedLength()];
        encodeInto(out);
        return out;
    }

    /** Writes the record at the start of {@code dst} (a shard object whose shard bytes follow it). */
    public void encodeInto(byte[] dst) {
        ByteBuffer b = ByteBuffer.wrap(dst, 0, encodedLength());
        b.putInt(MAGIC).putShort(VERSION)
                .putLong(writeId.getMostSignificantBits()).putLong(writeId.getLeastSignificantBits())
                .putLong(createdMillis).putLong(size).putInt(objectCrc)
                .putShort((short) k).putShort((short) m).putInt(chunkSize).putInt(shardIndex)
                .putInt(chunkCrcs.length);
        for (int c : chunkCrcs) {
            b.putInt(c);
        }
        CRC32C crc = new CRC32C();
        crc.update(dst, 0, b.position());
        b.putInt((int) crc.getValue());
    }

    /**
     * The length of the record that starts {@code bytes}, read from its first {@value #FIXED} bytes.
     *
     * @throws IllegalArgumentException if fewer bytes are given or they do not start a record
     */
    public static int headerLength(byte[] bytes) {
        if (bytes.length < FIXED) {
            throw new IllegalArgumentException("metadata record truncated: " + bytes.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.getInt(0) != MAGIC || b.getShort(4) != VERSION) {
            throw new IllegalArgumentException("not a metadata record (magic/version)");
        }
        int count = b.getInt(FIXED - 4);
        if (count < 0 || count > (Integer.MAX_VALUE - FIXED - 4) / 4) {
            throw new IllegalArgumentException("metadata record length mismatch");
        }
        return encodedLength(count);
    }

    /**
     * Parses the record at the start of {@code bytes} (a shard object, or a prefix of one).
     *
     * @throws IllegalArgumentException if the bytes do not start with an intact record (bitrot, truncation,
     *                                  garbage)
     */
    public static ShardMeta decode(byte[] bytes) {
        int length = headerLength(bytes);
        if (bytes.length < length) {
            throw new IllegalArgumentException("metadata record truncated: " + bytes.length + " of " + length
                    + " bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length - 4);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.getInt(length - 4) != (int) crc.getValue()) {
            throw new IllegalArgumentException("metadata record checksum mismatch");
        }
        b.position(6);
        UUID id = new UUID(b.getLong(), b.getLong());
        long created = b.getLong();
        long size = b.getLong();
        int objectCrc = b.getInt();
        int k = b.getShort();
        int m = b.getShort();
        int chunkSize = b.getInt();
        int shardIndex = b.getInt();
        int count = b.getInt(); // agrees with length: headerLength read it
        int[] crcs = new int[count];
        for (int i = 0; i < count; i++) {
            crcs[i] = b.getInt();
        }
        return new ShardMeta(id, created, size, objectCrc, k, m, chunkSize, shardIndex, crcs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShardMeta other && sameWrite(other) && shardIndex == other.shardIndex;
    }

    @Override
    public int hashCode() {
        return Objects.hash(writeId, shardIndex);
    }

    @Override
    public String toString() {
        return "ShardMeta[write=" + writeId + ", size=" + size + ", k=" + k + ", m=" + m + ", chunk=" + chunkSize
                + ", shard=" + shardIndex + "]";
    }

    static int crc32c(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }
}
