package io.cairn.storage.impl;

/**
 * Arithmetic in GF(2^8) with the primitive polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D), the field used by
 * most storage Reed-Solomon codes. Addition is XOR. Immutable tables, thread-safe.
 */
final class Gf256 {
    private static final int POLY = 0x11D;
    private static final int[] EXP = new int[512];
    private static final int[] LOG = new int[256];
    /** MUL[a][b] = a*b; one row is 256 bytes, so the row for a constant stays in L1 during a coding loop. */
    static final byte[][] MUL = new byte[256][256];

    static {
        int x = 1;
        for (int i = 0; i < 255; i++) {
            EXP[i] = x;
            LOG[x] = i;
            x <<= 1;
            if ((x & 0x100) != 0) {
                x ^= POLY;
            }
        }
        for (int i = 255; i < 512; i++) {
            EXP[i] = EXP[i - 255];
        }
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                MUL[a][b] = (byte) slowMul(a, b);
            }
        }
    }

    private Gf256() {
    }

    private static int slowMul(int a, int b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return EXP[LOG[a] + LOG[b]];
    }

    static int mul(int a, int b) {
        return MUL[a][b] & 0xFF;
    }

    static int inverse(int a) {
        if (a == 0) {
            throw new ArithmeticException("0 has no inverse in GF(2^8)");
        }
        return EXP[255 - LOG[a]];
    }

    /** a^n for n >= 0, with 0^0 = 1. */
    static int pow(int a, int n) {
        if (n == 0) {
            return 1;
        }
        if (a == 0) {
            return 0;
        }
        return EXP[(LOG[a] * n) % 255];
    }

    /** Multiplies two matrices (rows x cols, as int[row][col]). */
    static int[][] multiply(int[][] a, int[][] b) {
        int rows = a.length;
        int inner = b.length;
        int cols = b[0].length;
        int[][] out = new int[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int v = 0;
                for (int i = 0; i < inner; i++) {
                    v ^= mul(a[r][i], b[i][c]);
                }
                out[r][c] = v;
            }
        }
        return out;
    }

    /**
     * Inverts a square matrix by Gauss-Jordan elimination.
     *
     * @throws ArithmeticException if the matrix is singular
     */
    static int[][] invert(int[][] m) {
        int n = m.length;
        int[][] work = new int[n][2 * n];
        for (int r = 0; r < n; r++) {
            if (m[r].length != n) {
                throw new IllegalArgumentException("not square");
            }
            System.arraycopy(m[r], 0, work[r], 0, n);
            work[r][n + r] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            while (pivot < n && work[pivot][col] == 0) {
                pivot++;
            }
            if (pivot == n) {
                throw new ArithmeticException("singular matrix");
            }
            int[] tmp = work[pivot];
            work[pivot] = work[col];
            work[col] = tmp;
            int inv = inverse(work[col][col]);
            for (int c = 0; c < 2 * n; c++) {
                work[col][c] = mul(work[col][c], inv);
            }
            for (int r = 0; r < n; r++) {
                int f = work[r][col];
                if (r != col && f != 0) {
                    for (int c = 0; c < 2 * n; c++) {
                        work[r][c] ^= mul(f, work[col][c]);
                    }
                }
            }
        }
        int[][] out = new int[n][n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(work[r], n, out[r], 0, n);
        }
        return out;
    }
}
