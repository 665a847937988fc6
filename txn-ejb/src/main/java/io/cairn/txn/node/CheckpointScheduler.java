package io.cairn.txn.node;

import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.record.CommitRecord;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the active TN's checkpoints on a thread of their own, one at a time, so that writing to
 * object storage never holds up the TN's driver (log tail, lease renewal) or its commits. The
 * driver notes every commit it reads and, on each tick while active, lets a finished checkpoint
 * go and starts the next when one is due; a checkpoint gets an immutable {@link CheckpointCut} and
 * shares nothing else with the driver. A failed checkpoint gives its cut back to the next one.
 *
 * <p>A standby notes every commit too (it may have to checkpoint them after a takeover); as often
 * as the active TN checkpoints, it asks storage on the same thread for the latest manifest and
 * forgets what that covers, so its memory stays bounded by what changed since.
 *
 * <p>Threads: every method runs on the TN's driver thread; {@link CheckpointWriter} runs on the
 * checkpoint thread.
 */
final class CheckpointScheduler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CheckpointScheduler.class.getName());

    /**
     * The least time between a standby's lookups of the latest manifest. While the active TN's checkpoints
     * lag its writers, a standby's changes stay past the due thresholds after every lookup: without a gap it
     * looked up (and walked every change) back to back, a third of a core on each standby's server in a
     * bulk load.
     */
    static final Duration STANDBY_LOOKUP_GAP = Duration.ofSeconds(2);

    private final PendingChanges pending = new PendingChanges();
    private final CheckpointWriter writer;
    private final CheckpointSettings settings;
    private final Ticker ticker;
    private final ExecutorService thread;
    private long lastStartNanos;
    /** The cut of the checkpoint running, null while a standby's lookup runs. */
    private CheckpointCut running;
    private Future<Manifest> job;
    private volatile int pendingKeys;
    /** The heap of noted changes and of the cut being written. */
    private volatile long pendingBytes;

    CheckpointScheduler(CheckpointWriter writer, CheckpointSettings settings, Ticker ticker, String name) {
        this.writer = writer;
        this.settings = settings;
        this.ticker = ticker;
        this.lastStartNanos = ticker.nanoTime();
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cairn-tn-checkpoint-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Notes a commit read from the log at {@code lsn}. */
    void onCommit(long lsn, CommitRecord record) {
        pending.onCommit(lsn, record);
        pendingKeys = pending.size();
        updateBytes();
    }

    private void updateBytes() {
        CheckpointCut cut = running;
        pendingBytes = pending.bytes() + (cut == null ? 0 : cut.bytes());
    }

    /**
     * About the heap that changes not yet in a checkpoint take: those noted and those being written
     * (any thread; the TN slows commits while it passes twice the budget).
     */
    long pendingBytes() {
        return pendingBytes;
    }

    /** Keys changed and not yet in a checkpoint as far as this TN knows (any thread; for monitoring). */
    int pendingKeys() {
        return pendingKeys;
    }

    /** Lets a finished job go and starts a checkpoint under {@code epoch} when due. Call while active. */
    void tick(long epoch) {
        if (!due()) {
            return;
        }
        CheckpointCut cut = pending.cut(epoch);
        running = cut;
        updateBytes();
        lastStartNanos = ticker.nanoTime();
        job = thread.submit(() -> writer.write(cut));
    }

    /**
     * Lets a finished job go and, when a checkpoint would be due and the last lookup is at least
     * {@link #STANDBY_LOOKUP_GAP} old, looks up the latest manifest. Call while standby.
     */
    void trim() {
        if (!due() || ticker.nanoTime() - lastStartNanos < STANDBY_LOOKUP_GAP.toNanos()) {
            return;
        }
        lastStartNanos = ticker.nanoTime();
        job = thread.submit(writer::latest);
    }

    /** Whether no job runs (a finished one is let go) and changes wait longer than the settings allow. */
    private boolean due() {
        if (job != null) {
            if (!job.isDone()) {
                return false;
            }
            finish();
        }
        return pending.size() > 0 && (pending.size() >= settings.maxKeys() || pending.bytes() >= settings.memtableBytes()
                || ticker.nanoTime() - lastStartNanos >= settings.interval().toNanos());
    }

    private void finish() {
        try {
            Manifest latest = job.get();
            if (latest != null) {
                pending.forgetCoveredBy(latest.lsn());
            }
        } catch (ExecutionException e) {
            if (running != null) {
                pending.restore(running);
            }
            if (e.getCause() instanceof LeaseLostException lost) {
                LOG.info("CAIRN0109I: checkpoint abandoned: " + lost.getMessage());
            } else {
                LOG.log(Level.WARNING, "CAIRN0110W: checkpoint failed; its changes go into the next one: "
                        + e.getCause(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (running != null) {
                pending.restore(running);
            }
        } finally {
            job = null;
            running = null;
            pendingKeys = pending.size();
            updateBytes();
        }
    }

    /** Stops the checkpoint thread, interrupting a checkpoint in progress (its manifest may or may not be out). */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
