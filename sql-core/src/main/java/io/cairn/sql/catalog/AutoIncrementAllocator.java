package io.cairn.sql.catalog;

import io.cairn.data.DataNode;
import io.cairn.data.Isolation;
import io.cairn.data.Transaction;
import io.cairn.txn.WriteConflictException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out AUTO_INCREMENT values (and hidden row ids) on one compute node. Values come from a
 * per-counter row in the catalog, taken in batches of {@link #BATCH} (or as many as the inserting
 * statement still needs, see {@link #next(long, long)}) by a short transaction of its own, so concurrent
 * inserts on several CNs do not conflict on the counter. As in MySQL, values are unique and increasing
 * per CN but may have gaps (a batch left unused, a rolled-back insert).
 *
 * <p>An explicit value at or above the counter moves the counter past it ({@link #observe}).
 *
 * <p>Thread-safe: each counter has its own lock, held while a batch is reserved (a short transaction),
 * so inserts into one table never wait for another table's batch.
 */
public final class AutoIncrementAllocator {
    /** Values taken per trip to the counter row. */
    public static final int BATCH = 100;
    /** The most values taken in one trip, however many a statement asks for. */
    static final int MAX_BATCH = 1 << 16;
    private static final int ATTEMPTS = 20;

    private record Range(long next, long end) {
    }

    /** One counter's cached range; its monitor guards {@link #range}. */
    private static final class Counter {
        private Range range;
    }

    private final DataNode node;
    private final CatalogStore store;
    private final Map<Long, Counter> counters = new ConcurrentHashMap<>();

    public AutoIncrementAllocator(DataNode node, CatalogStore store) {
        this.node = node;
        this.store = store;
    }

    private Counter counter(long counterId) {
        return counters.computeIfAbsent(counterId, id -> new Counter());
    }

    /** The next value of {@code counterId}. */
    public long next(long counterId) {
        return next(counterId, 1);
    }

    /**
     * The next value of {@code counterId} for a statement that needs {@code wanted} values from this one on
     * (a multi-row INSERT's rows left): a range that runs out is refilled with that many (at least
     * {@link #BATCH}, at most {@link #MAX_BATCH}), so a bulk INSERT of thousands of rows takes its values in
     * one commit, not one per hundred rows.
     */
    public long next(long counterId, long wanted) {
        Counter c = counter(counterId);
        synchronized (c) {
            Range r = c.range;
            if (r == null || r.next >= r.end) {
                r = reserve(counterId, 0, (int) Math.max(BATCH, Math.min(MAX_BATCH, wanted)));
            }
            c.range = new Range(r.next + 1, r.end);
            return r.next;
        }
    }

    /** An explicit value was inserted: later generated values must be above it. */
    public void observe(long counterId, long value) {
        Counter c = counter(counterId);
        synchronized (c) {
            Range r = c.range;
            if (r != null && value < r.next) {
                return;
            }
            if (r != null && value < r.end) {
                c.range = new Range(value + 1, r.end);
                return;
            }
            c.range = reserve(counterId, value + 1, BATCH);
        }
    }

    /** Forget cached ranges of a counter (TRUNCATE, DROP). */
    public void forget(long counterId) {
        Counter c = counters.get(counterId);
        if (c != null) {
            synchronized (c) {
                c.range = null;
            }
        }
    }

    private Range reserve(long counterId, long atLeast, int count) {
        WriteConflictException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Transaction t = node.begin(Isolation.REPEATABLE_READ);
            try {
                long start = Math.max(store.autoIncrement(t, counterId), atLeast);
                store.setAutoIncrement(t, counterId, start + count);
                t.commit();
                return new Range(start, start + count);
            } catch (WriteConflictException e) {
                last = e;
            } finally {
                t.rollback();
            }
        }
        throw last;
    }
}
