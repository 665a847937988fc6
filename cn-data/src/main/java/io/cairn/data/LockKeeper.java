package io.cairn.data;

import io.cairn.txn.LockService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Looks after this compute node's row locks at the active TN, off the sessions' threads: releases
 * the locks of transactions that ended without a commit (retrying a few times: a lost release
 * would keep others waiting until this CN stops), ends abandoned waits, and while any transaction
 * here holds locks tells the TN every second that this CN is alive, so they are kept.
 *
 * <p>Thread-safe; one daemon thread.
 */
final class LockKeeper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LockKeeper.class.getName());
    private static final long KEEP_ALIVE_MILLIS = 1000;
    private static final int RELEASE_ATTEMPTS = 5;

    private final Supplier<? extends LockService> tn;
    private final String owner;
    private final ScheduledExecutorService thread;
    private final AtomicInteger holders = new AtomicInteger();

    /**
     * @param tn    the active TN at each call (it may throw when there is none)
     * @param owner this CN incarnation's owner id
     */
    LockKeeper(Supplier<? extends LockService> tn, String owner, String name) {
        this.tn = tn;
        this.owner = owner;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-cn-locks-" + name);
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::keepAlive, KEEP_ALIVE_MILLIS, KEEP_ALIVE_MILLIS, TimeUnit.MILLISECONDS);
    }

    String owner() {
        return owner;
    }

    /** A transaction asked for its first lock. */
    void holderStarted() {
        holders.incrementAndGet();
    }

    /**
     * A transaction that asked for locks ended.
     *
     * @param release whether its locks are still to be released (false when the TN released them with its commit)
     */
    void holderEnded(String txnId, boolean release) {
        holders.decrementAndGet();
        if (release) {
            submit(() -> release(txnId, 1));
        }
    }

    /** Ends the transaction's wait at the TN (its statement gave up waiting). */
    void abandonWait(String txnId) {
        submit(() -> {
            try {
                tn.get().abandonWait(txnId);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "abandoning the lock wait of " + txnId, e);
            }
        });
    }

    private void release(String txnId, int attempt) {
        try {
            tn.get().release(txnId);
        } catch (RuntimeException e) {
            if (attempt < RELEASE_ATTEMPTS) {
                try {
                    thread.schedule(() -> release(txnId, attempt + 1), 200L * attempt, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closed) {
                    return;
                }
            } else {
                LOG.log(Level.INFO, "CAIRN0210I: could not release the locks of transaction " + txnId
                        + "; the transaction node drops them when this compute node stops: " + e.getMessage());
            }
        }
    }

    private void keepAlive() {
        if (holders.get() > 0) {
            try {
                tn.get().keepAlive(owner);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "lock keep-alive of " + owner, e);
            }
        }
    }

    private void submit(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException closed) {
            // stopping: the TN drops this CN's locks when it stops calling
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
