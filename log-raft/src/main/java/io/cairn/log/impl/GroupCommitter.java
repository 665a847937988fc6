package io.cairn.log.impl;

import io.cairn.log.AppendObserver;
import io.cairn.log.LogUnavailableException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * Client-side group commit. Appends queue up while one entry is in flight; when it completes, all
 * queued appends of the same epoch (up to a byte limit) go out as the next single entry. A lone
 * appender therefore pays one round trip, and N concurrent appenders share one, so throughput
 * grows with concurrency.
 *
 * <p>Order: appends are sent in submission order; the records of one entry keep that order. At
 * most one entry is in flight, so entries commit in that order too.
 *
 * <p>Threading: {@link #submit} is thread-safe and never blocks. The futures it returns complete
 * on the thread that delivered the reply (a Ratis client thread), or on the given executor when
 * the send failed synchronously; dependants doing real work should use the {@code *Async} stages.
 * The completing thread also sends the next entry.
 */
final class GroupCommitter {
    /** One caller's records. */
    private record Pending(long epoch, List<byte[]> records, long bytes, CompletableFuture<Long> future,
            long startNanos) {
    }

    private final BiFunction<Long, List<byte[]>, CompletableFuture<Long>> sender;
    private final Executor completions;
    private final long maxBatchBytes;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean inFlight;
    private boolean closed;
    private final LongSupplier nanoTime;
    private volatile AppendObserver observer = AppendObserver.NONE;

    /**
     * @param sender sends one entry (epoch, records) and completes with its LSN or a LogException
     * @param maxBatchBytes an entry grows no further once it holds this many record bytes
     */
    GroupCommitter(BiFunction<Long, List<byte[]>, CompletableFuture<Long>> sender, Executor completions,
                   long maxBatchBytes) {
        this(sender, completions, maxBatchBytes, System::nanoTime);
    }

    /** @param nanoTime the monotonic clock append latencies are measured with */
    GroupCommitter(BiFunction<Long, List<byte[]>, CompletableFuture<Long>> sender, Executor completions,
                   long maxBatchBytes, LongSupplier nanoTime) {
        this.sender = sender;
        this.completions = completions;
        this.maxBatchBytes = maxBatchBytes;
        this.nanoTime = nanoTime;
    }

    /** Reports each caller's append, from {@link #submit} until its future completes, to {@code observer}. */
    void observe(AppendObserver observer) {
        this.observer = observer == null ? AppendObserver.NONE : observer;
    }

    CompletableFuture<Long> submit(long epoch, List<byte[]> records) {
        long bytes = 0;
        for (byte[] r : records) {
            bytes += r.length;
        }
        Pending p = new Pending(epoch, List.copyOf(records), bytes, new CompletableFuture<>(), nanoTime.getAsLong());
        List<Pending> batch = null;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new LogUnavailableException("log client is closed"));
            }
            queue.add(p);
            if (!inFlight) {
                inFlight = true;
                batch = drain();
            }
        }
        if (batch != null) {
            send(batch);
        }
        return p.future();
    }

    /** Takes the head of the queue and the following appends of the same epoch. Holds the lock. */
    private List<Pending> drain() {
        List<Pending> batch = new ArrayList<>();
        Pending head = queue.poll();
        batch.add(head);
        long bytes = head.bytes();
        while (!queue.isEmpty() && queue.peek().epoch() == head.epoch() && bytes + queue.peek().bytes() <= maxBatchBytes) {
            Pending next = queue.poll();
            bytes += next.bytes();
            batch.add(next);
        }
        return batch;
    }

    private void send(List<Pending> batch) {
        List<byte[]> records;
        if (batch.size() == 1) {
            records = batch.get(0).records();
        } else {
            records = new ArrayList<>();
            for (Pending p : batch) {
                records.addAll(p.records());
            }
        }
        CompletableFuture<Long> sent;
        try {
            sent = sender.apply(batch.get(0).epoch(), records);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        if (sent.isDone()) {
            // Failed (or answered) synchronously: continue on the executor so that a run of
            // immediate failures does not recurse through send() on this stack.
            sent.whenCompleteAsync((lsn, error) -> completed(batch, lsn, error), completions);
        } else {
            // The usual case: complete the callers on the RPC thread that delivered the reply,
            // saving a thread hand-off per entry (it is on the latency path of every append).
            sent.whenComplete((lsn, error) -> completed(batch, lsn, error));
        }
    }

    private void completed(List<Pending> batch, Long lsn, Throwable error) {
        AppendObserver o = observer;
        long now = o == AppendObserver.NONE ? 0 : nanoTime.getAsLong();
        for (Pending p : batch) {
            if (error != null) {
                p.future().completeExceptionally(error);
            } else {
                p.future().complete(lsn);
            }
            o.appendEnded(now - p.startNanos(), error == null);
        }
        List<Pending> next = null;
        synchronized (this) {
            if (queue.isEmpty()) {
                inFlight = false;
            } else {
                next = drain();
            }
        }
        if (next != null) {
            send(next);
        }
    }

    /** Fails every queued append; appends in flight complete or fail on their own. */
    void close() {
        List<Pending> dropped;
        synchronized (this) {
            closed = true;
            dropped = new ArrayList<>(queue);
            queue.clear();
        }
        AppendObserver o = observer;
        long now = nanoTime.getAsLong();
        for (Pending p : dropped) {
            p.future().completeExceptionally(new LogUnavailableException("log client closed before the append was sent"));
            o.appendEnded(now - p.startNanos(), false);
        }
    }
}
