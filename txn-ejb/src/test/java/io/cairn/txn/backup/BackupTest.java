package io.cairn.txn.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.storage.ObjectStore;
import io.cairn.storage.impl.ErasureCodedStore;
import io.cairn.storage.impl.StoreConfig;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AbstractBackupTest}'s cases with a folder as the target, and what only a folder does. */
class BackupTest extends AbstractBackupTest {
    @TempDir
    Path folder;

    @Override
    protected String newTarget() {
        return folder.resolve("target").toString();
    }

    @Override
    protected String credentials() {
        return null;
    }

    /** The embedded default store, one local folder (1+0): backups copy its segments in the kernel. */
    @Override
    protected ObjectStore checkpointObjects() {
        return ErasureCodedStore.open(StoreConfig.builder().dataShards(1).parityShards(0)
                .endpoints(List.of("dir:" + folder.resolve("storage"))).build());
    }

    /** Bit rot: a byte flipped in place, the file's name and size unchanged. */
    @Override
    protected void damage(BackupRepository repository, String name) throws IOException {
        Path file = folder.resolve("target").resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = Files.size(file) / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0xFF);
        }
    }

    @Test
    void aBackupSetReadsBackAsItWasWritten() {
        BackupSet set = new BackupSet("20261206T120000000Z", "2026-12-06T12:00:00Z", "checkpoint/manifest/x", 5, 17, 9,
                42, "2026-12-06 12:00:00.000042", List.of(new BackupSet.StoredFile("checkpoint/segments/a", 10, "0a1b2c3d", null)),
                new BackupSet.StoredFile("log-tail", 8, null, "cd".repeat(32)), 3);
        assertThat(BackupRepository.fromJson(BackupRepository.toJson(set))).isEqualTo(set);
    }

    @Test
    void aFailedWriteLeavesTheFormerFileAndNoTemporaryOne() throws Exception {
        try (BackupTarget target = BackupTargets.open(folder.resolve("t").toString(), null, true)) {
            target.write("sets/a/f", out -> out.write(new byte[] {1, 2, 3}));
            assertThatThrownBy(() -> target.write("sets/a/f", out -> {
                out.write(new byte[] {9, 9, 9, 9});
                throw new IOException("the writer failed");
            })).hasMessage("the writer failed");
            assertThat(target.read("sets/a/f").readAllBytes()).containsExactly(1, 2, 3);
            assertThat(target.list("sets/")).containsExactly("sets/a/f");
            target.delete("sets/a/f");
            assertThat(folder.resolve("t/sets/a")).as("an emptied folder goes").doesNotExist();
            assertThat(folder.resolve("t/sets")).exists();
        }
    }

    @Test
    void namesThatCouldLeaveTheTargetAreRefused() throws Exception {
        try (BackupTarget target = BackupTargets.open(folder.resolve("t").toString(), null, true)) {
            for (String name : List.of("../x", "objects/../../x", "/etc/passwd", "a//b", "a/./b", "")) {
                assertThatThrownBy(() -> target.read(name)).as(name).isInstanceOf(IllegalArgumentException.class);
            }
        }
        assertThatThrownBy(() -> BackupTargets.open("relative/folder", null, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
        assertThatThrownBy(() -> BackupTargets.open(folder.toString(), "/some/credentials", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no credentials");
        assertThatThrownBy(() -> BackupRepository.existing(folder.resolve("nothing").toString(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no backups");
    }
}
