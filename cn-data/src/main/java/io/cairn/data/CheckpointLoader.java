package io.cairn.data;

import io.cairn.txn.checkpoint.CheckpointRow;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.checkpoint.TableSegment;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Loads the latest checkpoint into a fresh {@link MvccStore}: where the CN starts, and starts
 * again when the log was truncated past it. The TN deletes a superseded checkpoint's objects only
 * a grace period after it was superseded; should a load still outlast that and find an object
 * gone, it starts over from the newer manifest.
 *
 * <p>Stateless between calls; called by the log tailer's thread (and once by its constructor).
 */
final class CheckpointLoader {
    private static final Logger LOG = Logger.getLogger(CheckpointLoader.class.getName());
    private static final int ATTEMPTS = 3;

    private final CheckpointStore checkpoints;

    /** @param checkpoints where the TN writes checkpoints, or null when they are off */
    CheckpointLoader(CheckpointStore checkpoints) {
        this.checkpoints = checkpoints;
    }

    /** A store holding the latest checkpoint, and the LSN to follow the log from. */
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
        MvccStore store = new MvccStore();
        for (Manifest.Segment segment : manifest.segments()) {
            for (CheckpointRow row : TableSegment.read(checkpoints.get(segment.objectKey()))) {
                store.load(segment.tableId(), row.key(), row.ts(), row.value());
            }
        }
        return new LogTailer.Start(store, manifest.lsn() + 1, manifest.maxTs());
    }
}
