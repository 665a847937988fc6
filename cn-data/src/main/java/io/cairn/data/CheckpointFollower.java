package io.cairn.data;

import io.cairn.txn.checkpoint.Manifest;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves a running CN onto each newer checkpoint the TN publishes, so that its memory holds only
 * what changed since the latest one. Its own thread looks for a newer manifest at a fixed period (a listing of
 * the manifests; the default second keeps the CN's store within about one TN checkpoint of the TN's) and
 * prepares it (reads the segments' indexes, builds the {@link CheckpointBase}); the log tailer takes it
 * once it has applied the log up to the manifest's LSN and rebases its store on it
 * ({@link MvccStore#rebase}). Storage errors only delay the move to the next look.
 *
 * <p>Thread-safe: {@link #take} runs on the tailer's thread, the rest on the follower's.
 */
final class CheckpointFollower implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CheckpointFollower.class.getName());

    /** A newer checkpoint, ready to read. */
    record Prepared(Manifest manifest, CheckpointBase base) {
    }

    private final CheckpointLoader loader;
    private final ScheduledExecutorService thread;
    private final AtomicReference<Prepared> ready = new AtomicReference<>();

    CheckpointFollower(CheckpointLoader loader, String name) {
        this.loader = loader;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-cn-checkpoints-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Looks for a newer checkpoint every {@code period}. */
    void start(Duration period) {
        thread.scheduleWithFixedDelay(this::look, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void look() {
        try {
            // a listing each look; the manifest is read only when it is newer than the one in use or waiting
            String latestKey = loader.latestKey();
            if (latestKey == null || !newer(latestKey, loader.manifestInUse())) {
                return;
            }
            Prepared waiting = ready.get();
            if (waiting != null && !newer(latestKey, waiting.manifest().objectKey())) {
                return;
            }
            Manifest latest = loader.manifest(latestKey);
            ready.set(new Prepared(latest, loader.prepare(latest)));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "cannot prepare the latest checkpoint now; looking again later", e);
        }
    }

    private static boolean newer(String key, String than) {
        return than == null || key.compareTo(than) > 0;
    }

    /**
     * The prepared checkpoint, once the log is applied up to its LSN; the caller moves onto it, then
     * reports it {@link #adopted}.
     * Tailer thread.
     */
    Prepared take(long appliedLsn) {
        Prepared next = ready.get();
        if (next == null || next.manifest().lsn() > appliedLsn || !ready.compareAndSet(next, null)) {
            return null;
        }
        if (!newer(next.manifest().objectKey(), loader.manifestInUse())) {
            return null; // the tailer reloaded from a checkpoint at least as new meanwhile
        }
        return next;
    }

    /** The tailer's store now reads {@code taken}'s checkpoint. Tailer thread. */
    void adopted(Prepared taken) {
        loader.adopted(taken.manifest());
    }

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
