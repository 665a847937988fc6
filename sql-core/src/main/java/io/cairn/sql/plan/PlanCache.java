package io.cairn.sql.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Compiled plans by statement shape: the key is the catalog version, the session's database and
 * the statement text with literals replaced by parameters (see
 * {@link io.cairn.sql.frontend.StatementShaper}), so text and prepared statements of one shape share
 * a plan. Shapes that do not compile with parameters are remembered, so that they go straight to
 * their literal text.
 *
 * <p>Thread-safe, and a hit takes no lock: every query of every session looks its plan up here, so
 * lookups are {@link ConcurrentHashMap} reads plus a relaxed write of the entry's last-use time. Two
 * threads missing on one key may both compile (the second result wins), which is harmless. Beyond
 * {@link #capacity} entries, the least recently used tenth is dropped by the thread whose insert went
 * over (one at a time; an insert that finds another thread evicting does not wait), so the cache
 * may briefly hold a few entries more than its capacity.
 */
public final class PlanCache {
    /** A cache key. */
    public record Key(long catalogVersion, String database, String kind, String text) {
    }

    /** A cached value and when it was last used ({@link System#nanoTime()}; racy updates are fine). */
    private static final class Entry<V> {
        final V value;
        volatile long lastUsed;

        Entry(V value) {
            this.value = value;
            this.lastUsed = System.nanoTime();
        }
    }

    private final int capacity;
    private final Map<Key, Entry<CompiledQuery>> plans = new ConcurrentHashMap<>();
    private final Map<Key, Entry<Boolean>> literalOnly = new ConcurrentHashMap<>();
    private final ReentrantLock evicting = new ReentrantLock();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public PlanCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("plan cache capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Whether the shape {@code key} failed to compile with parameters. */
    public boolean literalOnly(Key key) {
        Entry<Boolean> e = literalOnly.get(key);
        if (e == null) {
            return false;
        }
        touch(e);
        return true;
    }

    /** Remembers that the shape {@code key} does not compile with parameters. */
    public void markLiteralOnly(Key key) {
        literalOnly.put(key, new Entry<>(Boolean.TRUE));
        trim(literalOnly);
    }

    /** The cached plan for {@code key}, compiling it with {@code compile} on a miss. */
    public CompiledQuery get(Key key, Supplier<CompiledQuery> compile) {
        Entry<CompiledQuery> e = plans.get(key);
        if (e != null) {
            hits.increment();
            touch(e);
            return e.value;
        }
        misses.increment();
        CompiledQuery q = compile.get();
        plans.put(key, new Entry<>(q));
        trim(plans);
        return q;
    }

    /** Number of cached plans. */
    public int size() {
        return plans.size();
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    /** Records a use; skips the write when the entry was used within the last millisecond (no cache-line ping-pong). */
    private static void touch(Entry<?> e) {
        long now = System.nanoTime();
        if (now - e.lastUsed > 1_000_000L) {
            e.lastUsed = now;
        }
    }

    /** Drops the least recently used tenth of {@code map} when it holds more than {@link #capacity} entries. */
    private <V> void trim(Map<Key, Entry<V>> map) {
        if (map.size() <= capacity || !evicting.tryLock()) {
            return;
        }
        try {
            if (map.size() <= capacity) {
                return;
            }
            List<Map.Entry<Key, Long>> byAge = new ArrayList<>(map.size());
            map.forEach((k, v) -> byAge.add(Map.entry(k, v.lastUsed)));
            byAge.sort(Map.Entry.comparingByValue());
            int drop = Math.min(byAge.size(), byAge.size() - capacity + Math.max(1, capacity / 10));
            for (int i = 0; i < drop; i++) {
                map.remove(byAge.get(i).getKey());
            }
        } finally {
            evicting.unlock();
        }
    }
}
