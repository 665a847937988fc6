package io.cairn.txn.standby;

import io.cairn.txn.checkpoint.CheckpointStore;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Sets a standby cluster's object storage up from the primary's backup once, however many of its servers start at
 * the same time: the servers of a cluster share one object storage, and two restores into it would write two first
 * checkpoints under the same name. One server restores, the one named first in {@code cairn.log.peers} (the same
 * list on every server, so every server makes the same choice); the others wait, before their TN starts, until its
 * checkpoint is in the storage. That server must run the TN role: a waiting server says every half minute whom it
 * waits for.
 *
 * <p>Runs on the TN role's start; blocks it. Stateless.
 */
public final class FirstStartRestore {
    private static final Logger LOG = Logger.getLogger(FirstStartRestore.class.getName());
    private static final Duration REPORT_EVERY = Duration.ofSeconds(30);

    private FirstStartRestore() {
    }

    /**
     * Restores when this server is the restorer, or waits for the restorer's checkpoint.
     *
     * @param self     this server's log peer id
     * @param restorer the server that restores: the first of the log peers
     * @param store    the cluster's checkpoints
     * @param restore  the restore itself
     * @param poll     how often a waiting server looks for the checkpoint
     * @throws IllegalStateException interrupted while waiting
     */
    public static void run(String self, String restorer, CheckpointStore store, Runnable restore, Duration poll) {
        if (self.equals(restorer)) {
            restore.run();
            return;
        }
        long started = System.nanoTime();
        long reported = started;
        while (store.latestManifest().isEmpty()) {
            long now = System.nanoTime();
            if (now - reported >= REPORT_EVERY.toNanos()) {
                reported = now;
                LOG.info("CAIRN0139I: server " + self + " waits for " + restorer + " (the first of cairn.log.peers) to "
                        + "set the standby cluster up from the primary's backup ("
                        + Duration.ofNanos(now - started).toSeconds() + " s so far)");
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + restorer + " to restore", e);
            }
        }
        LOG.info(() -> "CAIRN0140I: server " + self + " found the standby cluster's first checkpoint, restored by "
                + restorer);
    }
}
