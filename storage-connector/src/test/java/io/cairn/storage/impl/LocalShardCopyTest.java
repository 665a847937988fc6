package io.cairn.storage.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.storage.CorruptObjectException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ErasureCodedStore#copyTo} of objects in one local folder (1+0): the kernel copy gives the object's bytes into
 * a file, and a damaged shard is never copied as it is.
 */
class LocalShardCopyTest {
    @TempDir
    Path root;
    private final byte[] data = new byte[(3 << 20) + 12_345];
    private int crc;

    @BeforeEach
    void data() {
        new Random(11).nextBytes(data);
        CRC32C c = new CRC32C();
        c.update(data);
        crc = (int) c.getValue();
    }

    private byte[] copied(ErasureCodedStore store, String key) throws IOException {
        Path file = Files.createTempFile(root, "copy", ".bin");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            assertThat(store.copyTo(key, out)).isEqualTo(crc);
        }
        return Files.readAllBytes(file);
    }

    private static Path shardFile(ErasureCodedStore store, String key) {
        return ((DirEndpoint) store.endpoints().get(0)).file(ShardNames.shard(key));
    }

    private static void flipByte(Path file, long fromEnd) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) (bytes.length - fromEnd)] ^= 0x5A;
        Files.write(file, bytes);
    }

    @Test
    void aSingleFolderCopiesIntoAFile() throws IOException {
        try (ErasureCodedStore store = TestStores.dirs(root.resolve("one"), 1, 0)) {
            store.put("seg/a", data);
            assertThat(copied(store, "seg/a")).isEqualTo(data);
        }
    }

    @Test
    void aDamagedShardWithoutParityIsRefused() throws IOException {
        try (ErasureCodedStore store = TestStores.dirs(root.resolve("one"), 1, 0)) {
            store.put("seg/rot", data);
            flipByte(shardFile(store, "seg/rot"), 100);
            assertThatThrownBy(() -> copied(store, "seg/rot")).isInstanceOf(CorruptObjectException.class);
        }
    }
}
