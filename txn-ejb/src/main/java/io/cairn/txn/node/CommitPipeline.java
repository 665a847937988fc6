package io.cairn.txn.node;

import io.cairn.log.LogService;
import io.cairn.txn.CommitRequest;
import io.cairn.txn.CommitResult;
import io.cairn.txn.Key;
import io.cairn.txn.ReadOnlyClusterException;
import io.cairn.txn.SnapshotTooOldException;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.WriteConflictException;
import io.cairn.txn.node.TransactionNode.State;
import io.cairn.txn.record.CommitRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The commit path of the active TN. {@link #commit} admits a commit under the node's lock: it answers a
 * known transaction id from memory, checks the write set against the conflict window and the locks of
 * other transactions, assigns the next timestamp and queues the record. The appender ({@link #appendLoop},
 * on the node's appender thread) writes the queued records, oldest first, as conditional log appends at
 * the lease epoch, one append at a time, so log order is timestamp order; callers are answered once their
 * append is durable. When an append fails, the node steps down ({@link #stepDown}).
 *
 * <p>Locking: the queue and the commits in flight are guarded by the node's lock, {@link NodeState}'s
 * monitor, which also guards the {@link CommitHistory}; the log append runs without it.
 */
final class CommitPipeline {
    private static final Logger LOG = Logger.getLogger(CommitPipeline.class.getName());

    private record Pending(CommitRecord record, CompletableFuture<CommitResult> result) {
    }

    private final LogService log;
    private final Clock clock;
    private final Ticker ticker;
    private final TransactionNode.Settings settings;
    private final NodeState node;
    private final CommitHistory history;
    // Guarded by node.
    private final Map<String, CompletableFuture<CommitResult>> inFlight = new LinkedHashMap<>();
    private List<Pending> queue = new ArrayList<>();
    /** Why client commits are refused (see {@link TransactionNode#refuseWrites}), or null. */
    private String refused;

    CommitPipeline(LogService log, Clock clock, Ticker ticker, TransactionNode.Settings settings, NodeState node,
            CommitHistory history) {
        this.log = log;
        this.clock = clock;
        this.ticker = ticker;
        this.settings = settings;
        this.node = node;
        this.history = history;
    }

    /** See {@link TransactionNode#commit}. */
    CommitResult commit(CommitRequest request) {
        CompletableFuture<CommitResult> result;
        synchronized (node) {
            if (node.state() != State.ACTIVE) {
                throw new TransactionNodeUnavailableException("transaction node " + settings.id() + " is not active", null);
            }
            CommitResult known = history.result(request.txnId());
            if (known != null) {
                return known;
            }
            if (refused != null && !inFlight.containsKey(request.txnId())) {
                node.locks().release(request.txnId());
                throw new ReadOnlyClusterException(refused);
            }
            result = inFlight.get(request.txnId());
            if (result == null) {
                LockTable locks = node.locks();
                try {
                    history.check(request);
                    Key locked = locks.lockedByOther(request.txnId(), request.writes());
                    if (locked != null) {
                        throw new WriteConflictException("write conflict on " + locked
                                + ": another transaction holds a lock on it");
                    }
                } catch (WriteConflictException e) {
                    locks.release(request.txnId());
                    awaitDurable(e.committedTs());
                    throw e;
                } catch (SnapshotTooOldException e) {
                    locks.release(request.txnId());
                    throw e;
                }
                long ts = history.nextTimestamp(clock.millis());
                CommitRecord record = new CommitRecord(request.txnId(), ts, request.writes());
                if (4L + record.encodedSize() > LogService.MAX_APPEND_BYTES) {
                    // validated before it is logged: the log would refuse it, and this TN step down
                    locks.release(request.txnId());
                    throw new IllegalArgumentException("the write set of " + request.txnId() + " needs "
                            + record.encodedSize() + " bytes in the log, more than one log entry holds ("
                            + (LogService.MAX_APPEND_BYTES - 4) + ")");
                }
                history.admit(ts, request.writes());
                result = new CompletableFuture<>();
                inFlight.put(request.txnId(), result);
                queue.add(new Pending(record, result));
                node.notifyAll();
            }
        }
        return await(result);
    }

    /** See {@link TransactionNode#refuseWrites}. */
    void refuse(String reason) {
        synchronized (node) {
            refused = reason;
        }
    }

    String refused() {
        synchronized (node) {
            return refused;
        }
    }

    /**
     * Waits until no commit is queued or in flight (each is durable or failed), at most {@code timeoutMillis}.
     *
     * @return whether none is left
     */
    boolean awaitIdle(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (node) {
            while (!inFlight.isEmpty() || !queue.isEmpty()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || node.state() == State.CLOSED) {
                    return false;
                }
                try {
                    node.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Appends commits another cluster made, with their own timestamps and transaction ids (a standby following
     * its primary's log), and returns once they are durable. Records at or below the last timestamp this TN knows
     * are skipped: they are here already, and log order stays timestamp order.
     *
     * @throws TransactionNodeUnavailableException this TN is not active, or the append failed (the records may be
     *                                             in the log: replaying them again skips what is)
     */
    void replay(List<CommitRecord> records) {
        List<CompletableFuture<CommitResult>> results = new ArrayList<>(records.size());
        synchronized (node) {
            if (node.state() != State.ACTIVE) {
                throw new TransactionNodeUnavailableException("transaction node " + settings.id() + " is not active", null);
            }
            for (CommitRecord record : records) {
                if (record.commitTs() <= history.lastTs()) {
                    continue;
                }
                history.admit(record.commitTs(), record.writes());
                CompletableFuture<CommitResult> result = new CompletableFuture<>();
                inFlight.put(record.txnId(), result);
                queue.add(new Pending(record, result));
                results.add(result);
            }
            node.notifyAll();
        }
        for (CompletableFuture<CommitResult> result : results) {
            await(result);
        }
    }

    /** Whether a commit of {@code txnId} is in flight or committed (within the window). */
    boolean admitted(String txnId) {
        synchronized (node) {
            return history.result(txnId) != null || inFlight.containsKey(txnId);
        }
    }

    /**
     * Holds a losing commit's answer until the winner it lost to is in the log (or this TN gives up
     * on it): a client retrying at once would otherwise take a snapshot without the winner and lose
     * again, as often as it can retry within one log append. Caller holds the node's lock.
     */
    void awaitDurable(long ts) {
        long deadline = ticker.nanoTime() + settings.commitTimeout().toNanos();
        while (history.durableTs() < ts && node.state() == State.ACTIVE) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - ticker.nanoTime());
            if (left <= 0) {
                return;
            }
            try {
                node.wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private CommitResult await(CompletableFuture<CommitResult> result) {
        try {
            return result.get(settings.commitTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new TransactionNodeUnavailableException("commit failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new TransactionNodeUnavailableException("commit not durable within " + settings.commitTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransactionNodeUnavailableException("interrupted while committing", e);
        }
    }

    /** The appender thread's body: appends what is queued until the node closes. */
    void appendLoop() {
        while (true) {
            List<Pending> batch;
            long batchEpoch;
            synchronized (node) {
                while (queue.isEmpty() && node.state() != State.CLOSED) {
                    try {
                        node.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (node.state() == State.CLOSED) {
                    return;
                }
                batch = takeBatch();
                batchEpoch = node.epoch();
            }
            List<byte[]> records = new ArrayList<>(batch.size());
            for (Pending pending : batch) {
                records.add(pending.record().encode());
            }
            try {
                long lsn = log.append(batchEpoch, records);
                synchronized (node) {
                    LockTable term = node.locks();
                    for (Pending pending : batch) {
                        CommitResult result = new CommitResult(pending.record().commitTs(), lsn);
                        history.committed(pending.record().txnId(), result);
                        inFlight.remove(pending.record().txnId());
                        if (term != null) {
                            term.release(pending.record().txnId());
                        }
                        pending.result().complete(result);
                    }
                    history.durableUpTo(batch.get(batch.size() - 1).record().commitTs(), lsn);
                    node.notifyAll(); // losers waiting for these winners
                }
            } catch (RuntimeException e) { // LogException or an encoding failure: the outcome is unknown either way
                LOG.log(Level.WARNING, "CAIRN0101W: transaction node " + settings.id()
                        + " could not append " + batch.size() + " commits; stepping down: " + e.getMessage());
                stepDown(batch, e);
            }
        }
    }

    /**
     * The queued commits that fit one log append, oldest first (at least one: commit refuses records that
     * fit none); the rest stay queued for the next append, so log order stays commit-timestamp order.
     * Caller holds the node's lock.
     */
    private List<Pending> takeBatch() {
        long bytes = 0;
        int n = 0;
        while (n < queue.size()) {
            long size = 4L + queue.get(n).record().encodedSize();
            if (n > 0 && bytes + size > LogService.MAX_APPEND_BYTES) {
                break;
            }
            bytes += size;
            n++;
        }
        if (n == queue.size()) {
            List<Pending> all = queue;
            queue = new ArrayList<>();
            return all;
        }
        List<Pending> batch = new ArrayList<>(queue.subList(0, n));
        queue = new ArrayList<>(queue.subList(n, queue.size()));
        return batch;
    }

    /** Fails all queued commits (outcome unknown) and rebuilds from the log as a standby. */
    void stepDown(Exception cause) {
        stepDown(List.of(), cause);
    }

    /** Fails the given and all queued commits (outcome unknown) and rebuilds from the log as a standby. */
    private void stepDown(List<Pending> failed, Exception cause) {
        synchronized (node) {
            List<Pending> all = new ArrayList<>(failed);
            all.addAll(queue);
            queue = new ArrayList<>();
            for (Pending pending : all) {
                inFlight.remove(pending.record().txnId());
                pending.result().completeExceptionally(new TransactionNodeUnavailableException(
                        "outcome unknown: the transaction node lost the log or its lease (" + cause.getMessage()
                                + "); repeat the request to learn it", cause));
            }
            node.stepDown();
            node.notifyAll(); // losers waiting for a winner that failed with this batch
        }
    }
}
