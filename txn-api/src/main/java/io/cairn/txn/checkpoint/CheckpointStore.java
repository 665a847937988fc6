package io.cairn.txn.checkpoint;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Where checkpoints live: the object storage, seen through the four calls checkpoints need. Kept
 * apart from the storage connector's own contract so that library code (the CN's data layer) does
 * not depend on the resource adapter's classes; the EJB modules adapt the connector to it.
 *
 * <p>Objects are write-once and atomically visible (the storage contract). Errors are unchecked.
 */
public interface CheckpointStore {
    void put(String key, byte[] bytes);

    byte[] get(String key);

    /**
     * {@code length} bytes of the object from {@code offset}: a block of a segment. The storage
     * connector reads only the stripes that cover the range; this default reads the whole object.
     */
    default byte[] get(String key, long offset, int length) {
        byte[] all = get(key);
        if (offset < 0 || length < 0 || offset + length > all.length) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside " + key + " of " + all.length
                    + " bytes");
        }
        return Arrays.copyOfRange(all, (int) offset, (int) offset + length);
    }

    /**
     * Copies the whole object into {@code out} (a backup) and returns the CRC32C of its bytes. The storage connector
     * checks the object as it reads it (CRC32C), and copies an object kept whole in one local file in the kernel; this
     * default reads it whole. When the object turns out damaged or gone, its unchecked error may leave part of it in
     * {@code out}: the caller discards what it wrote.
     *
     * @throws IOException writing to {@code out} failed
     */
    default int copyTo(String key, WritableByteChannel out) throws IOException {
        byte[] bytes = get(key);
        ByteBuffer all = ByteBuffer.wrap(bytes);
        while (all.hasRemaining()) {
            out.write(all);
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    /**
     * Stores the file's bytes under {@code key} (a segment written to local disk, so that nobody holds
     * it in memory). The storage connector streams it; this default reads it whole.
     */
    default void put(String key, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            put(key, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Stores exactly {@code length} bytes read from {@code in} under {@code key} (a restore streaming a segment from
     * a backup while it checks it); the stream is not closed. A stream that fails or ends early fails the put (an
     * unchecked error, as every error here) and stores nothing. The storage connector streams the bytes; this
     * default reads them whole.
     */
    default void put(String key, InputStream in, long length) {
        try {
            byte[] bytes = in.readNBytes(Math.toIntExact(length));
            if (bytes.length < length) {
                throw new EOFException(key + ": the stream ended after " + bytes.length + " of " + length + " bytes");
            }
            put(key, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        }
    }

    /** The keys under {@code prefix}, in no particular order. */
    List<String> list(String prefix);

    /**
     * Removes an object; removing an absent one is not an error. The TN's checkpoint garbage
     * collection calls it for objects no checkpoint a CN may start from refers to.
     */
    void delete(String key);

    /** The manifest with the highest (epoch, sequence number), if any checkpoint was taken. */
    default Optional<Manifest> latestManifest() {
        return latestManifestKey().map(key -> Manifest.decode(get(key)));
    }

    /** The object key of the manifest {@link #latestManifest} reads: a listing only, for a caller that polls. */
    default Optional<String> latestManifestKey() {
        return list(Manifest.PREFIX).stream().max(String::compareTo);
    }
}
