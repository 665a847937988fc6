package io.cairn.sql.catalog;

import io.cairn.data.DataNode;
import io.cairn.data.Isolation;
import io.cairn.data.Transaction;
import io.cairn.txn.WriteConflictException;
import java.util.HashMap;
import java.util.Map;

/**
 * Hands out AUTO_INCREMENT values (and hidden row ids) on one compute node. Values come from a
 * per-counter row in the catalog, taken in batches of {@link #BATCH} by a short transaction of its
 * own, so concurrent inserts on several CNs do not conflict on the counter. As in MySQL, values are
 * unique and increasing per CN but may have gaps (a batch left unused, a rolled-back insert).
 *
 * <p>An explicit value at or above the counter moves the counter past it ({@link #observe}).
 *
 * <p>Thread-safe (synchronized per allocator; batches are rare).
 */
public final class AutoIncrementAllocator {
    /** Values taken per trip to the counter row. */
    public static final int BATCH = 100;
    private static final int ATTEMPTS = 20;

    private record Range(long next, long end) {
    }

    private final DataNode node;
    private final CatalogStore store;
    private final Map<Long, Range> ranges = new HashMap<>();

    public AutoIncrementAllocator(DataNode node, CatalogStore store) {
        this.node = node;
        this.store = store;
    }

    /** The next value of {@code counterId}. */
    public synchronized long next(long counterId) {
        Range r = ranges.get(counterId);
        if (r == null || r.next >= r.end) {
            r = reserve(counterId, 0);
        }
        ranges.put(counterId, new Range(r.next + 1, r.end));
        return r.next;
    }

    /** An explicit value was inserted: later generated values must be above it. */
    public synchronized void observe(long counterId, long value) {
        Range r = ranges.get(counterId);
        if (r != null && value < r.next) {
            return;
        }
        if (r != null && value < r.end) {
            ranges.put(counterId, new Range(value + 1, r.end));
            return;
        }
        ranges.put(counterId, reserve(counterId, value + 1));
    }

    /** Forget cached ranges of a counter (TRUNCATE, DROP). */
    public synchronized void forget(long counterId) {
        ranges.remove(counterId);
    }

    private Range reserve(long counterId, long atLeast) {
        WriteConflictException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Transaction t = node.begin(Isolation.REPEATABLE_READ);
            try {
                long start = Math.max(store.autoIncrement(t, counterId), atLeast);
                store.setAutoIncrement(t, counterId, start + BATCH);
                t.commit();
                return new Range(start, start + BATCH);
            } catch (WriteConflictException e) {
                last = e;
            } finally {
                t.rollback();
            }
        }
        throw last;
    }
}
