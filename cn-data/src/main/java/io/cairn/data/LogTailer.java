package io.cairn.data;

import io.cairn.log.LogBatch;
import io.cairn.log.LogEntry;
import io.cairn.log.LogException;
import io.cairn.log.LogService;
import io.cairn.txn.record.CommitRecord;
import io.cairn.txn.record.TnLease;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Follows the shared log and applies every commit record, in log order, to the {@link MvccStore}.
 * After each entry it publishes the applied LSN and the highest applied commit timestamp; since
 * the TN's log order is timestamp order, every commit at or below that timestamp is in the store.
 *
 * <p>One thread of its own. Log errors are retried with the next poll. A log truncated past this
 * CN (it fell behind a checkpoint) makes it start over from the latest checkpoint; newer checkpoints
 * offered by the {@link CheckpointFollower} replace the store's older versions. Either way the new
 * store serves the snapshots from its checkpoint on, the one it replaced the older ones.
 */
final class LogTailer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LogTailer.class.getName());
    private static final int READ_BYTES = 4 << 20;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration PRUNE_EVERY = Duration.ofSeconds(1);

    /** Where a tailer starts: a store already holding everything before {@code fromLsn}. */
    record Start(MvccStore store, long fromLsn, long appliedTs) {
    }

    private final LogService log;
    private final java.util.function.Supplier<Start> recovery;
    private volatile MvccStore store;
    private final Thread thread;
    private final Object progress = new Object();
    private volatile long nextLsn;
    private volatile long appliedTs;
    private volatile String failure;
    private volatile ActiveTransactionNode activeTn;
    private volatile boolean closed;
    /** The oldest snapshot still read; versions only older snapshots could see are pruned. */
    private final java.util.function.LongSupplier horizon;
    private long lastPruneNanos = System.nanoTime();
    /** Newer checkpoints to move onto, or null when checkpoints are off. */
    private final CheckpointFollower follower;

    /**
     * @param recovery gives a fresh start from the latest checkpoint; called first, and again when
     *                 the log has been truncated past this tailer
     * @param follower offers newer checkpoints to move onto; null when checkpoints are off
     */
    LogTailer(LogService log, java.util.function.Supplier<Start> recovery, java.util.function.LongSupplier horizon,
            CheckpointFollower follower, String name) {
        this.log = log;
        this.recovery = recovery;
        this.horizon = horizon;
        this.follower = follower;
        Start start = recovery.get();
        this.store = start.store();
        this.nextLsn = start.fromLsn();
        this.appliedTs = start.appliedTs();
        this.thread = new Thread(this::run, "cairn-cn-tailer-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The store the tailer applies to; replaced when it restarts from a checkpoint. */
    MvccStore store() {
        return store;
    }

    /** Every entry with an LSN below this has been applied. */
    long nextLsn() {
        return nextLsn;
    }

    /** The highest commit timestamp applied; every commit at or below it is visible in the store. */
    long appliedTs() {
        return appliedTs;
    }

    /** The lease holder last read from the log, or null before any lease. */
    ActiveTransactionNode activeTransactionNode() {
        return activeTn;
    }

    /** Why the tailer stopped, or null while it runs. */
    String failure() {
        return failure;
    }

    /**
     * Waits until the entry {@code lsn} has been applied.
     *
     * @throws DataUnavailableException not applied within {@code timeout}, or the tailer failed
     */
    void awaitApplied(long lsn, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (nextLsn <= lsn) {
                if (failure != null) {
                    throw new DataUnavailableException("this compute node stopped following the log: " + failure, null);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new DataUnavailableException("this compute node has applied the log up to " + (nextLsn - 1)
                            + ", not yet " + lsn + ", after " + timeout.toMillis() + " ms", null);
                }
                try {
                    progress.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DataUnavailableException("interrupted while waiting for the log", e);
                }
            }
        }
    }

    /** At most once per {@link #PRUNE_EVERY}, on this thread (the store's only writer). */
    private void maybePrune() {
        long now = System.nanoTime();
        if (now - lastPruneNanos < PRUNE_EVERY.toNanos()) {
            return;
        }
        lastPruneNanos = now;
        long oldest = Math.min(horizon.getAsLong(), appliedTs);
        long dropped = store.prune(oldest);
        store.forgetReplacedBefore(oldest);
        if (dropped > 0) {
            LOG.fine(() -> "pruned " + dropped + " versions");
        }
    }

    /** Moves onto a newer checkpoint once the log is applied up to it (this thread is the store's writer). */
    private void maybeAdoptCheckpoint() {
        CheckpointFollower.Prepared next = follower == null ? null : follower.take(nextLsn - 1);
        if (next != null) {
            store = store.rebase(next.base(), next.manifest().maxTs());
            follower.adopted(next); // only now: whoever sees the new checkpoint in use sees the new store
            LOG.fine(() -> "now reading checkpoint " + next.manifest().objectKey());
        }
    }

    private void run() {
        while (!closed) {
            try {
                LogBatch batch = log.read(nextLsn, READ_BYTES);
                for (LogEntry entry : batch.entries()) {
                    apply(entry);
                }
                if (batch.nextLsn() > nextLsn) {
                    publish(batch.nextLsn());
                } else {
                    log.awaitCommitted(nextLsn - 1, POLL);
                }
                maybePrune();
                maybeAdoptCheckpoint();
            } catch (io.cairn.log.LogTruncatedException e) {
                Start start = recovery.get();
                if (start.fromLsn() < e.firstAvailableLsn()) {
                    failure = "the log was truncated before LSN " + e.firstAvailableLsn()
                            + " but the latest checkpoint covers only up to " + (start.fromLsn() - 1);
                    LOG.severe("CAIRN0201E: " + failure);
                    wakeWaiters();
                    return;
                }
                LOG.info("CAIRN0203I: the log was truncated past this node; restarting from the checkpoint at LSN "
                        + (start.fromLsn() - 1));
                MvccStore fresh = start.store();
                fresh.replace(store, start.appliedTs());
                store = fresh;
                appliedTs = Math.max(appliedTs, start.appliedTs());
                synchronized (progress) {
                    nextLsn = Math.max(nextLsn, start.fromLsn());
                    progress.notifyAll();
                }
            } catch (LogException e) {
                LOG.log(Level.FINE, "log not readable now; retrying", e);
                pause();
            } catch (RuntimeException e) {
                failure = "cannot apply the log at LSN " + nextLsn + ": " + e;
                LOG.log(Level.SEVERE, "CAIRN0202E: " + failure, e);
                wakeWaiters();
                return;
            }
        }
    }

    private void apply(LogEntry entry) {
        if (entry.kind() == LogEntry.Kind.LEASE) {
            try {
                TnLease lease = TnLease.decode(entry.records().get(0));
                activeTn = new ActiveTransactionNode(entry.holder(), entry.epoch(), lease.endpoint(),
                        lease.writesRefused());
            } catch (IllegalArgumentException e) {
                LOG.log(Level.FINE, "lease at LSN " + entry.lsn() + " is not a TN lease", e);
            }
            publish(entry.lsn() + 1);
            return;
        }
        long maxTs = appliedTs;
        for (byte[] bytes : entry.records()) {
            if (CommitRecord.isCommitRecord(bytes)) {
                CommitRecord record = CommitRecord.decodeShared(bytes);
                store.apply(record.commitTs(), record.writes());
                maxTs = Math.max(maxTs, record.commitTs());
            }
        }
        appliedTs = maxTs;
        publish(entry.lsn() + 1);
    }

    private void publish(long next) {
        synchronized (progress) {
            if (next > nextLsn) {
                nextLsn = next;
            }
            progress.notifyAll();
        }
    }

    private void wakeWaiters() {
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    private void pause() {
        synchronized (progress) {
            try {
                progress.wait(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
