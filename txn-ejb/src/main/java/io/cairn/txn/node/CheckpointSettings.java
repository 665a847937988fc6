package io.cairn.txn.node;

import java.time.Duration;

/**
 * How the active TN checkpoints.
 *
 * @param interval            a checkpoint at least this often while keys change
 * @param maxKeys             or sooner, once this many keys changed
 * @param maxSegmentsPerTable a table with more segments than this is merged into one
 * @param garbageGrace        how long a superseded manifest (and the segments only it refers to) or
 *                            an object no manifest refers to stays in storage: a CN that started from
 *                            a manifest just before it was superseded must be able to finish loading
 */
public record CheckpointSettings(Duration interval, int maxKeys, int maxSegmentsPerTable, Duration garbageGrace) {

    /** @throws IllegalArgumentException a value out of range, named */
    public CheckpointSettings {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("checkpoint interval must be positive, not " + interval);
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("checkpoint maxKeys must be at least 1, not " + maxKeys);
        }
        if (maxSegmentsPerTable < 1) {
            throw new IllegalArgumentException("checkpoint maxSegmentsPerTable must be at least 1, not "
                    + maxSegmentsPerTable);
        }
        if (garbageGrace == null || garbageGrace.isNegative()) {
            throw new IllegalArgumentException("checkpoint garbageGrace must not be negative, not " + garbageGrace);
        }
    }

    /** Every minute or 100 000 keys; tables merged beyond 8 segments; garbage kept 5 minutes. */
    public static CheckpointSettings defaults() {
        return new CheckpointSettings(Duration.ofSeconds(60), 100_000, 8, Duration.ofMinutes(5));
    }
}
