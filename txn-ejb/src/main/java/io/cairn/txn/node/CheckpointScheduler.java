package io.cairn.txn.node;

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
 * object storage never holds up the TN's driver (log tail, lease renewal) or its commits. The
 * driver notes every commit it reads and, on each tick while active, lets a finished checkpoint
 * go and starts the next when one is due; a checkpoint gets an immutable {@link CheckpointCut} and
 * shares nothing else with the driver. A failed checkpoint gives its cut back to the next one.
 *
 * <p>Threads: every method runs on the TN's driver thread; {@link CheckpointWriter} runs on the
 * checkpoint thread.
 */
final class CheckpointScheduler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CheckpointScheduler.class.getName());

    private final PendingChanges pending = new PendingChanges();
    private final CheckpointWriter writer;
    private final CheckpointSettings settings;
    private final Ticker ticker;
    private final ExecutorService thread;
    private long lastStartNanos;
    private CheckpointCut running;
    private Future<?> job;

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
    }

    /** Lets a finished checkpoint go and starts one under {@code epoch} when due. Call while active. */
    void tick(long epoch) {
        if (job != null) {
            if (!job.isDone()) {
                return;
            }
            finish();
        }
        boolean due = pending.size() >= settings.maxKeys()
                || ticker.nanoTime() - lastStartNanos >= settings.interval().toNanos();
        if (pending.size() == 0 || !due) {
            return;
        }
        CheckpointCut cut = pending.cut(epoch);
        running = cut;
        lastStartNanos = ticker.nanoTime();
        job = thread.submit(() -> writer.write(cut));
    }

    private void finish() {
        try {
            job.get();
        } catch (ExecutionException e) {
            pending.restore(running);
            if (e.getCause() instanceof LeaseLostException lost) {
                LOG.info("CAIRN0109I: checkpoint abandoned: " + lost.getMessage());
            } else {
                LOG.log(Level.WARNING, "CAIRN0110W: checkpoint failed; its changes go into the next one: "
                        + e.getCause(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.restore(running);
        } finally {
            job = null;
            running = null;
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
