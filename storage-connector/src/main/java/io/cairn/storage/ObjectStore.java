package io.cairn.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Immutable-object storage: the place where Cairn keeps checkpoint objects and manifests.
 *
 * <h2>Keys</h2>
 * A key is a non-empty string of at most {@value #MAX_KEY_LENGTH} characters without control characters or
 * unpaired surrogates, and not {@code "."} or {@code ".."}; {@code '/'} is allowed and has no special meaning
 * other than for {@link #list(String)} prefixes. Keys are stored percent-encoded (every UTF-8 byte other than
 * ASCII letters, digits and {@code . _ ~ -} takes three characters) and the encoded form must not exceed 220
 * characters, so that it fits a file name. A bad key gives {@link IllegalArgumentException}.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li><b>Write-once.</b> A key holds at most one object; {@link #put} on a key that holds a committed object
 *       fails with {@link ObjectExistsException}. To replace an object, delete it and put again. Two writers
 *       putting the same key at the same moment is a caller error (Cairn names objects uniquely); the store
 *       then guarantees only that no reader sees a mixture of both.</li>
 *   <li><b>Atomic visibility.</b> A reader sees the whole object or nothing: before {@code put} returns
 *       normally no reader gets any of its bytes except through a complete, checksum-verified object; after it
 *       returns, every reader sees it. If {@code put} throws, the store removes what it wrote; in the narrow
 *       case where that cleanup also fails on endpoints that disappeared mid-write, the object may later
 *       become readable, and then always whole and correct.</li>
 *   <li><b>Integrity.</b> Every byte returned has been checked against checksums written with the object;
 *       damaged copies are detected and, where redundancy allows, bypassed transparently.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * {@link ObjectNotFoundException} (no committed object), {@link ObjectExistsException} (write-once
 * violation), {@link StorageUnavailableException} (too few endpoints answered; retryable),
 * {@link CorruptObjectException} (the object cannot be returned intact). Nothing else escapes except
 * {@link IllegalArgumentException} / {@link NullPointerException} for invalid arguments.
 *
 * <h2>Threading</h2>
 * Implementations are thread-safe; any number of threads may call any method concurrently. Calls block the
 * calling thread until done or failed; every call is bounded by the configured endpoint timeouts.
 */
public interface ObjectStore {

    /** Longest allowed key, in characters. */
    int MAX_KEY_LENGTH = 200;

    /**
     * Stores {@code data} under {@code key}.
     *
     * @throws ObjectExistsException if the key holds a committed object
     * @throws StorageUnavailableException if the write quorum was not reached (nothing readable was left)
     */
    void put(String key, byte[] data);

    /**
     * Stores exactly {@code length} bytes read from {@code data} under {@code key}. The stream is read to
     * {@code length} bytes but not closed.
     *
     * @throws IllegalArgumentException if the stream ends before {@code length} bytes, or length is negative or
     *                                  above the store's maximum object size
     * @throws ObjectExistsException if the key holds a committed object
     * @throws StorageUnavailableException if the write quorum was not reached
     * @throws StorageException if reading {@code data} failed (cause: the {@link java.io.IOException})
     */
    void put(String key, InputStream data, long length);

    /**
     * Returns the whole object.
     *
     * @throws ObjectNotFoundException if there is no committed object under {@code key}
     * @throws StorageUnavailableException if too few endpoints answered to read it
     * @throws CorruptObjectException if too few intact shards remain
     */
    byte[] get(String key);

    /**
     * Returns {@code length} bytes of the object starting at {@code offset}. Only the parts of the object that
     * cover the range are read.
     *
     * @throws IllegalArgumentException if {@code offset < 0}, {@code length < 0} or the range ends past the
     *                                  object's end
     * @throws ObjectNotFoundException, StorageUnavailableException, CorruptObjectException as for {@link #get(String)}
     */
    byte[] get(String key, long offset, int length);

    /**
     * Opens the whole object for reading front to back, so that a caller copying a large object holds a window of
     * it at a time, never all of it. The stream checks what it returns as {@link #get(String)} does, and its reads
     * throw the exceptions listed there (unchecked, as everywhere here); an object deleted while it is read fails
     * the read, as not found or as corrupt. The caller closes the stream. This default makes one ranged
     * {@link #get(String, long, int)} per 4 MiB.
     *
     * @throws ObjectNotFoundException if there is no committed object under {@code key}
     * @throws StorageUnavailableException if too few endpoints answered
     */
    default InputStream open(String key) {
        return new RangedInputStream(this, key, head(key).size());
    }

    /**
     * Copies the whole object into {@code out}, checked as {@link #open} checks it, and returns the CRC32C of its
     * bytes. A store that keeps the object's bytes whole and in order in one local file (one data shard in a folder)
     * checks that file's range against the object's CRC32C and copies it in the kernel, so that a backup of a local
     * store costs about what a file copy costs; this default streams {@link #open}. When the object turns out damaged
     * or gone, {@code out} may hold part of it: the caller discards it.
     *
     * @throws IOException writing to {@code out} failed
     * @throws ObjectNotFoundException, StorageUnavailableException, CorruptObjectException as for {@link #get(String)}
     */
    default int copyTo(String key, WritableByteChannel out) throws IOException {
        try (InputStream in = open(key)) {
            return copy(in, out);
        }
    }

    /**
     * Copies what {@code in} holds into {@code out} through a 256 KiB buffer and returns its CRC32C: the streamed
     * {@link #copyTo}, for implementations that open the stream themselves. {@code in} is not closed.
     */
    static int copy(InputStream in, WritableByteChannel out) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[256 << 10];
        for (int n; (n = in.read(buffer)) > 0;) {
            crc.update(buffer, 0, n);
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
        }
        return (int) crc.getValue();
    }

    /**
     * Returns the object's metadata without reading its data.
     *
     * @throws ObjectNotFoundException if there is no committed object under {@code key}
     * @throws StorageUnavailableException if too few endpoints answered
     */
    ObjectMetadata head(String key);

    /**
     * Returns the keys of committed objects starting with {@code prefix} ({@code ""} for all), sorted. Keys of
     * writes in progress are not listed.
     *
     * @throws StorageUnavailableException if too few endpoints answered
     */
    List<String> list(String prefix);

    /**
     * Deletes the object under {@code key}; idempotent: deleting a missing key returns normally. Once it
     * returns, no reader finds the object.
     *
     * @throws StorageUnavailableException if too few endpoints answered to make the object unreadable
     */
    void delete(String key);
}
