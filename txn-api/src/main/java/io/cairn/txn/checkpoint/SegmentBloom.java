package io.cairn.txn.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds a segment's Bloom filter in the serialized form of Guava's {@code BloomFilter<Long>} (strategy
 * MURMUR128_MITZ_64, {@code Funnels.longFunnel()}), which {@link SegmentIndex} reads with Guava; and the
 * 64-bit key hash it holds, Guava's {@code murmur3_128().hashBytes(key).asLong()}. Both are computed here
 * without Guava's per-call hasher, byte buffer and lock-free bit array: building the filters of a bulk load's
 * checkpoints that way took a fifth of the checkpoint thread's time and a tenth of what the load allocated.
 * {@code SegmentBloomTest} holds both to Guava's output.
 */
final class SegmentBloom {
    /** Guava's ordinal of BloomFilterStrategies.MURMUR128_MITZ_64. */
    private static final int MURMUR128_MITZ_64 = 1;
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private SegmentBloom() {
    }

    /** Guava's {@code murmur3_128().hashBytes(key).asLong()}: the first 64 bits of murmur3 x64 128 (seed 0). */
    static long keyHash(byte[] key) {
        long h1 = 0;
        long h2 = 0;
        int blocks = key.length / 16;
        for (int b = 0; b < blocks; b++) {
            long k1 = littleEndian(key, b * 16, 8);
            long k2 = littleEndian(key, b * 16 + 8, 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = blocks * 16;
        int left = key.length - tail;
        h1 ^= mixK1(littleEndian(key, tail, Math.min(left, 8)));
        h2 ^= mixK2(left > 8 ? littleEndian(key, tail + 8, left - 8) : 0);
        return finish(h1, h2, key.length)[0];
    }

    /** Guava's {@code BloomFilter.create(Funnels.longFunnel(), count, fpp)} holding {@code hashes[0..count)}, serialized by {@code writeTo}. */
    static byte[] serialized(long[] hashes, long count, double fpp) {
        long n = Math.max(1, count);
        long numBits = (long) (-n * Math.log(fpp) / (Math.log(2) * Math.log(2)));
        int numHashFunctions = Math.max(1, (int) Math.round((double) numBits / n * Math.log(2)));
        long[] data = new long[Math.toIntExact((numBits + 63) / 64)];
        long bitSize = data.length * 64L;
        for (long i = 0; i < count; i++) {
            long[] h = longHash(hashes[(int) i]);
            long combined = h[0];
            for (int f = 0; f < numHashFunctions; f++) {
                long bit = (combined & Long.MAX_VALUE) % bitSize;
                data[(int) (bit >>> 6)] |= 1L << bit; // a shift by a long uses its low six bits, as Guava's does
                combined += h[1];
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(6 + data.length * 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(MURMUR128_MITZ_64);
            out.writeByte(numHashFunctions);
            out.writeInt(data.length);
            for (long word : data) {
                out.writeLong(word);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /** murmur3 x64 128 of a long's eight little-endian bytes (what the long funnel feeds the hasher). */
    private static long[] longHash(long value) {
        return finish(mixK1(value), 0, 8);
    }

    private static long[] finish(long h1, long h2, int length) {
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        h1 += h2;
        h2 += h1;
        return new long[] {h1, h2};
    }

    private static long littleEndian(byte[] b, int from, int count) {
        long v = 0;
        for (int i = count - 1; i >= 0; i--) {
            v = (v << 8) | (b[from + i] & 0xFFL);
        }
        return v;
    }

    private static long mixK1(long k1) {
        return Long.rotateLeft(k1 * C1, 31) * C2;
    }

    private static long mixK2(long k2) {
        return Long.rotateLeft(k2 * C2, 33) * C1;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
