package io.cairn.storage.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One independent place that holds shards: an S3/MinIO bucket or a local directory.
 *
 * <p>Names are produced by {@link ShardNames}: {@code "<namespace>/<flat name>"} with exactly one
 * {@code '/'}; the flat part never contains {@code '/'}. Implementations map them to their storage.
 *
 * <p>Contract: {@link #put} is atomic (a concurrent or later {@link #get} sees the whole new content or the
 * previous state, never a prefix) and durable when it returns; it may overwrite. A name that does not exist
 * gives {@link ShardNotFoundException}; every other failure is an {@link IOException} the caller may retry.
 * Implementations are thread-safe and bound each call with their own timeouts.
 */
public interface Endpoint extends AutoCloseable {

    /** Human-readable identity for messages and reports, e.g. {@code s3:http://127.0.0.1:9001}. */
    String name();

    void put(String name, byte[] data) throws IOException;

    /**
     * Stores the file's bytes under {@code name}, as {@link #put(String, byte[])} does; implementations send
     * them from the file without holding them in memory. The file is not changed while this runs.
     */
    default void put(String name, Path file) throws IOException {
        put(name, Files.readAllBytes(file));
    }

    /** The object's first {@code min(size, maxLength)} bytes: the whole object when it is not longer. */
    byte[] getPrefix(String name, int maxLength) throws IOException;

    /** Reads {@code length} bytes at {@code offset}; fails if the stored object is shorter. */
    byte[] get(String name, long offset, int length) throws IOException;

    /**
     * Reads {@code length} bytes at {@code offset} into {@code into} from index {@code at}, as {@link #get} does: for
     * a reader that reuses its buffers. This default copies what {@link #get} returns.
     */
    default void read(String name, long offset, byte[] into, int at, int length) throws IOException {
        System.arraycopy(get(name, offset, length), 0, into, at, length);
    }

    /**
     * The local file that holds {@code name}, for a reader that copies it in the kernel ({@link LocalShardCopy});
     * empty for an endpoint that is not a local file system. The file may be gone by the time it is opened.
     */
    default Optional<Path> localFile(String name) {
        return Optional.empty();
    }

    /** Names starting with {@code prefix} (which contains the namespace), in any order. */
    List<String> list(String prefix) throws IOException;

    /** Deletes the name; deleting a missing name succeeds. */
    void delete(String name) throws IOException;

    /** A cheap request proving the endpoint answers. */
    void ping() throws IOException;

    /** Releases clients and threads. Idempotent. */
    @Override
    void close();
}
