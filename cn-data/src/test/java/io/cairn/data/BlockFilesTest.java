package io.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockFilesTest {
    @TempDir
    Path dir;
    private final byte[] object = new byte[1 << 20];
    private final AtomicInteger storageReads = new AtomicInteger();

    BlockFilesTest() {
        new Random(7).nextBytes(object);
    }

    /** Object storage: the ranges of {@link #object}, counted. */
    private byte[] storage(long offset, int length) {
        storageReads.incrementAndGet();
        byte[] out = new byte[length];
        System.arraycopy(object, (int) offset, out, 0, length);
        return out;
    }

    private byte[] expected(long offset, int length) {
        byte[] out = new byte[length];
        System.arraycopy(object, (int) offset, out, 0, length);
        return out;
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void aRangeIsReadFromStorageOnceThenFromItsFile() {
        try (BlockFiles tier = new BlockFiles(dir, 8 << 20)) {
            assertThat(tier.read("seg/1", 1000, 5000, this::storage)).isEqualTo(expected(1000, 5000));
            assertThat(tier.read("seg/1", 1000, 5000, this::storage)).isEqualTo(expected(1000, 5000));
            assertThat(tier.read("seg/1", 1000, 4000, this::storage)).as("another range").isEqualTo(expected(1000, 4000));
            assertThat(storageReads).hasValue(2);
            assertThat(tier.hits()).isEqualTo(1);
            assertThat(tier.misses()).isEqualTo(2);
        }
    }

    @Test
    void aDamagedOrTornFileIsNeverReturnedButReadAgainFromStorage() throws IOException {
        try (BlockFiles tier = new BlockFiles(dir, 8 << 20)) {
            tier.read("seg/1", 0, 4096, this::storage);
            Path file = files().get(0);
            byte[] bytes = Files.readAllBytes(file);
            bytes[100] ^= 1;
            Files.write(file, bytes);
            assertThat(tier.read("seg/1", 0, 4096, this::storage)).isEqualTo(expected(0, 4096));
            assertThat(storageReads).hasValue(2);

            Files.write(files().get(0), new byte[10]); // torn
            assertThat(tier.read("seg/1", 0, 4096, this::storage)).isEqualTo(expected(0, 4096));
            assertThat(storageReads).hasValue(3);
            assertThat(tier.read("seg/1", 0, 4096, this::storage)).as("rewritten whole").isEqualTo(expected(0, 4096));
            assertThat(storageReads).hasValue(3);
        }
    }

    @Test
    void theFilesStayWithinTheirBoundAndEvictedOnesAreDeleted() throws IOException {
        long bound = 2 << 20;
        try (BlockFiles tier = new BlockFiles(dir, bound)) {
            for (int i = 0; i < 200; i++) {
                long offset = (i * 4096L) % (object.length - 64 * 1024);
                assertThat(tier.read("seg/" + i, offset, 64 * 1024, this::storage)).isEqualTo(expected(offset, 64 * 1024));
            }
            assertThat(tier.bytes()).isLessThanOrEqualTo(bound);
            long onDisk = 0;
            for (Path f : files()) {
                onDisk += Files.size(f);
            }
            assertThat(onDisk).as("bytes in the folder").isLessThanOrEqualTo(bound).isEqualTo(tier.bytes());
        }
        assertThat(files()).as("closing empties the folder").isEmpty();
    }

    @Test
    void startingEmptiesTheFolder() throws IOException {
        Files.write(dir.resolve("left-over"), new byte[100]);
        try (BlockFiles tier = new BlockFiles(dir, 8 << 20)) {
            assertThat(files()).isEmpty();
            assertThat(tier.bytes()).isZero();
        }
    }
}
