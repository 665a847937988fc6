package io.cairn.storage.impl;

import java.util.UUID;

/**
 * Codes one object into its k+m shard objects stripe by stripe, in the layout {@link ShardMeta} describes:
 * stripe s holds {@code k * chunkSize} bytes of the object (the last stripe may hold fewer), cut into k data
 * chunks of {@code ceil(len / k)} bytes each (the last ones zero padded, or all padding) and m parity chunks of
 * the same length; every shard object is the record, then chunk i of every stripe, stripe s at
 * {@link #chunkPosition(int)}. Both ways a put codes (in memory, {@link ShardWriter#encode}, and from a stream
 * into files, {@link ShardFiles}) go through it, so their shard objects are byte for byte the same.
 *
 * <p>Not thread-safe: one per object, its stripes coded once each.
 */
final class StripeEncoder {
    private final ReedSolomon codec;
    private final int k;
    private final int m;
    private final int n;
    private final int chunkSize;
    private final long size;
    private final long stripeData;
    private final int stripes;
    /** The CRC32C of every chunk of every shard, stripe after stripe: the record's chunk CRCs. */
    private final int[] crcs;

    StripeEncoder(ReedSolomon codec, int k, int m, int chunkSize, long size) {
        this.codec = codec;
        this.k = k;
        this.m = m;
        this.n = k + m;
        this.chunkSize = chunkSize;
        this.size = size;
        this.stripeData = (long) k * chunkSize;
        this.stripes = ShardMeta.stripes(size, k, chunkSize);
        this.crcs = new int[stripes * n];
    }

    int stripes() {
        return stripes;
    }

    /** Length of the record that heads every shard object: where the shard's bytes start. */
    int recordLength() {
        return ShardMeta.encodedLength(stripes * n);
    }

    /** Length of every shard object: its record and its shard. */
    long shardObjectLength() {
        return stripes == 0 ? recordLength() : chunkPosition(stripes - 1) + chunkLength(stripes - 1);
    }

    /** Where stripe s's chunk starts in every shard object (behind the record). */
    long chunkPosition(int s) {
        return recordLength() + (long) s * chunkSize;
    }

    /** Length of every chunk of stripe s (data and parity). */
    int chunkLength(int s) {
        return (int) ((stripeLength(s) + k - 1) / k);
    }

    /** Where the object bytes of data chunk j of stripe s start in the object. */
    long dataOffset(int s, int j) {
        return s * stripeData + (long) j * chunkLength(s);
    }

    /**
     * Object bytes in data chunk j of stripe s: the chunk's length but in the last stripe, whose last chunks
     * hold fewer (or none); the rest of the chunk is zero padding.
     */
    int dataLength(int s, int j) {
        int cl = chunkLength(s);
        return (int) Math.max(0, Math.min(cl, stripeLength(s) - (long) j * cl));
    }

    /**
     * Codes stripe s, whose k data chunks (zero padded) are at {@code at} of {@code shards[0..k-1]}: writes its
     * parity chunks at {@code at} of {@code shards[k..n-1]} and notes the CRC of all n chunks.
     */
    void encode(int s, byte[][] shards, int at) {
        int cl = chunkLength(s);
        codec.encodeParity(shards, at, cl);
        for (int i = 0; i < n; i++) {
            crcs[s * n + i] = ShardMeta.crc32c(shards[i], at, cl);
        }
    }

    /**
     * The record of the coded object, as shard 0's ({@link ShardMeta#forShard} gives the others'), once every
     * stripe is coded.
     */
    ShardMeta meta(UUID writeId, long created, int objectCrc) {
        return new ShardMeta(writeId, created, size, objectCrc, k, m, chunkSize, 0, crcs);
    }

    private long stripeLength(int s) {
        return Math.min(stripeData, size - s * stripeData);
    }
}
