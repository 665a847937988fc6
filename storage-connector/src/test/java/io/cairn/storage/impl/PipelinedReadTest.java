package io.cairn.storage.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gets read each data shard right after its endpoint's own metadata record, before the quorum is known.
 * Those prefetched bytes must be used only when the record belongs to the winning write and the chunks pass
 * their checksums; otherwise the read falls back to fetching or decoding, and the bytes are still right.
 */
class PipelinedReadTest {
    private static final int K = 4;
    private static final int M = 2;

    @TempDir
    Path root;
    private ErasureCodedStore store;
    private final byte[] data = new byte[5 * 64 * 1024 + 777];

    @BeforeEach
    void open() throws IOException {
        store = TestStores.dirs(root, K, M);
        new Random(7).nextBytes(data);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** The directory endpoint that holds shard {@code shard} of {@code key}. */
    private DirEndpoint endpointOfShard(String key, int shard) {
        int rotation = Math.floorMod(key.hashCode(), K + M);
        return (DirEndpoint) store.endpoints().get((shard + rotation) % (K + M));
    }

    @Test
    void aStaleRecordOnADataShardsEndpointIsNotTrustedForItsData() throws IOException {
        String key = "stale/obj";
        store.put(key, data);
        DirEndpoint ep = endpointOfShard(key, 0);
        ShardMeta current = ShardMeta.decode(ep.get(ShardNames.meta(key)));
        // Another write of the same layout, with garbage data of the right length under its own write id.
        ShardMeta stale = new ShardMeta(UUID.randomUUID(), current.createdMillis() + 1, current.size(),
                current.objectCrc(), K, M, current.chunkSize(), 0, current.chunkCrcs());
        byte[] garbage = new byte[(int) current.shardLength()];
        ep.put(ShardNames.data(key, stale.writeId()), garbage);
        ep.put(ShardNames.meta(key), stale.encode());

        assertThat(store.get(key)).isEqualTo(data);
        assertThat(store.get(key, 10, 70_000)).isEqualTo(Arrays.copyOfRange(data, 10, 70_010));
    }

    @Test
    void aCorruptPrefetchedChunkIsDecodedAround() throws IOException {
        String key = "rot/obj";
        store.put(key, data);
        DirEndpoint ep = endpointOfShard(key, 1);
        ShardMeta meta = ShardMeta.decode(ep.get(ShardNames.meta(key)));
        Path file = ep.file(ShardNames.data(key, meta.writeId()));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(file, bytes);

        assertThat(store.get(key)).isEqualTo(data);
        assertThat(store.get(key, data.length - 100_000, 100_000))
                .isEqualTo(Arrays.copyOfRange(data, data.length - 100_000, data.length));
    }

    @Test
    void aMissingDataShardIsDecodedAndARangeBeyondTheEndIsRefused() throws IOException {
        String key = "gone/obj";
        store.put(key, data);
        DirEndpoint ep = endpointOfShard(key, 3);
        ShardMeta meta = ShardMeta.decode(ep.get(ShardNames.meta(key)));
        Files.delete(ep.file(ShardNames.data(key, meta.writeId())));

        assertThat(store.get(key)).isEqualTo(data);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.get(key, data.length - 5, 6))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
