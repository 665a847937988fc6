package io.cairn.txn.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.storage.testing.S3Endpoints;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AbstractBackupTest}'s cases with an S3 target on a real S3 server (an in-process S3Proxy): each test under a
 * prefix of its own in one bucket; a damaged object is overwritten through S3. Plus what only S3 does: multipart
 * uploads of files larger than a part, and a failed writer leaving no object.
 */
class S3BackupIT extends AbstractBackupTest {
    private static final String BUCKET = "backups";
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static S3Endpoints s3;
    @TempDir
    static Path keys;
    private static String credentialsFile;

    @BeforeAll
    static void startS3() throws IOException {
        s3 = S3Endpoints.builder().count(1).build();
        Path file = keys.resolve("s3.properties");
        Files.writeString(file, "access-key=" + S3Endpoints.ACCESS_KEY + "\nsecret-key=" + S3Endpoints.SECRET_KEY + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        credentialsFile = file.toString();
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Override
    protected String newTarget() {
        return "s3+" + s3.url(0) + "/" + BUCKET + "/cairn/test-" + PREFIXES.incrementAndGet();
    }

    @Override
    protected String credentials() {
        return credentialsFile;
    }

    private BackupTarget openTarget() {
        return BackupTargets.open(newTarget(), credentialsFile, true);
    }

    /** Writes {@code bytes} pseudo-random bytes in 1 MiB writes; returns their SHA-256. */
    private static String writeRandom(OutputStream out, long bytes) throws IOException {
        MessageDigest digest = Checksums.newSha256();
        DigestOutputStream digesting = new DigestOutputStream(out, digest);
        Random random = new Random(42);
        byte[] chunk = new byte[1 << 20];
        for (long left = bytes; left > 0; left -= chunk.length) {
            random.nextBytes(chunk);
            digesting.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
        digesting.flush();
        return HexFormat.of().formatHex(digest.digest());
    }

    @Test
    void aFileLargerThanAPartIsUploadedInPartsAndReadsBackWhole() throws Exception {
        long bytes = 2L * S3Target.PART_BYTES + (3 << 20);
        try (BackupTarget target = openTarget()) {
            String[] sha256 = new String[1];
            assertThat(target.write("objects/big", out -> sha256[0] = writeRandom(out, bytes))).isEqualTo(bytes);
            assertThat(target.size("objects/big")).isEqualTo(bytes);
            try (InputStream in = target.read("objects/big")) {
                assertThat(Checksums.sha256(in)).isEqualTo(sha256[0]);
            }
            assertThat(target.readAsFile("objects/big", Files::size)).isEqualTo(bytes);
            assertThat(target.list("objects/")).containsExactly("objects/big");
        }
    }

    @Test
    void aWriterThatFailsLeavesNoObjectOrTheFormerOne() throws Exception {
        try (BackupTarget target = openTarget()) {
            for (long before : new long[] {10, S3Target.PART_BYTES + 10L}) { // one PUT; a multipart upload
                String name = "sets/x/f" + before;
                assertThatThrownBy(() -> target.write(name, out -> {
                    writeRandom(out, before);
                    throw new IOException("the writer failed");
                })).hasMessage("the writer failed");
                assertThatThrownBy(() -> target.size(name)).isInstanceOf(NoSuchFileException.class);
            }
            target.write("sets/x/g", out -> out.write(new byte[] {1, 2, 3}));
            assertThatThrownBy(() -> target.write("sets/x/g", out -> {
                writeRandom(out, S3Target.PART_BYTES + 1L);
                throw new IOException("the writer failed");
            })).hasMessage("the writer failed");
            try (InputStream in = target.read("sets/x/g")) {
                assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
            }
            assertThat(target.list("sets/")).containsExactly("sets/x/g");
            target.delete("sets/x/g");
            target.delete("sets/x/g");
            assertThat(target.list("sets/")).isEmpty();
        }
    }

    @Test
    void anEmptyPrefixHoldsNoBackupsAndWrongKeysAreRefused() throws Exception {
        assertThatThrownBy(() -> BackupRepository.existing(newTarget(), credentialsFile))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no backups");
        Path wrong = keys.resolve("wrong.properties");
        Files.writeString(wrong, "access-key=" + S3Endpoints.ACCESS_KEY + "\nsecret-key=not-the-secret\n");
        Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
        try (BackupTarget target = BackupTargets.open(newTarget(), wrong.toString(), true)) {
            assertThatThrownBy(() -> target.write("objects/a", out -> out.write(1)))
                    .isInstanceOf(IOException.class).hasMessageNotContaining("not-the-secret");
        }
    }
}
