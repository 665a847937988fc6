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
        for (int p = 0; p < m; p++) {
            byte[] out = shards[k + p];
            Arrays.fill(out, offset, offset + length, (byte) 0);
            for (int d = 0; d < k; d++) {
                addMultiple(out, shards[d], matrix[k + p][d], offset, length);
            }
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
            for (int d = 0; d < k; d++) {
                if (!present[d]) {
                    byte[] out = shards[d];
                    Arrays.fill(out, offset, offset + length, (byte) 0);
                    for (int r = 0; r < k; r++) {
                        addMultiple(out, shards[rows[r]], decode[d][r], offset, length);
                    }
                }
            }
        }
        for (int p = 0; p < m; p++) {
            if (!present[k + p]) {
                byte[] out = shards[k + p];
                Arrays.fill(out, offset, offset + length, (byte) 0);
                for (int d = 0; d < k; d++) {
                    addMultiple(out, shards[d], matrix[k + p][d], offset, length);
                }
            }
        }
    }

    /** out ^= c * in over the range. */
    private static void addMultiple(byte[] out, byte[] in, int c, int offset, int length) {
        if (c == 0) {
            return;
        }
        int end = offset + length;
        if (c == 1) {
            for (int i = offset; i < end; i++) {
                out[i] ^= in[i];
            }
            return;
        }
        byte[] table = Gf256.MUL[c];
        for (int i = offset; i < end; i++) {
            out[i] ^= table[in[i] & 0xFF];
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
