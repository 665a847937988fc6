package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The behaviour every {@link ObjectStore} must have. Implementations supply {@link #open()}; the store is
 * shared by the tests of a class, each test working under its own key prefix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractObjectStoreContractTest {
    /** Stripe size the factories should configure, small so that tests cross many stripe boundaries. */
    protected static final int TEST_STRIPE = 64 * 1024;

    protected ObjectStore store;
    protected String p;
    private final Random random = new Random(42);

    protected abstract ObjectStore open() throws Exception;

    protected abstract void closeStore() throws Exception;

    @BeforeAll
    void openStore() throws Exception {
        store = open();
    }

    @AfterAll
    void close() throws Exception {
        closeStore();
    }

    @BeforeEach
    void prefix() {
        p = "t-" + UUID.randomUUID() + "/";
    }

    protected byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void roundTripsObjectsOfManySizes() {
        for (int size : new int[] {0, 1, 3, 4, 5, TEST_STRIPE - 1, TEST_STRIPE, TEST_STRIPE + 1, (1 << 20) + 3}) {
            byte[] data = bytes(size);
            store.put(p + size, data);
            assertThat(store.get(p + size)).as("size %d", size).isEqualTo(data);
            assertThat(store.head(p + size).size()).isEqualTo(size);
        }
    }

    @Test
    void rangedReadsAcrossChunkAndStripeBoundaries() {
        int size = 3 * TEST_STRIPE + 1001;
        byte[] data = bytes(size);
        store.put(p + "r", data);
        int chunk = TEST_STRIPE / 4;
        long[][] ranges = {{0, 1}, {0, size}, {size - 1, 1}, {chunk - 5, 10}, {TEST_STRIPE - 3, 7},
                {TEST_STRIPE, TEST_STRIPE}, {1, size - 2}, {2 * TEST_STRIPE + chunk - 1, TEST_STRIPE / 2 + 2},
                {size - 1001, 1001}, {17, 0}, {size, 0}, {3 * TEST_STRIPE + 1000, 1}};
        for (long[] r : ranges) {
            byte[] got = store.get(p + "r", r[0], (int) r[1]);
            assertThat(got).as("range %d+%d", r[0], r[1])
                    .isEqualTo(Arrays.copyOfRange(data, (int) r[0], (int) (r[0] + r[1])));
        }
        assertThatThrownBy(() -> store.get(p + "r", size - 1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get(p + "r", -1, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void objectsAreWriteOnce() {
        store.put(p + "once", bytes(10));
        assertThatThrownBy(() -> store.put(p + "once", bytes(10))).isInstanceOf(ObjectExistsException.class)
                .hasMessageContaining(p + "once");
    }

    @Test
    void missingObjectsAreNotFound() {
        assertThatThrownBy(() -> store.get(p + "nope")).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.get(p + "nope", 0, 1)).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.head(p + "nope")).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void headReportsSizeChecksumAndCreation() {
        Instant before = Instant.now().minusSeconds(5);
        byte[] data = bytes(1234);
        store.put(p + "h", data);
        ObjectMetadata md = store.head(p + "h");
        CRC32C crc = new CRC32C();
        crc.update(data);
        assertThat(md.key()).isEqualTo(p + "h");
        assertThat(md.size()).isEqualTo(1234);
        assertThat(md.checksum()).isEqualTo(String.format("crc32c:%08x", crc.getValue()));
        assertThat(md.created()).isAfter(before).isBefore(Instant.now().plusSeconds(5));
    }

    @Test
    void listsByPrefixSorted() {
        store.put(p + "b", bytes(1));
        store.put(p + "a", bytes(1));
        store.put(p + "a/b", bytes(1)); // a key and a "directory" of the same name coexist
        store.put(p + "a/c/d", bytes(1));
        store.put(p + "ab", bytes(1));
        store.put(p + "x y%z", bytes(1));
        assertThat(store.list(p)).containsExactly(p + "a", p + "a/b", p + "a/c/d", p + "ab", p + "b", p + "x y%z");
        assertThat(store.list(p + "a/")).containsExactly(p + "a/b", p + "a/c/d");
        assertThat(store.list(p + "zzz")).isEmpty();
        assertThat(store.get(p + "a/b")).hasSize(1);
    }

    @Test
    void deleteIsIdempotentAndAllowsReuseOfTheKey() {
        store.put(p + "d", bytes(100));
        store.delete(p + "d");
        assertThatThrownBy(() -> store.get(p + "d")).isInstanceOf(ObjectNotFoundException.class);
        assertThat(store.list(p)).isEmpty();
        store.delete(p + "d");
        store.delete(p + "never");
        byte[] again = bytes(50);
        store.put(p + "d", again);
        assertThat(store.get(p + "d")).isEqualTo(again);
    }

    @Test
    void putFromStream() {
        byte[] data = bytes(200_000);
        store.put(p + "s", new ByteArrayInputStream(data), data.length);
        assertThat(store.get(p + "s")).isEqualTo(data);
        assertThatThrownBy(() -> store.put(p + "short", new ByteArrayInputStream(data), data.length + 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stream ended");
        assertThatThrownBy(() -> store.get(p + "short")).isInstanceOf(ObjectNotFoundException.class);
    }

    /** A streamed object of several MiB (a checkpoint segment's case): coded through local files, not in memory. */
    @Test
    void largePutFromStreamReadsBackWholeAndByRange() {
        byte[] data = bytes((5 << 20) + 12_345);
        store.put(p + "big", new ByteArrayInputStream(data), data.length);
        assertThat(store.get(p + "big")).isEqualTo(data);
        assertThat(store.get(p + "big", 3_000_001, 70_000)).isEqualTo(Arrays.copyOfRange(data, 3_000_001, 3_070_001));
        assertThat(store.get(p + "big", data.length - 10, 10))
                .isEqualTo(Arrays.copyOfRange(data, data.length - 10, data.length));
        assertThat(store.head(p + "big").size()).isEqualTo(data.length);
        assertThatThrownBy(() -> store.put(p + "big", new ByteArrayInputStream(data), data.length))
                .isInstanceOf(ObjectExistsException.class);

        assertThatThrownBy(() -> store.put(p + "bigshort", new ByteArrayInputStream(data), data.length + 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stream ended");
        assertThatThrownBy(() -> store.get(p + "bigshort")).isInstanceOf(ObjectNotFoundException.class);
    }

    /** {@link ObjectStore#open}: the whole object front to back, across stripes and the stream's windows. */
    @Test
    void opensObjectsAsStreams() throws IOException {
        for (int size : new int[] {0, 1, TEST_STRIPE + 1, (9 << 20) + 7}) {
            byte[] data = bytes(size);
            store.put(p + size, data);
            try (InputStream in = store.open(p + size)) {
                assertThat(in.readAllBytes()).as("size %d", size).isEqualTo(data);
                assertThat(in.read()).isEqualTo(-1);
            }
        }
        assertThatThrownBy(() -> store.open(p + "nope")).isInstanceOf(ObjectNotFoundException.class);
    }

    /** {@link ObjectStore#copyTo}: the whole object into a channel, with the CRC32C of its bytes. */
    @Test
    void copiesObjectsIntoAChannel() throws IOException {
        for (int size : new int[] {0, 1, TEST_STRIPE + 1, (9 << 20) + 7}) {
            byte[] data = bytes(size);
            store.put(p + size, data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int crc = store.copyTo(p + size, Channels.newChannel(out));
            assertThat(out.toByteArray()).as("size %d", size).isEqualTo(data);
            CRC32C expected = new CRC32C();
            expected.update(data);
            assertThat(crc).isEqualTo((int) expected.getValue());
        }
        assertThatThrownBy(() -> store.copyTo(p + "nope", Channels.newChannel(new ByteArrayOutputStream())))
                .isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void rejectsInvalidArguments() {
        for (String bad : new String[] {"", ".", "..", "a\nb", "x".repeat(ObjectStore.MAX_KEY_LENGTH + 1),
                "/".repeat(100), "\uD800"}) {
            assertThatThrownBy(() -> store.put(bad, new byte[1])).as("key %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> store.put(null, new byte[1])).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.put(p + "neg", new ByteArrayInputStream(new byte[0]), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentPutsAndGetsOfDistinctKeys() throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t;
                fs.add(ex.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        byte[] d = new byte[10_000 + id * 1000 + i];
                        new Random(id * 100L + i).nextBytes(d);
                        store.put(p + id + "/" + i, d);
                        assertThat(store.get(p + id + "/" + i)).isEqualTo(d);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            ex.shutdownNow();
        }
        assertThat(store.list(p)).hasSize(20);
    }
}
