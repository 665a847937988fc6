package io.cairn.txn.node;

import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.record.CommitRecord;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;

/**
 * A fresh cluster's first checkpoint, made from a backed-up checkpoint and the commits a backup logged
 * after it: the core of a restore.
 *
 * <p>The result holds every commit up to a timestamp and refers to nothing of the fresh cluster's own
 * log: its LSN is 0, so that compute nodes follow the new log from its first entry, and its epoch is 0, so
 * that the new cluster's first TN (lease epoch 1) checkpoints after it. It is written through the TN's
 * own {@link CheckpointWriter}, so the restored segments are what a checkpoint of those commits would
 * have been.
 *
 * <h2>Crash safety</h2>
 * The backed-up manifest and the writer's manifest are put under their own (old) keys on the way, and
 * deleted once the final one is in place. A restore that stops half-way leaves the store non-empty, and
 * the next restore refuses to run there until the storage is wiped: it never mixes two attempts.
 */
public final class CheckpointRestore {
    /** A commit as the backed-up log held it: its LSN in that log, and its record. */
    public record LoggedCommit(long lsn, CommitRecord record) {
    }

    /** Never reached in one restore: the writer's garbage collection must delete nothing here. */
    private static final Duration NO_COLLECTION = Duration.ofDays(365);

    private CheckpointRestore() {
    }

    /**
     * Writes the restored checkpoint into {@code store}.
     *
     * @param store   a fresh cluster's object storage, holding already every segment {@code base} lists and
     *                no manifest
     * @param base    the backed-up checkpoint; null when the backup was taken before the first checkpoint
     * @param commits the commits logged after {@code base}, in log order
     * @param untilTs the last commit timestamp to restore; later commits are left out
     * @return the manifest now latest in {@code store}, empty when there was nothing to restore
     * @throws IllegalStateException {@code store} holds a checkpoint already
     * @throws IllegalArgumentException {@code untilTs} is before {@code base}'s newest commit
     */
    public static Optional<Manifest> restore(CheckpointStore store, Manifest base, Iterator<LoggedCommit> commits,
            long untilTs) {
        Optional<Manifest> existing = store.latestManifest();
        if (existing.isPresent()) {
            throw new IllegalStateException("the object storage holds checkpoint " + existing.get().objectKey()
                    + " already: a backup is restored into a fresh cluster only");
        }
        if (base != null && base.maxTs() > untilTs) {
            throw new IllegalArgumentException("the backup's checkpoint holds commits up to timestamp " + base.maxTs()
                    + ", after " + untilTs + ": restore an older backup to reach that moment");
        }
        PendingChanges changes = new PendingChanges();
        while (commits.hasNext()) {
            LoggedCommit commit = commits.next();
            if (commit.record().commitTs() <= untilTs && (base == null || commit.lsn() > base.lsn())) {
                changes.onCommit(commit.lsn(), commit.record());
            }
        }
        long epoch = base == null ? 0 : base.epoch();
        CheckpointCut cut = changes.cut(epoch);
        Manifest written = base;
        if (base != null) {
            store.put(base.objectKey(), base.encode());
        }
        if (!cut.changes().isEmpty()) {
            CheckpointSettings settings = CheckpointSettings.defaults();
            CheckpointWriter writer = new CheckpointWriter(store, lsn -> { }, e -> true, settings,
                    new CheckpointGarbage(store, Ticker.SYSTEM, NO_COLLECTION));
            written = writer.write(cut);
        }
        if (written == null) {
            return Optional.empty();
        }
        Manifest restored = new Manifest(0, written.seq() + 1, 0, written.maxTs(), written.segments());
        store.put(restored.objectKey(), restored.encode());
        store.delete(written.objectKey());
        if (base != null) {
            store.delete(base.objectKey());
        }
        return Optional.of(restored);
    }
}
