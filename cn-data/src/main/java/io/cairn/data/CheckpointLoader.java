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
 * <p>Called by the log tailer's thread (and once by its constructor).
 */
final class CheckpointLoader {
    private static final Logger LOG = Logger.getLogger(CheckpointLoader.class.getName());
    private static final int ATTEMPTS = 3;

    private final CheckpointStore checkpoints;
    private final SegmentCache cache;
    private Set<String> previous = Set.of();

    /**
     * @param checkpoints where the TN writes checkpoints, or null when they are off
     * @param cache       the segment cache over {@code checkpoints} (null when they are off)
     */
    CheckpointLoader(CheckpointStore checkpoints, SegmentCache cache) {
        this.checkpoints = checkpoints;
        this.cache = cache;
    }

    /** A store over the latest checkpoint, and the LSN to follow the log from. */
    LogTailer.Start load() {
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
        Set<String> keys = new HashSet<>();
        for (Manifest.Segment segment : manifest.segments()) {
            cache.download(segment.objectKey());
            keys.add(segment.objectKey());
        }
        // The store being replaced may still serve readers: keep its files too.
        Set<String> kept = new HashSet<>(keys);
        kept.addAll(previous);
        cache.retainOnly(kept);
        previous = keys;
        MvccStore store = new MvccStore(new CheckpointBase(manifest, cache));
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
}
