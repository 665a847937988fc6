package io.cairn.txn.node;

import io.cairn.log.LogBatch;
import io.cairn.log.LogEntry;
import io.cairn.log.LogService;
import io.cairn.log.LogUnavailableException;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.record.CommitRecord;
import java.util.function.Supplier;

/**
 * Reads back from the log the changes a TN that has just taken over must checkpoint but never noted: its
 * predecessor's commits after the latest manifest, up to the entry from which it notes commits itself. The
 * log still holds them, since a checkpoint truncates it only up to the entry its manifest covers.
 *
 * <p>A standby notes no changes ({@link CheckpointScheduler}): it would keep every change not yet in a checkpoint
 * a second time on its server, beside its compute node's copy, sorted into a tree that is read only if it takes
 * over. Reading them back costs the new active TN one pass over that part of the log, on its checkpoint thread,
 * before its first checkpoint; commits do not wait for it.
 *
 * <p>Thread-safe (the log is); runs on the checkpoint thread.
 */
final class UncheckpointedLog {
    private static final int READ_BYTES = 4 << 20;

    private final LogService log;
    private final Supplier<Manifest> latestManifest;

    /** @param latestManifest the latest manifest in storage, or null when there is none */
    UncheckpointedLog(LogService log, Supplier<Manifest> latestManifest) {
        this.log = log;
        this.latestManifest = latestManifest;
    }

    /**
     * The changes of the commits after the latest manifest's entry up to {@code lastLsn}.
     *
     * @throws io.cairn.log.LogTruncatedException the log no longer starts after the latest manifest (a newer one
     *                                            was published meanwhile: read again)
     * @throws LogUnavailableException            the log could not be read up to {@code lastLsn} now
     */
    PendingChanges changesUpTo(long lastLsn) {
        Manifest latest = latestManifest.get();
        PendingChanges changes = new PendingChanges();
        long next = latest == null ? 1 : latest.lsn() + 1;
        while (next <= lastLsn) {
            LogBatch batch = log.read(next, READ_BYTES);
            if (batch.nextLsn() <= next) {
                throw new LogUnavailableException("log entry " + next + " is not readable yet here; the changes up to "
                        + lastLsn + " are read back later");
            }
            for (LogEntry entry : batch.entries()) {
                if (entry.lsn() > lastLsn) {
                    return changes;
                }
                if (entry.kind() == LogEntry.Kind.LEASE) {
                    continue;
                }
                for (byte[] bytes : entry.records()) {
                    if (CommitRecord.isCommitRecord(bytes)) {
                        // not decodeShared: its memo is for the entries the live readers share, not for old ones
                        changes.onCommit(entry.lsn(), CommitRecord.decode(bytes));
                    }
                }
            }
            next = batch.nextLsn();
        }
        return changes;
    }
}
