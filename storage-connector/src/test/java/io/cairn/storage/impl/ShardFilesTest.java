package io.cairn.storage.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ShardFilesTest {
    private static final int K = 4;
    private static final int M = 2;

    /** Sizes around stripe edges: one short stripe, exactly one, one and a bit, a last stripe not all shards reach. */
    @Test
    void theFilesHoldExactlyTheShardObjectsCodingInMemoryGives() throws Exception {
        int chunk = 64 * 1024 / K;
        for (int size : new int[] {1, 1000, K * chunk, K * chunk + 1, 3 * K * chunk + chunk + 7, 1 << 20}) {
            byte[] data = new byte[size];
            new Random(size).nextBytes(data);
            UUID writeId = UUID.randomUUID();
            ShardWriter.Encoded inMemory = ShardWriter.encode(new ReedSolomon(K, M), K, M, chunk, data, writeId, 1234);
            try (ShardFiles files = ShardFiles.write(new ReedSolomon(K, M), K, M, inMemory.meta().chunkSize(),
                    new ByteArrayInputStream(data), size, writeId, 1234)) {
                assertThat(files.meta().objectCrc()).isEqualTo(inMemory.meta().objectCrc());
                for (int shard = 0; shard < K + M; shard++) {
                    assertThat(Files.readAllBytes(files.file(shard))).as("size %d shard %d", size, shard)
                            .isEqualTo(inMemory.objects()[shard]);
                }
            }
        }
    }

    @Test
    void anInputThatEndsEarlyLeavesNoFiles() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = countShardFiles(tmp);
        assertThatThrownBy(() -> ShardFiles.write(new ReedSolomon(K, M), K, M, 16 * 1024,
                new ByteArrayInputStream(new byte[100_000]), 100_001, UUID.randomUUID(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stream ended after 100000 of 100001");
        assertThat(countShardFiles(tmp)).isLessThanOrEqualTo(before);
    }

    @Test
    void closingDeletesTheFiles() throws Exception {
        ShardFiles files = ShardFiles.write(new ReedSolomon(K, M), K, M, 16 * 1024,
                new ByteArrayInputStream(new byte[50_000]), 50_000, UUID.randomUUID(), 0);
        Path first = files.file(0);
        assertThat(first).exists();
        files.close();
        for (int shard = 0; shard < K + M; shard++) {
            assertThat(files.file(shard)).doesNotExist();
        }
    }

    private static long countShardFiles(Path tmp) throws Exception {
        try (var list = Files.list(tmp)) {
            return list.filter(p -> p.getFileName().toString().startsWith("cairn-shard-")).count();
        }
    }
}
