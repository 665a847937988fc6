package io.cairn.sql.exec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The {@link DmlTarget} of each UPDATE/DELETE shape, parsed on first use. Calcite's parser costs as much
 * as the rest of a point UPDATE's execution (each new parser also throws and fills an Error for its
 * lookahead), and sysbench's read_write runs three such statements per transaction. Bounded by entry
 * count; thread-safe.
 */
public final class DmlTargets {
    private final Cache<String, DmlTarget> targets;

    public DmlTargets(int capacity) {
        this.targets = Caffeine.newBuilder().maximumSize(capacity).build();
    }

    /** The target of the UPDATE or DELETE {@code shape} (a statement's shaped text). */
    public DmlTarget of(String shape) {
        DmlTarget cached = targets.getIfPresent(shape);
        if (cached != null) {
            return cached;
        }
        DmlTarget parsed = DmlTarget.parse(shape); // a syntax error is thrown, not cached
        targets.put(shape, parsed);
        return parsed;
    }
}
