package io.cairn.storage.impl;

import java.util.Arrays;

/**
 * Systematic Reed-Solomon erasure code over GF(2^8): k data shards, m parity shards, any k of the k+m
 * shards rebuild the rest.
 *
 * <p>The (k+m) x k encoding matrix is a Vandermonde matrix V (row i = [i^0, i^1, ..., i^(k-1)]) multiplied by
 * the inverse of its top k x k square, so its top k rows are the identity (data shards are the data itself)
 * and every k x k submatrix stays invertible. Decoding inverts the k x k submatrix of the rows that are
 * present (Gaussian elimination).
 *
 * <p>Immutable and thread-safe. Requires 1 <= k, 0 <= m and k + m <= 256.
 */
public final class ReedSolomon {
    private final int k;
    private final int m;
    /** (k+m) x k. */
    private final int[][] matrix;

    public ReedSolomon(int dataShards, int parityShards) {
        if (dataShards < 1 || parityShards < 0 || dataShards + parityShards > 256) {
            throw new IllegalArgumentException("need 1 <= k, 0 <= m, k + m <= 256; got k=" + dataShards
                    + " m=" + parityShards);
        }
        this.k = dataShards;
        this.m = parityShards;
        int n = k + m;
        int[][] vandermonde = new int[n][k];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < k; c++) {
                vandermonde[r][c] = Gf256.pow(r, c);
            }
        }
        int[][] top = Arrays.copyOf(vandermonde, k);
        this.matrix = Gf256.multiply(vandermonde, Gf256.invert(top));
    }

    public int dataShards() {
        return k;
    }

    public int parityShards() {
        return m;
    }

    /**
     * Computes the m parity shards from the k data shards: {@code shards[k..k+m-1]} are overwritten over
     * {@code [offset, offset+length)} from {@code shards[0..k-1]} over the same range.
     */
    public void encodeParity(byte[][] shards, int offset, int length) {
        checkShards(shards, offset, length);
        byte[][] data = Arrays.copyOf(shards, k);
        for (int p = 0; p < m; p++) {
            combine(shards[k + p], data, matrix[k + p], offset, length);
        }
    }

    /**
     * Rebuilds the missing shards in place: {@code present[i]} tells which shards hold valid bytes over
     * {@code [offset, offset+length)}; the others are overwritten over that range. Shards whose
     * {@code present} flag is false must still be allocated, at least {@code offset+length} long.
     *
     * @throws IllegalArgumentException if fewer than k shards are present
     */
    public void reconstruct(byte[][] shards, boolean[] present, int offset, int length) {
        checkShards(shards, offset, length);
        if (present.length != k + m) {
            throw new IllegalArgumentException("present has " + present.length + " entries, need " + (k + m));
        }
        int[] rows = new int[k];
        int found = 0;
        for (int i = 0; i < k + m && found < k; i++) {
            if (present[i]) {
                rows[found++] = i;
            }
        }
        if (found < k) {
            throw new IllegalArgumentException("only " + found + " shards present, " + k + " needed");
        }
        boolean dataMissing = false;
        for (int d = 0; d < k; d++) {
            dataMissing |= !present[d];
        }
        if (dataMissing) {
            int[][] sub = new int[k][];
            for (int r = 0; r < k; r++) {
                sub[r] = matrix[rows[r]];
            }
            int[][] decode = Gf256.invert(sub);
            byte[][] sources = new byte[k][];
            for (int r = 0; r < k; r++) {
                sources[r] = shards[rows[r]];
            }
            for (int d = 0; d < k; d++) {
                if (!present[d]) {
                    combine(shards[d], sources, decode[d], offset, length);
                }
            }
        }
        byte[][] data = Arrays.copyOf(shards, k);
        for (int p = 0; p < m; p++) {
            if (!present[k + p]) {
                combine(shards[k + p], data, matrix[k + p], offset, length);
            }
        }
    }

    /**
     * out = sum of coeffs[i] * ins[i] over the range. Two inputs per pass over {@code out}: half the stores
     * and loads of {@code out} of one pass per input, and no clearing pass, for the table lookups that
     * dominate coding time.
     */
    private static void combine(byte[] out, byte[][] ins, int[] coeffs, int offset, int length) {
        int end = offset + length;
        int i = 0;
        for (; i + 1 < ins.length; i += 2) {
            byte[] a = ins[i];
            byte[] b = ins[i + 1];
            byte[] ta = Gf256.MUL[coeffs[i]];
            byte[] tb = Gf256.MUL[coeffs[i + 1]];
            if (i == 0) {
                for (int x = offset; x < end; x++) {
                    out[x] = (byte) (ta[a[x] & 0xFF] ^ tb[b[x] & 0xFF]);
                }
            } else {
                for (int x = offset; x < end; x++) {
                    out[x] ^= (byte) (ta[a[x] & 0xFF] ^ tb[b[x] & 0xFF]);
                }
            }
        }
        if (i < ins.length) {
            byte[] a = ins[i];
            byte[] ta = Gf256.MUL[coeffs[i]];
            if (i == 0) {
                for (int x = offset; x < end; x++) {
                    out[x] = ta[a[x] & 0xFF];
                }
            } else {
                for (int x = offset; x < end; x++) {
                    out[x] ^= ta[a[x] & 0xFF];
                }
            }
        }
    }

    private void checkShards(byte[][] shards, int offset, int length) {
        if (shards.length != k + m) {
            throw new IllegalArgumentException("got " + shards.length + " shards, need " + (k + m));
        }
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        for (int i = 0; i < shards.length; i++) {
            if (shards[i] == null || shards[i].length < offset + length) {
                throw new IllegalArgumentException("shard " + i + " shorter than " + (offset + length));
            }
        }
    }
}
