package io.cairn.txn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import com.google.common.hash.Hashing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Segments written before SegmentBloom hold Guava's filters and hashes: both must stay bit for bit the same. */
class SegmentBloomTest {
    @Test
    void theKeyHashIsGuavasMurmur3OfEveryLength() {
        Random random = new Random(18);
        for (int length = 0; length <= 70; length++) {
            for (int i = 0; i < 50; i++) {
                byte[] key = new byte[length];
                random.nextBytes(key);
                assertThat(SegmentBloom.keyHash(key)).as("a key of %d bytes", length)
                        .isEqualTo(Hashing.murmur3_128().hashBytes(key).asLong());
            }
        }
    }

    @Test
    void theFilterIsGuavasByteForByte() throws IOException {
        Random random = new Random(7);
        for (int count : new int[] {0, 1, 2, 3, 10, 99, 1_000, 25_000}) {
            long[] hashes = new long[Math.max(1, count)];
            BloomFilter<Long> guava = BloomFilter.create(Funnels.longFunnel(), count, 0.01);
            for (int i = 0; i < count; i++) {
                byte[] key = new byte[1 + random.nextInt(30)];
                random.nextBytes(key);
                hashes[i] = SegmentBloom.keyHash(key);
                guava.put(hashes[i]);
            }
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            guava.writeTo(expected);

            byte[] ours = SegmentBloom.serialized(hashes, count, 0.01);

            assertThat(ours).as("%d keys", count).isEqualTo(expected.toByteArray());
            BloomFilter<Long> read = BloomFilter.readFrom(new ByteArrayInputStream(ours), Funnels.longFunnel());
            for (int i = 0; i < count; i++) {
                assertThat(read.mightContain(hashes[i])).isTrue();
            }
        }
    }
}
