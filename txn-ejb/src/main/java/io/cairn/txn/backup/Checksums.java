package io.cairn.txn.backup;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The checksums a backup keeps of what it stores ({@link BackupSet.StoredFile}): CRC32C, the object storage's own
 * checksum of an object, which a copy from the store gets without reading the bytes into the JVM; SHA-256 in backups
 * taken before 2026-12-07, still checked. The archived log's segments keep SHA-256 (in their names: {@link LogArchive}).
 */
final class Checksums {
    private Checksums() {
    }

    /** A CRC32C as a set keeps it. */
    static String crc32c(int crc) {
        return String.format(Locale.ROOT, "%08x", crc);
    }

    /** The CRC32C of what {@code in} holds, as a set keeps it. */
    static String crc32c(InputStream in) throws IOException {
        return drained(new Summing(in, null));
    }

    /** The checksum of what {@code in} holds, of the kind {@code expected} keeps. */
    static String of(BackupSet.StoredFile expected, InputStream in) throws IOException {
        return drained(summing(expected, in));
    }

    private static String drained(Summing summing) throws IOException {
        summing.transferTo(OutputStream.nullOutputStream());
        return summing.value();
    }

    /** A stream that sums, as it is read, the kind of checksum {@code expected} keeps. */
    static Summing summing(BackupSet.StoredFile expected, InputStream in) {
        return new Summing(in, expected.crc32c() != null ? null : newSha256());
    }

    /** The problem of a file whose bytes sum to {@code actual}, or null when it is whole. */
    static String mismatch(BackupSet.StoredFile expected, String actual) {
        String want = expected.crc32c() != null ? expected.crc32c() : expected.sha256();
        return actual.equals(want) ? null
                : expected.name() + ": " + (expected.crc32c() != null ? "CRC32C " : "SHA-256 ") + actual + ", " + want
                        + " expected";
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** The hex SHA-256 of what {@code in} holds. */
    static String sha256(InputStream in) throws IOException {
        return drained(new Summing(in, newSha256()));
    }

    /** See {@link #summing}. */
    static final class Summing extends FilterInputStream {
        private final CRC32C crc = new CRC32C();
        private final MessageDigest sha256;

        private Summing(InputStream in, MessageDigest sha256) {
            super(in);
            this.sha256 = sha256;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                update(new byte[] {(byte) b}, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] into, int off, int len) throws IOException {
            int n = in.read(into, off, len);
            if (n > 0) {
                update(into, off, n);
            }
            return n;
        }

        /** Reads what is skipped, so that it is summed. */
        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(n, 1 << 16)];
            long skipped = 0;
            for (int r; skipped < n && (r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped))) > 0;) {
                skipped += r;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void update(byte[] bytes, int off, int len) {
            if (sha256 != null) {
                sha256.update(bytes, off, len);
            } else {
                crc.update(bytes, off, len);
            }
        }

        /** The checksum of what was read, as a set keeps it. */
        String value() {
            return sha256 != null ? HexFormat.of().formatHex(sha256.digest()) : crc32c((int) crc.getValue());
        }
    }
}
