package io.cairn.data;

import io.cairn.txn.DroppedKeySpaces;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.checkpoint.SegmentRows;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Where a CN starts, and starts again when the log was truncated past it: a fresh
 * {@link MvccStore} over the latest checkpoint ({@link CheckpointBase}, read on demand through the
 * {@link BlockCache}), and the LSN to follow the log from.
 *
 * <p>Loading reads every segment's index (a small ranged read each), which also proves the objects
 * are there: the TN deletes a superseded checkpoint's objects a grace period after it was
 * superseded. Should a load outlast the grace period and find an object gone, it starts over from the
 * newer manifest. Drop markers are loaded into memory at once, so that dropped key spaces are freed
 * as usual.
 *
 * <p>Thread-safe: the log tailer loads, the {@link CheckpointFollower} prepares newer checkpoints.
 */
final class CheckpointLoader {
    private static final Logger LOG = Logger.getLogger(CheckpointLoader.class.getName());
    private static final int ATTEMPTS = 3;

    private final CheckpointStore checkpoints;
    private final BlockCache cache;
    private volatile String manifestInUse;

    /**
     * @param checkpoints where the TN writes checkpoints, or null when they are off
     * @param cache       the block cache over {@code checkpoints} (null when they are off)
     */
    CheckpointLoader(CheckpointStore checkpoints, BlockCache cache) {
        this.checkpoints = checkpoints;
        this.cache = cache;
    }

    /** The object key of the manifest the CN reads now, null before any checkpoint. */
    String manifestInUse() {
        return manifestInUse;
    }

    /** The object key of the latest manifest in storage, or null. */
    String latestKey() {
        return checkpoints.latestManifestKey().orElse(null);
    }

    /** The manifest stored under {@code key}. */
    Manifest manifest(String key) {
        return Manifest.decode(checkpoints.get(key));
    }

    /** A store over the latest checkpoint, and the LSN to follow the log from. */
    synchronized LogTailer.Start load() {
        Optional<Manifest> latest = checkpoints == null ? Optional.empty() : checkpoints.latestManifest();
        for (int attempt = 1;; attempt++) {
            if (latest.isEmpty()) {
                return new LogTailer.Start(checkpoints == null ? new MvccStore() : MvccStore.beforeFirstCheckpoint(), 1, 0);
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
                new SegmentRows(checkpoints, segment)
                        .forEachRemaining(row -> store.load(segment.tableId(), row.key(), row.ts(), row.value()));
            }
        }
        return new LogTailer.Start(store, manifest.lsn() + 1, manifest.maxTs());
    }

    /** Reads the index of every segment of {@code manifest} and gives the checkpoint as a read layer. */
    CheckpointBase prepare(Manifest manifest) {
        manifest.segments().forEach(cache::index);
        return new CheckpointBase(manifest, cache);
    }

    /** Notes that the CN now reads {@code manifest}. */
    void adopted(Manifest manifest) {
        manifestInUse = manifest.objectKey();
    }
}
