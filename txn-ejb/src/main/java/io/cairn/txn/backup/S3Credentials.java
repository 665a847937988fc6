package io.cairn.txn.backup;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The keys of an S3 target, from a properties file on the server that uses the target (never from a command line,
 * a URL or a request):
 * <pre>
 * access-key=…
 * secret-key=…
 * region=…        (optional: us-east-1 for S3-compatible servers; Amazon S3 finds the bucket's region)
 * </pre>
 * Neither key is ever logged or shown: {@link #toString()} names the file only.
 */
public final class S3Credentials {
    private static final Logger LOG = Logger.getLogger(S3Credentials.class.getName());
    private static final int MAX_PATH = 4096;
    private static final long MAX_FILE_BYTES = 64 << 10;
    private static final int MAX_KEY = 1024;

    private final Path file;
    private final String accessKey;
    private final String secretKey;
    private final String region;

    private S3Credentials(Path file, String accessKey, String secretKey, String region) {
        this.file = file;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.region = region;
    }

    /**
     * Reads the file at the absolute {@code path}.
     *
     * @throws IllegalArgumentException no such readable file, or it lacks a key (the message names the file and
     *                                  the missing property, never a value)
     */
    public static S3Credentials load(String path) {
        if (path == null || path.isBlank() || path.length() > MAX_PATH || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an S3 target needs a credentials file: an absolute path of at most "
                    + MAX_PATH + " characters");
        }
        Path file = Path.of(path).normalize();
        if (!file.isAbsolute()) {
            throw new IllegalArgumentException("the credentials file is an absolute path, not " + path);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("the credentials file " + file + " is not a readable file");
        }
        Properties p = new Properties();
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IllegalArgumentException("the credentials file " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            }
        } catch (IOException | IllegalArgumentException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith("the credentials file")) {
                throw iae;
            }
            throw new IllegalArgumentException("cannot read the credentials file " + file + ": " + e.getClass().getSimpleName());
        }
        warnIfOthersRead(file);
        String region = p.getProperty("region", "").trim();
        return new S3Credentials(file, required(p, "access-key", file), required(p, "secret-key", file),
                region.isEmpty() ? null : region);
    }

    private static String required(Properties p, String name, Path file) {
        String v = p.getProperty(name, "").trim();
        if (v.isEmpty() || v.length() > MAX_KEY) {
            throw new IllegalArgumentException("the credentials file " + file + " needs " + name + "=… (at most "
                    + MAX_KEY + " characters)");
        }
        return v;
    }

    private static void warnIfOthersRead(Path file) {
        try {
            if (Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warning(() -> "CAIRN0127W: the S3 credentials file " + file + " is readable by every user: chmod 600 it");
            }
        } catch (IOException | UnsupportedOperationException e) { // not a POSIX file system: nothing to say
        }
    }

    String accessKey() {
        return accessKey;
    }

    String secretKey() {
        return secretKey;
    }

    /** The region the file names, or null. */
    String region() {
        return region;
    }

    /** The file, never the keys. */
    @Override
    public String toString() {
        return "S3 credentials from " + file;
    }
}
