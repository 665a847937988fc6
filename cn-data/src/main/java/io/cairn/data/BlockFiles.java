package io.cairn.data;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The block cache's local-disk tier: ranged reads of checkpoint objects kept as files in one folder, bounded
 * in bytes, between the heap tier ({@link BlockCache}) and object storage. Segment objects are write-once, so
 * a file never goes stale; one no longer read ages out. A file holds its bytes after a CRC-32C, written
 * to a temporary name and then moved into place: a torn or damaged file fails the check, is deleted and
 * read again from object storage, never returned.
 *
 * <p>The folder is emptied when the tier starts: the files are a cache, and this tier keeps its index
 * (what is there, least recently used first) on the heap only. Thread-safe; two threads missing the same
 * range may both read it from storage, and the second file replaces the first.
 */
final class BlockFiles implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BlockFiles.class.getName());
    private static final int HEADER = Integer.BYTES;

    /** Reads {@code length} bytes at {@code offset} of an object from object storage. */
    @FunctionalInterface
    interface Source {
        byte[] read(long offset, int length);
    }

    private final Path dir;
    /** The files present, each weighing its size; eviction deletes the file. */
    private final Cache<String, Integer> files;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /**
     * @param dir      the folder (created if missing, emptied if not)
     * @param maxBytes the bound of the files' total size
     * @throws UncheckedIOException the folder cannot be created or emptied
     */
    BlockFiles(Path dir, long maxBytes) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : (Iterable<Path>) old::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the block cache folder " + dir, e);
        }
        this.files = Caffeine.newBuilder().maximumWeight(maxBytes).executor(Runnable::run)
                .weigher((String name, Integer size) -> size)
                .removalListener((String name, Integer size, RemovalCause cause) -> {
                    if (cause != RemovalCause.REPLACED) {
                        delete(name);
                    }
                })
                .build();
    }

    /** The bytes of {@code objectKey} over {@code [offset, offset + length)}: from a file, else from {@code source}. */
    byte[] read(String objectKey, long offset, int length, Source source) {
        String name = fileName(objectKey, offset, length);
        if (files.getIfPresent(name) != null) {
            byte[] kept = readFile(name, length);
            if (kept != null) {
                hits.increment();
                return kept;
            }
            files.invalidate(name);
        }
        misses.increment();
        byte[] bytes = source.read(offset, length);
        if (bytes.length == length) {
            writeFile(name, bytes);
        }
        return bytes;
    }

    long hits() {
        return hits.sum();
    }

    long misses() {
        return misses.sum();
    }

    /** The bytes the files take now. */
    long bytes() {
        return files.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    /** The file's bytes if it is there whole and intact, else null: read straight into the array returned. */
    private byte[] readFile(String name, int length) {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        byte[] bytes = new byte[length];
        try (FileChannel in = FileChannel.open(dir.resolve(name), StandardOpenOption.READ)) {
            if (in.size() != HEADER + length) {
                return null;
            }
            ByteBuffer[] parts = {header, ByteBuffer.wrap(bytes)};
            while (parts[1].hasRemaining()) {
                if (in.read(parts) < 0) {
                    return null;
                }
            }
        } catch (NoSuchFileException e) {
            return null; // evicted meanwhile
        } catch (IOException e) {
            LOG.log(Level.WARNING, "CAIRN0230W: cannot read the cached block file " + name + "; reading object storage", e);
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        if (header.getInt(0) != (int) crc.getValue()) {
            LOG.warning("CAIRN0231W: the cached block file " + name + " is damaged (checksum); reading object storage");
            return null;
        }
        return bytes;
    }

    private void writeFile(String name, byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        ByteBuffer[] parts = {ByteBuffer.allocate(HEADER).putInt(0, (int) crc.getValue()), ByteBuffer.wrap(bytes)};
        Path tmp = dir.resolve(name + "." + Thread.currentThread().getId() + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (parts[1].hasRemaining()) {
                    out.write(parts);
                }
            }
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            files.put(name, HEADER + bytes.length);
        } catch (IOException e) {
            // a full or failing disk costs this tier, never the read
            LOG.log(Level.WARNING, "CAIRN0232W: cannot keep a block in " + dir + ": " + e.getMessage(), e);
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // already logged
            }
        }
    }

    private void delete(String name) {
        try {
            Files.deleteIfExists(dir.resolve(name));
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot delete the evicted block file " + name, e);
        }
    }

    /** A file name for one range: a hash, since object keys hold '/' and may be long. */
    private static String fileName(String objectKey, long offset, int length) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(objectKey.getBytes(StandardCharsets.UTF_8));
            sha.update(ByteBuffer.allocate(Long.BYTES + Integer.BYTES).putLong(offset).putInt(length).array());
            return HexFormat.of().formatHex(sha.digest(), 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Deletes every file. */
    @Override
    public void close() {
        files.invalidateAll();
    }
}
