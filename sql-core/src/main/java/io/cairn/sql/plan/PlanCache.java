package io.cairn.sql.plan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Compiled plans by statement shape: the key is the catalog version, the session's database and
 * the statement text with literals replaced by parameters (see
 * {@link io.cairn.sql.frontend.StatementShaper}), so text and prepared statements of one shape share
 * a plan. Shapes that do not compile with parameters are remembered, so that they go straight to
 * their literal text. Least recently used entries are dropped beyond {@link #capacity}. Thread-safe;
 * two threads missing on one key may both compile (the second result wins), which is harmless.
 */
public final class PlanCache {
    /** A cache key. */
    public record Key(long catalogVersion, String database, String kind, String text) {
    }

    private final int capacity;
    private final Map<Key, CompiledQuery> plans;
    private final Map<Key, Boolean> literalOnly;
    private long hits;
    private long misses;

    public PlanCache(int capacity) {
        this.capacity = capacity;
        this.plans = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, CompiledQuery> eldest) {
                return size() > PlanCache.this.capacity;
            }
        };
        this.literalOnly = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
                return size() > PlanCache.this.capacity;
            }
        };
    }

    /** Whether the shape {@code key} failed to compile with parameters. */
    public boolean literalOnly(Key key) {
        synchronized (plans) {
            return literalOnly.containsKey(key);
        }
    }

    /** Remembers that the shape {@code key} does not compile with parameters. */
    public void markLiteralOnly(Key key) {
        synchronized (plans) {
            literalOnly.put(key, Boolean.TRUE);
        }
    }

    /** The cached plan for {@code key}, compiling it with {@code compile} on a miss. */
    public CompiledQuery get(Key key, Supplier<CompiledQuery> compile) {
        synchronized (plans) {
            CompiledQuery q = plans.get(key);
            if (q != null) {
                hits++;
                return q;
            }
            misses++;
        }
        CompiledQuery q = compile.get();
        synchronized (plans) {
            plans.put(key, q);
        }
        return q;
    }

    public long hits() {
        synchronized (plans) {
            return hits;
        }
    }

    public long misses() {
        synchronized (plans) {
            return misses;
        }
    }
}
