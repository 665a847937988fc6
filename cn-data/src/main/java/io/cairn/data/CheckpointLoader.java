package io.cairn.data;

import io.cairn.txn.DroppedKeySpaces;
import io.cairn.txn.checkpoint.CheckpointRow;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Where a CN starts, and starts again when the log was truncated past it: a fresh
 * {@link MvccStore} over the latest checkpoint ({@link CheckpointBase}, read on demand through the
 * {@link SegmentCache}), and the LSN to follow the log from.
 *
 * <p>Every segment of the checkpoint is downloaded to the local cache while loading, because the TN
 * deletes a superseded checkpoint's objects a grace period after it was superseded, and this CN
 * reads from its checkpoint for as long as it runs. Should a load outlast the grace period and find
 * an object gone, it starts over from the newer manifest. Drop markers are loaded into memory at
 * once, so that dropped key spaces are freed as usual.
 *
 * <p>Thread-safe: the log tailer loads, the {@link CheckpointFollower} prepares newer checkpoints.
 */
final class CheckpointLoader {
    private static final Logger LOG = Logger.getLogger(CheckpointLoader.class.getName());
    private static final int ATTEMPTS = 3;

    private final CheckpointStore checkpoints;
    private final SegmentCache cache;
    /** The segments of the checkpoint the CN reads now; their files stay while a newer one is prepared. */
    private Set<String> inUse = Set.of();
    private volatile String manifestInUse;

    /**
     * @param checkpoints where the TN writes checkpoints, or null when they are off
     * @param cache       the segment cache over {@code checkpoints} (null when they are off)
     */
    CheckpointLoader(CheckpointStore checkpoints, SegmentCache cache) {
        this.checkpoints = checkpoints;
        this.cache = cache;
    }

    /** The object key of the manifest the CN reads now, null before any checkpoint. */
    String manifestInUse() {
        return manifestInUse;
    }

    /** The latest manifest in storage, or null. */
    Manifest latest() {
        return checkpoints.latestManifest().orElse(null);
    }

    /** A store over the latest checkpoint, and the LSN to follow the log from. */
    synchronized LogTailer.Start load() {
        Optional<Manifest> latest = checkpoints == null ? Optional.empty() : checkpoints.latestManifest();
        for (int attempt = 1;; attempt++) {
            if (latest.isEmpty()) {
                return new LogTailer.Start(new MvccStore(), 1, 0);
            }
            Manifest manifest = latest.get();
            try {
                return load(manifest);
            } catch (RuntimeException e) {
                Optional<Manifest> now = checkpoints.latestManifest();
                if (attempt == ATTEMPTS || now.isEmpty() || now.get().objectKey().equals(manifest.objectKey())) {
                    throw e;
                }
                LOG.info(() -> "CAIRN0204I: checkpoint " + manifest.objectKey() + " was superseded while loading ("
                        + e.getMessage() + "); loading " + now.get().objectKey());
                latest = now;
            }
        }
    }

    private LogTailer.Start load(Manifest manifest) {
        MvccStore store = new MvccStore(prepare(manifest));
        adopted(manifest);
        for (Manifest.Segment segment : manifest.segments()) {
            if (segment.tableId() == DroppedKeySpaces.MARKERS) {
                DecodedSegment markers = cache.get(segment.objectKey());
                for (int i = 0; i < markers.size(); i++) {
                    CheckpointRow row = markers.row(i);
                    store.load(segment.tableId(), row.key(), row.ts(), row.value());
                }
            }
        }
        return new LogTailer.Start(store, manifest.lsn() + 1, manifest.maxTs());
    }

    /**
     * Downloads every segment of {@code manifest} and gives the checkpoint as a read layer. Files of
     * checkpoints older than the one in use are removed (their stores serve only snapshots that
     * outlived two checkpoints; those read on, downloading again while the TN keeps the objects).
     */
    synchronized CheckpointBase prepare(Manifest manifest) {
        Set<String> kept = new HashSet<>(inUse);
        for (Manifest.Segment segment : manifest.segments()) {
            cache.download(segment.objectKey());
            kept.add(segment.objectKey());
        }
        cache.retainOnly(kept);
        return new CheckpointBase(manifest, cache);
    }

    /** Notes that the CN now reads {@code manifest}. */
    synchronized void adopted(Manifest manifest) {
        Set<String> keys = new HashSet<>();
        manifest.segments().forEach(segment -> keys.add(segment.objectKey()));
        inUse = keys;
        manifestInUse = manifest.objectKey();
    }
}
