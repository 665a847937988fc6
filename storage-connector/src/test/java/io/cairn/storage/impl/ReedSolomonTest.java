package io.cairn.storage.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ReedSolomonTest {

    @Test
    void fieldInverseAndMatrixInverse() {
        for (int a = 1; a < 256; a++) {
            assertThat(Gf256.mul(a, Gf256.inverse(a))).isEqualTo(1);
        }
        int[][] m = {{1, 2, 3}, {4, 5, 6}, {7, 8, 10}};
        int[][] id = Gf256.multiply(m, Gf256.invert(m));
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                assertThat(id[r][c]).isEqualTo(r == c ? 1 : 0);
            }
        }
        assertThatThrownBy(() -> Gf256.invert(new int[][] {{1, 1}, {1, 1}})).isInstanceOf(ArithmeticException.class);
    }

    /** Every combination of up to m lost shards, for several layouts and sizes (incl. 0 and non-multiples of k). */
    @ParameterizedTest(name = "k={0} m={1}")
    @CsvSource({"1,0", "1,1", "2,1", "3,2", "4,2", "5,3", "6,3", "8,4", "10,4"})
    void rebuildsEveryCombinationOfUpToMLostShards(int k, int m) {
        ReedSolomon rs = new ReedSolomon(k, m);
        Random rnd = new Random(31L * k + m);
        int[] sizes = {0, 1, k - 1 == 0 ? 2 : k - 1, k, k + 1, 1000 + 3, 4097};
        List<int[]> lossSets = new ArrayList<>();
        collectSubsets(k + m, m, 0, new ArrayList<>(), lossSets);
        for (int size : sizes) {
            int len = (size + k - 1) / k;
            byte[] data = new byte[size];
            rnd.nextBytes(data);
            byte[][] shards = new byte[k + m][len];
            for (int j = 0; j < k; j++) {
                int from = j * len;
                int copy = Math.max(0, Math.min(len, size - from));
                System.arraycopy(data, Math.min(from, size), shards[j], 0, copy);
            }
            rs.encodeParity(shards, 0, len);
            for (int[] lost : lossSets) {
                byte[][] copy = new byte[k + m][];
                boolean[] present = new boolean[k + m];
                for (int i = 0; i < k + m; i++) {
                    copy[i] = shards[i].clone();
                    present[i] = true;
                }
                for (int i : lost) {
                    present[i] = false;
                    rnd.nextBytes(copy[i]); // garbage where the lost shard was
                }
                rs.reconstruct(copy, present, 0, len);
                for (int i = 0; i < k + m; i++) {
                    assertThat(copy[i]).as("size %d lost %s shard %d", size, java.util.Arrays.toString(lost), i)
                            .isEqualTo(shards[i]);
                }
            }
        }
    }

    @Test
    void tooFewShardsIsRejected() {
        ReedSolomon rs = new ReedSolomon(4, 2);
        byte[][] shards = new byte[6][8];
        boolean[] present = {true, true, true, false, false, false};
        assertThatThrownBy(() -> rs.reconstruct(shards, present, 0, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only 3 shards present");
    }

    @Test
    void codesASubRangeOnly() {
        ReedSolomon rs = new ReedSolomon(3, 2);
        byte[][] shards = new byte[5][20];
        Random rnd = new Random(7);
        for (int i = 0; i < 3; i++) {
            rnd.nextBytes(shards[i]);
        }
        shards[3][0] = 42;
        rs.encodeParity(shards, 5, 10);
        assertThat(shards[3][0]).isEqualTo((byte) 42); // outside the range: untouched
        byte[] saved = shards[1].clone();
        java.util.Arrays.fill(shards[1], 5, 15, (byte) 0);
        rs.reconstruct(shards, new boolean[] {true, false, true, true, false}, 5, 10);
        assertThat(java.util.Arrays.copyOfRange(shards[1], 5, 15)).isEqualTo(java.util.Arrays.copyOfRange(saved, 5, 15));
    }

    private static void collectSubsets(int n, int maxSize, int start, List<Integer> cur, List<int[]> out) {
        out.add(cur.stream().mapToInt(Integer::intValue).toArray());
        if (cur.size() == maxSize) {
            return;
        }
        for (int i = start; i < n; i++) {
            cur.add(i);
            collectSubsets(n, maxSize, i + 1, cur, out);
            cur.remove(cur.size() - 1);
        }
    }
}
