package io.cairn.data;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;

/**
 * Shares linearizable read barriers (the log's commit index, one majority round each) between
 * concurrent transactions. A caller may only use an answer whose round started after it arrived, so
 * callers that arrive while a round runs join the next round, which starts when that one ends: at
 * most two rounds are ever outstanding, however many transactions begin. Thread-safe.
 */
final class ReadBarrier {
    private final LongSupplier source;
    private CompletableFuture<Long> current;
    private CompletableFuture<Long> next;

    /** @param source the barrier itself (blocking; its RuntimeExceptions reach every caller of its round) */
    ReadBarrier(LongSupplier source) {
        this.source = source;
    }

    /** A barrier read by a round that started after this call. */
    long await() {
        CompletableFuture<Long> mine;
        CompletableFuture<Long> before = null;
        boolean lead;
        synchronized (this) {
            if (current == null) {
                current = mine = new CompletableFuture<>();
                lead = true;
            } else if (next == null) {
                next = mine = new CompletableFuture<>();
                before = current;
                lead = true;
            } else {
                mine = next;
                lead = false;
            }
        }
        if (lead) {
            if (before != null) {
                before.handle((v, e) -> null).join(); // its outcome is not ours
                synchronized (this) {
                    current = mine;
                    next = null;
                }
            }
            try {
                mine.complete(source.getAsLong());
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
            }
            synchronized (this) {
                if (current == mine && next == null) {
                    current = null;
                }
            }
        }
        try {
            return mine.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
