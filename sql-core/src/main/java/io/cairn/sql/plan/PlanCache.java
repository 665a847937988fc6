package io.cairn.sql.plan;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.function.Supplier;

/**
 * Compiled plans by statement shape: the key is the catalog version, the session's database and
 * the statement text with literals replaced by parameters (see
 * {@link io.cairn.sql.frontend.StatementShaper}), so text and prepared statements of one shape share
 * a plan. Shapes that do not compile with parameters are remembered, so that they go straight to
 * their literal text.
 *
 * <p>Thread-safe (Caffeine, bounded by entry count). A hit takes no lock. A miss compiles once per
 * key: sessions that miss the same shape at once wait for that one compilation instead of each
 * running their own (16 sysbench connections preparing the same statements used to compile each
 * one 16 times). A compilation that throws caches nothing.
 */
public final class PlanCache {
    /** A cache key. */
    public record Key(long catalogVersion, String database, String kind, String text) {
    }

    private final Cache<Key, CompiledQuery> plans;
    private final Cache<Key, Boolean> literalOnly;

    public PlanCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("plan cache capacity must be positive: " + capacity);
        }
        // Caffeine's upkeep (eviction) on the calling thread, not in the common fork-join pool.
        this.plans = Caffeine.newBuilder().maximumSize(capacity).executor(Runnable::run).recordStats().build();
        this.literalOnly = Caffeine.newBuilder().maximumSize(capacity).executor(Runnable::run).build();
    }

    /** Whether the shape {@code key} failed to compile with parameters. */
    public boolean literalOnly(Key key) {
        return literalOnly.getIfPresent(key) != null;
    }

    /** Remembers that the shape {@code key} does not compile with parameters. */
    public void markLiteralOnly(Key key) {
        literalOnly.put(key, Boolean.TRUE);
    }

    /** The cached plan for {@code key}, compiling it with {@code compile} on a miss. */
    public CompiledQuery get(Key key, Supplier<CompiledQuery> compile) {
        return plans.get(key, k -> compile.get());
    }

    /** Number of cached plans. */
    public long size() {
        plans.cleanUp();
        return plans.estimatedSize();
    }

    public long hits() {
        return plans.stats().hitCount();
    }

    public long misses() {
        return plans.stats().missCount();
    }
}
