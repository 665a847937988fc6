package io.cairn.txn.node;

import io.cairn.log.GroupInfo;
import io.cairn.log.LogException;
import io.cairn.log.LogAdmin;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves the log's leadership to the active TN's own log peer (the peer named like the TN): the
 * log client hands appends to a co-located leader without a network hop, so every commit is one
 * round trip shorter. Asks in the background (a transfer can take an election timeout and must
 * never delay the lease renewal), at most once per interval, and only when that peer is a caught-up
 * member of the group; a TN without such a peer never asks.
 *
 * <p>Thread-safe; owns one daemon thread.
 */
final class LogLeadershipPull implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LogLeadershipPull.class.getName());
    /** A peer further behind than this would stall appends while it catches up: leave it be. */
    private static final long MAX_LAG = 100;

    private final LogAdmin log;
    private final String peerId;
    private final Ticker ticker;
    private final long intervalNanos;
    private final BooleanSupplier active;
    private final ExecutorService thread;
    private boolean running;
    private long askedAtNanos;
    private boolean asked;

    /** @param active whether the TN still holds its lease (asked again right before a transfer) */
    LogLeadershipPull(LogAdmin log, String peerId, Ticker ticker, Duration interval, BooleanSupplier active) {
        this.log = log;
        this.active = active;
        this.peerId = peerId;
        this.ticker = ticker;
        this.intervalNanos = interval.toNanos();
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cairn-tn-log-leader-" + peerId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Called while this TN is active: looks (in the background) whether the leader is elsewhere. */
    synchronized void maybePull() {
        long now = ticker.nanoTime();
        if (running || (asked && now - askedAtNanos < intervalNanos)) {
            return;
        }
        running = true;
        asked = true;
        askedAtNanos = now;
        thread.execute(() -> {
            try {
                pull();
            } catch (LogException e) {
                LOG.log(Level.FINE, "log leadership not moved to " + peerId, e);
            } finally {
                synchronized (this) {
                    running = false;
                }
            }
        });
    }

    private void pull() {
        GroupInfo info = log.groupInfo();
        if (info.leaderId() == null || info.leaderId().equals(peerId)) {
            return;
        }
        boolean caughtUp = info.peers().stream()
                .anyMatch(p -> p.id().equals(peerId) && p.lag() >= 0 && p.lag() <= MAX_LAG);
        if (caughtUp && active.getAsBoolean()) {
            LOG.info("CAIRN0114I: moving the log leadership from " + info.leaderId() + " to " + peerId
                    + ", the active transaction node's own log peer");
            log.transferLeadership(peerId);
        }
    }

    /** Stops asking; waits briefly for an ask in progress (a transfer is bounded by the log's timeout). */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
