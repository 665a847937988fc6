package io.cairn.data;

import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.TableSegment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The CN's cache of checkpoint segments, two levels: the objects as downloaded, one file each in a
 * local directory, and decoded segments in memory, least recently used first out once their
 * estimated size passes the bound. Segment objects are write-once, so a cached copy never goes
 * stale; a file that no longer decodes is fetched again.
 *
 * <p>Thread-safe. A hit takes no lock (every point read of a checkpointed row passes here); loading
 * and eviction do. Recency is the time of an entry's last use, so eviction scans the entries: it is rare, a
 * hit is not. Two threads missing the same segment may both load it; one copy stays.
 */
final class SegmentCache implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SegmentCache.class.getName());

    private final CheckpointStore store;
    private final Path dir;
    private final long maxBytes;
    private final boolean temporary;
    private final Map<String, Cached> decoded = new ConcurrentHashMap<>();
    private long decodedBytes; // guarded by this

    /** A decoded segment and when it was last used. */
    private static final class Cached {
        final DecodedSegment segment;
        volatile long lastUse;

        Cached(DecodedSegment segment, long lastUse) {
            this.segment = segment;
            this.lastUse = lastUse;
        }
    }

    /**
     * @param dir      where downloaded objects are kept (created if absent)
     * @param maxBytes the bound of decoded segments in memory (a bigger segment is decoded for each use)
     */
    SegmentCache(CheckpointStore store, Path dir, long maxBytes) {
        this(store, dir, maxBytes, false);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the segment cache directory " + dir, e);
        }
    }

    private SegmentCache(CheckpointStore store, Path dir, long maxBytes, boolean temporary) {
        this.store = store;
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.temporary = temporary;
    }

    /** A cache in a new temporary directory, removed by {@link #close()}. */
    static SegmentCache temporary(CheckpointStore store, long maxBytes, String name) {
        try {
            return new SegmentCache(store, Files.createTempDirectory("cairn-cn-" + name + "-segments-"), maxBytes, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary segment cache directory", e);
        }
    }

    /** The decoded segment stored under {@code objectKey}. */
    DecodedSegment get(String objectKey) {
        Cached hit = decoded.get(objectKey);
        if (hit != null) {
            hit.lastUse = System.nanoTime();
            return hit.segment;
        }
        DecodedSegment segment = load(objectKey);
        synchronized (this) {
            if (segment.bytes() <= maxBytes && !decoded.containsKey(objectKey)) {
                decoded.put(objectKey, new Cached(segment, System.nanoTime()));
                decodedBytes += segment.bytes();
                while (decodedBytes > maxBytes) {
                    Map.Entry<String, Cached> oldest = decoded.entrySet().stream()
                            .min(Comparator.comparingLong(e -> e.getValue().lastUse)).orElseThrow();
                    decoded.remove(oldest.getKey());
                    decodedBytes -= oldest.getValue().segment.bytes();
                }
            }
        }
        return segment;
    }

    /**
     * Makes sure {@code objectKey} is on the local disk, so that reading it later does not depend on
     * object storage still holding it.
     */
    void download(String objectKey) {
        if (!Files.exists(file(objectKey))) {
            keep(objectKey, store.get(objectKey));
        }
    }

    private DecodedSegment load(String objectKey) {
        Path file = file(objectKey);
        if (Files.exists(file)) {
            try {
                return new DecodedSegment(TableSegment.read(Files.readAllBytes(file)));
            } catch (IOException | IllegalArgumentException e) {
                LOG.warning("CAIRN0205W: cached segment " + file + " is unreadable (" + e.getMessage()
                        + "); downloading it again");
            }
        }
        byte[] bytes = store.get(objectKey);
        DecodedSegment segment = new DecodedSegment(TableSegment.read(bytes));
        keep(objectKey, bytes);
        return segment;
    }

    private Path file(String objectKey) {
        return dir.resolve(URLEncoder.encode(objectKey, StandardCharsets.UTF_8));
    }

    /** Writes the file whole or not at all (temp file, atomic rename). */
    private void keep(String objectKey, byte[] bytes) {
        try {
            Path temp = Files.createTempFile(dir, "download-", ".tmp");
            Files.write(temp, bytes);
            Files.move(temp, file(objectKey), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) { // a copy in memory may still serve; the next miss downloads again
            LOG.warning("CAIRN0206W: cannot keep segment " + objectKey + " in " + dir + ": " + e.getMessage());
        }
    }

    /** Removes the downloaded files of every segment not in {@code keep} (segments of older checkpoints). */
    void retainOnly(Set<String> keep) {
        Set<Path> files = new java.util.HashSet<>();
        keep.forEach(key -> files.add(file(key)));
        try (Stream<Path> listed = Files.list(dir)) {
            for (Path file : (Iterable<Path>) listed::iterator) {
                if (!files.contains(file) && !file.getFileName().toString().startsWith("download-")) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            LOG.warning("CAIRN0207W: cannot clean the segment cache " + dir + ": " + e.getMessage());
        }
        synchronized (this) {
            for (String key : Set.copyOf(decoded.keySet())) {
                if (!keep.contains(key)) {
                    decodedBytes -= decoded.remove(key).segment.bytes();
                }
            }
        }
    }

    /** Forgets the decoded segments; a temporary cache also removes its directory. */
    @Override
    public void close() {
        synchronized (this) {
            decoded.clear();
            decodedBytes = 0;
        }
        if (temporary) {
            retainOnly(Set.of());
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                LOG.warning("CAIRN0207W: cannot remove the segment cache " + dir + ": " + e.getMessage());
            }
        }
    }
}
