package io.cairn.txn.node;

import io.cairn.log.Lease;
import io.cairn.log.LogBatch;
import io.cairn.log.LogEntry;
import io.cairn.log.LogService;
import io.cairn.log.LogTruncatedException;
import io.cairn.txn.record.CommitRecord;

/**
 * Follows the log on the driver thread: applies the commits it reads to the {@link CommitHistory} (and
 * notes them for checkpoints), and the leases to the {@link LeaseView}. Active or standby alike, so that a
 * standby's history holds every commit of the active TN when it takes over.
 *
 * <p>Locking: the history is changed under the node's lock ({@link NodeState}'s monitor); the log is read
 * without it. The read position belongs to the driver.
 */
final class LogFollower {
    private static final int READ_BYTES = 4 << 20;

    private final LogService log;
    private final Ticker ticker;
    private final NodeState node;
    private final CommitHistory history;
    private final LeaseView leases;
    private final CheckpointHooks checkpoints;
    private long nextLsn = 1;

    LogFollower(LogService log, Ticker ticker, NodeState node, CommitHistory history, LeaseView leases,
            CheckpointHooks checkpoints) {
        this.log = log;
        this.ticker = ticker;
        this.node = node;
        this.history = history;
        this.leases = leases;
        this.checkpoints = checkpoints;
    }

    /** Starts over from the log's start with an empty history (after stepping down). Caller holds the node's lock. */
    void rebuild() {
        history.reset();
        nextLsn = 1;
    }

    /**
     * Applies visible log entries up to {@code untilLsn} (or all available) to the window, ids and lease
     * view. Of the leases read, the newest counts, once: renewals read together arrived together.
     */
    void follow(long untilLsn) {
        follow(untilLsn, Long.MAX_VALUE);
    }

    /**
     * The same, but returns once {@code budgetNanos} have passed after a batch read: while writers append as
     * fast as this thread applies, the log has no end to catch up with, and the driver must still renew the
     * lease and start checkpoints between batches.
     *
     * @return whether it read everything visible up to {@code untilLsn}
     */
    boolean follow(long untilLsn, long budgetNanos) {
        long started = ticker.nanoTime();
        Lease newest = null;
        try {
            while (nextLsn <= untilLsn) {
                if (ticker.nanoTime() - started > budgetNanos) {
                    return false;
                }
                LogBatch batch;
                try {
                    batch = log.read(nextLsn, READ_BYTES);
                } catch (LogTruncatedException e) {
                    synchronized (node) {
                        history.logStartTruncated();
                    }
                    nextLsn = e.firstAvailableLsn();
                    continue;
                }
                for (LogEntry entry : batch.entries()) {
                    if (entry.kind() == LogEntry.Kind.LEASE) {
                        newest = new Lease(entry.epoch(), entry.holder(), entry.lsn());
                    } else {
                        apply(entry);
                    }
                }
                if (batch.nextLsn() <= nextLsn) {
                    return true;
                }
                nextLsn = batch.nextLsn();
            }
            return true;
        } finally {
            if (newest != null) {
                leases.observe(newest);
            }
        }
    }

    private void apply(LogEntry entry) {
        synchronized (node) {
            for (byte[] bytes : entry.records()) {
                if (!CommitRecord.isCommitRecord(bytes)) {
                    continue;
                }
                CommitRecord record = CommitRecord.decodeShared(bytes);
                history.apply(record, entry.lsn());
                checkpoints.onCommit(entry.lsn(), record);
            }
        }
    }
}
