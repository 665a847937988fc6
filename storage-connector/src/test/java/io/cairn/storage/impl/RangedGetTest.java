package io.cairn.storage.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A ranged get of a checkpoint block (about 256 KiB) with the default layout reads a few chunks of each shard, not
 * whole megabyte stripes: on a CN whose block cache misses, every extra byte read was an allocation, and reads of
 * 1–2 MiB were humongous objects that drove a 1 GiB heap into full collections.
 */
class RangedGetTest {
    private static final int BLOCK = 256 << 10;
    private static final int CHUNK = StoreConfig.DEFAULT_CHUNK_SIZE;

    @TempDir
    Path root;

    @ParameterizedTest(name = "{0}+{1}")
    @CsvSource({"1, 0", "4, 2"})
    void aBlockReadTakesAFewChunksPerShard(int k, int m) throws Exception {
        List<FaultyEndpoint> endpoints = new ArrayList<>();
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < k + m; i++) {
            specs.add("dir:" + root.resolve("d" + i));
            endpoints.add(new FaultyEndpoint(new DirEndpoint(root.resolve("d" + i))));
        }
        StoreConfig config = TestStores.testConfig(k, m).stripeSize(0).endpoints(specs).build();
        assertThat(config.chunkSize()).isEqualTo(CHUNK);
        byte[] object = new byte[8 << 20];
        new Random(11).nextBytes(object);
        try (ErasureCodedStore store = new ErasureCodedStore(config, endpoints, TestStores.testPolicy(config),
                Clock.systemUTC())) {
            store.put("segment", object);
            Random random = new Random(5);
            for (int i = 0; i < 20; i++) {
                int offset = random.nextInt(object.length - BLOCK);
                long before = endpoints.stream().mapToLong(e -> e.bytesGot.sum()).sum();
                assertThat(store.get("segment", offset, BLOCK)).isEqualTo(Arrays.copyOfRange(object, offset, offset + BLOCK));
                long read = endpoints.stream().mapToLong(e -> e.bytesGot.sum()).sum() - before;
                // the range, at most one partial chunk at each end per data shard, and the records (one probe each)
                assertThat(read).as("bytes read for a block at " + offset)
                        .isLessThanOrEqualTo(BLOCK + 2L * k * CHUNK + (long) (k + m) * MetaQuorum.RECORD_PROBE);
            }
        }
        for (FaultyEndpoint e : endpoints) {
            assertThat(e.largestGet.get()).as("the largest single read (below G1's humongous size)")
                    .isLessThanOrEqualTo(3L * CHUNK);
        }
    }
}
