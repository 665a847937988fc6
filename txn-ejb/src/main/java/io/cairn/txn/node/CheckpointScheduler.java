package io.cairn.txn.node;

import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.record.CommitRecord;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the active TN's checkpoints on a thread of their own, one at a time, so that writing to
 * object storage never holds up the TN's driver (log tail, lease renewal) or its commits. While
 * active, the driver notes every commit it reads and, on each tick, lets a finished checkpoint go
 * and starts the next when one is due; a checkpoint gets an immutable {@link CheckpointCut} and
 * shares nothing else with the driver. A failed checkpoint gives its cut back to the next one.
 *
 * <p>A standby notes nothing. On the first tick after a takeover the TN starts noting, and its
 * checkpoint thread first reads back from the log what its predecessor committed after the latest
 * manifest ({@link UncheckpointedLog}); the next checkpoint waits for that, commits do not.
 * (Standbys used to note every commit too, and looked up the latest manifest to forget what it covered:
 * on each standby's server a second sorted copy of every change not yet checkpointed, beside its compute
 * node's, and a large share of its CPU during bulk loads.)
 *
 * <p>Threads: every method but {@link #pendingBytes()} and {@link #pendingKeys()} runs on the TN's
 * driver thread; {@link CheckpointWriter} and {@link UncheckpointedLog} run on the checkpoint thread.
 */
final class CheckpointScheduler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CheckpointScheduler.class.getName());

    private final CheckpointWriter writer;
    private final UncheckpointedLog earlier;
    private final CheckpointSettings settings;
    private final Ticker ticker;
    private final ExecutorService thread;
    private PendingChanges pending = new PendingChanges();
    /** Whether commits are noted: from the first tick of an active term to the step-down. */
    private boolean noting;
    /** The lease epoch of the term noting; a cut or read-back of another term is not taken back. */
    private long notingEpoch;
    /** The last log entry read while not noting: the changes up to it are read back from the log. */
    private long notedAfterLsn;
    /** Whether {@link #pending} holds the changes read back since noting started. */
    private boolean complete;
    private long lastSeenLsn;
    private long lastStartNanos;
    /** The cut of the checkpoint running, null while none or while changes are read back. */
    private CheckpointCut running;
    private Future<Manifest> checkpoint;
    private Future<PendingChanges> readBack;
    private long readBackEpoch;
    /** When the last read-back failed (ticker time); the next waits one checkpoint interval. */
    private Long readBackFailedNanos;
    private volatile int pendingKeys;
    /** The heap of noted changes and of the cut being written. */
    private volatile long pendingBytes;

    CheckpointScheduler(CheckpointWriter writer, UncheckpointedLog earlier, CheckpointSettings settings, Ticker ticker,
            String name) {
        this.writer = writer;
        this.earlier = earlier;
        this.settings = settings;
        this.ticker = ticker;
        this.lastStartNanos = ticker.nanoTime();
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cairn-tn-checkpoint-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Notes a commit read from the log at {@code lsn} (while active). */
    void onCommit(long lsn, CommitRecord record) {
        lastSeenLsn = Math.max(lastSeenLsn, lsn);
        if (noting && lsn > notedAfterLsn) { // the follower reads the log again from its start after a step-down
            pending.onCommit(lsn, record);
            pendingKeys = pending.size();
            updateBytes();
        }
    }

    private void updateBytes() {
        CheckpointCut cut = running;
        pendingBytes = pending.bytes() + (cut == null ? 0 : cut.bytes());
    }

    /**
     * About the heap that changes not yet in a checkpoint take: those noted and those being written
     * (any thread; the TN slows commits while it passes twice the budget). 0 while standby.
     */
    long pendingBytes() {
        return pendingBytes;
    }

    /** Keys changed and not yet in a checkpoint as far as this TN knows (any thread; for monitoring). 0 while standby. */
    int pendingKeys() {
        return pendingKeys;
    }

    /**
     * Starts noting commits on the first call of a term (and reading back what came before); lets a finished job
     * go and starts a checkpoint under {@code epoch} when due. Call while active.
     */
    void tick(long epoch) {
        if (!noting || epoch != notingEpoch) {
            noting = true;
            notingEpoch = epoch;
            notedAfterLsn = lastSeenLsn;
            complete = false;
            readBackFailedNanos = null;
            pending = new PendingChanges();
        }
        if (!settle()) {
            return;
        }
        if (!complete) {
            if (readBackFailedNanos != null && ticker.nanoTime() - readBackFailedNanos < settings.interval().toNanos()) {
                return;
            }
            long upTo = notedAfterLsn;
            readBackEpoch = epoch;
            readBack = thread.submit(() -> earlier.changesUpTo(upTo));
            return;
        }
        if (!due()) {
            return;
        }
        CheckpointCut cut = pending.cut(epoch);
        running = cut;
        updateBytes();
        lastStartNanos = ticker.nanoTime();
        checkpoint = thread.submit(() -> writer.write(cut));
    }

    /** Stops noting and drops what was noted: the next active TN reads it back from the log. Call while standby. */
    void standBy() {
        if (noting) {
            noting = false;
            pending = new PendingChanges();
        }
        settle();
        pendingKeys = 0;
        pendingBytes = 0;
    }

    /** Whether changes wait longer or take more than the settings allow. */
    private boolean due() {
        return pending.size() > 0 && (pending.size() >= settings.maxKeys() || pending.bytes() >= settings.memtableBytes()
                || ticker.nanoTime() - lastStartNanos >= settings.interval().toNanos());
    }

    /** Lets a finished job go; whether none runs now. */
    private boolean settle() {
        if (checkpoint != null) {
            if (!checkpoint.isDone()) {
                return false;
            }
            finishCheckpoint();
        }
        if (readBack != null) {
            if (!readBack.isDone()) {
                return false;
            }
            finishReadBack();
        }
        return true;
    }

    private void finishCheckpoint() {
        try {
            Manifest latest = checkpoint.get();
            if (takesBack(running) && latest != null) {
                pending.forgetCoveredBy(latest.lsn());
            }
        } catch (ExecutionException e) {
            if (takesBack(running)) {
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
            if (takesBack(running)) {
                pending.restore(running);
            }
        } finally {
            checkpoint = null;
            running = null;
            pendingKeys = pending.size();
            updateBytes();
        }
    }

    /** Whether a cut's changes belong to the term noting now (a failed one's go into its next checkpoint). */
    private boolean takesBack(CheckpointCut cut) {
        return noting && cut.epoch() == notingEpoch;
    }

    private void finishReadBack() {
        try {
            PendingChanges before = readBack.get();
            if (noting && readBackEpoch == notingEpoch) {
                pending.restore(before.cut(notingEpoch));
                complete = true;
                readBackFailedNanos = null;
            }
        } catch (ExecutionException e) {
            readBackFailedNanos = ticker.nanoTime();
            LOG.log(Level.WARNING, "CAIRN0141W: reading back the changes after the latest checkpoint up to LSN "
                    + notedAfterLsn + " failed; checkpoints wait until it is read again, in "
                    + settings.interval().toSeconds() + " s: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            readBack = null;
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
