package io.cairn.storage.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.storage.CorruptObjectException;
import java.io.IOException;
import java.io.InputStream;
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
 * Gets read each data shard with (whole-object gets) or right after (ranged gets) its endpoint's own metadata
 * record, before the quorum is known. Those prefetched bytes must be used only when the record belongs to the
 * winning write and the chunks pass their checksums; otherwise the read falls back to fetching or decoding,
 * and the bytes are still right.
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

    private byte[] streamed(String key) throws IOException {
        try (InputStream in = store.open(key)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aStaleRecordOnADataShardsEndpointIsNotTrustedForItsData() throws IOException {
        String key = "stale/obj";
        store.put(key, data);
        DirEndpoint ep = endpointOfShard(key, 0);
        ShardMeta current = ShardMeta.decode(Files.readAllBytes(ep.file(ShardNames.shard(key))));
        // Another write of the same layout and checksums, with garbage data of the right length.
        ShardMeta stale = new ShardMeta(UUID.randomUUID(), current.createdMillis() + 1, current.size(),
                current.objectCrc(), K, M, current.chunkSize(), 0, current.chunkCrcs());
        byte[] object = new byte[stale.encodedLength() + (int) current.shardLength()];
        Arrays.fill(object, (byte) 0x33);
        stale.encodeInto(object);
        ep.put(ShardNames.shard(key), object);

        assertThat(store.get(key)).isEqualTo(data);
        assertThat(store.get(key, 10, 70_000)).isEqualTo(Arrays.copyOfRange(data, 10, 70_010));
        assertThat(streamed(key)).isEqualTo(data);
    }

    @Test
    void aCorruptPrefetchedChunkIsDecodedAround() throws IOException {
        String key = "rot/obj";
        store.put(key, data);
        DirEndpoint ep = endpointOfShard(key, 1);
        Path file = ep.file(ShardNames.shard(key));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5A; // in the shard's bytes, well past the record
        Files.write(file, bytes);

        assertThat(store.get(key)).isEqualTo(data);
        assertThat(store.get(key, data.length - 100_000, 100_000))
                .isEqualTo(Arrays.copyOfRange(data, data.length - 100_000, data.length));
        assertThat(streamed(key)).isEqualTo(data);
    }

    @Test
    void aStreamOfAnObjectWithoutParityRefusesACorruptChunk() throws IOException {
        ErasureCodedStore single = TestStores.dirs(root.resolve("single"), 1, 0);
        try {
            single.put("rot/one", data);
            DirEndpoint ep = (DirEndpoint) single.endpoints().get(0);
            Path file = ep.file(ShardNames.shard("rot/one"));
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length - 10] ^= 0x5A;
            Files.write(file, bytes);

            try (InputStream in = single.open("rot/one")) {
                assertThatThrownBy(in::readAllBytes).isInstanceOf(CorruptObjectException.class);
            }
        } finally {
            single.close();
        }
    }

    @Test
    void aCorruptRecordMakesItsShardUntrustedAndIsRepairedByHeal() throws IOException {
        String key = "rec/obj";
        store.put(key, data);
        DirEndpoint ep = endpointOfShard(key, 2);
        Path file = ep.file(ShardNames.shard(key));
        byte[] good = Files.readAllBytes(file);
        byte[] bad = good.clone();
        bad[30] ^= 0x01; // inside the record: its own CRC fails
        Files.write(file, bad);

        assertThat(store.get(key)).isEqualTo(data);
        assertThat(store.get(key, 200_000, 100_000)).isEqualTo(Arrays.copyOfRange(data, 200_000, 300_000));
        assertThat(store.heal(key).repairs()).singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo(io.cairn.storage.HealReport.Reason.CORRUPT));
        assertThat(Files.readAllBytes(file)).isEqualTo(good);
    }

    @Test
    void aMissingDataShardIsDecodedAndARangeBeyondTheEndIsRefused() throws IOException {
        String key = "gone/obj";
        store.put(key, data);
        DirEndpoint ep = endpointOfShard(key, 3);
        Files.delete(ep.file(ShardNames.shard(key)));

        assertThat(store.get(key)).isEqualTo(data);
        assertThat(streamed(key)).isEqualTo(data);
        assertThatThrownBy(() -> store.get(key, data.length - 5, 6))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
