package io.cairn.txn.node;

import java.time.Duration;

/**
 * How the active TN checkpoints.
 *
 * @param interval        a checkpoint at least this often while keys change
 * @param maxKeys         or sooner, once this many keys changed
 * @param maxRunsPerTable a table with more upper runs than this (one per checkpoint that changed it)
 *                        has them merged into its bottom run, key range by key range
 * @param garbageGrace    how long a superseded manifest (and the segments only it refers to) or an
 *                        object no manifest refers to stays in storage: a CN that started from a
 *                        manifest just before it was superseded must be able to finish loading
 * @param segmentBytes    about how big a segment object grows before the next one starts
 * @param blockBytes      about how big one block (the unit a CN reads and caches) is
 * @param memtableBytes   or sooner, once the changes not in a checkpoint take about this much heap;
 *                        past twice as much, commits are held back until a checkpoint catches up
 */
public record CheckpointSettings(Duration interval, int maxKeys, int maxRunsPerTable, Duration garbageGrace,
        long segmentBytes, int blockBytes, long memtableBytes) {
    /** Segments of about 64 MiB. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    /** Blocks of about 256 KiB. */
    public static final int DEFAULT_BLOCK_BYTES = 256 << 10;
    /** The storage connector's object size limit, which a segment must stay well under. */
    private static final long MAX_SEGMENT_BYTES = 192L << 20;

    /** @throws IllegalArgumentException a value out of range, named */
    public CheckpointSettings {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("checkpoint interval must be positive, not " + interval);
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("checkpoint maxKeys must be at least 1, not " + maxKeys);
        }
        if (maxRunsPerTable < 1) {
            throw new IllegalArgumentException("checkpoint maxRunsPerTable must be at least 1, not " + maxRunsPerTable);
        }
        if (garbageGrace == null || garbageGrace.isNegative()) {
            throw new IllegalArgumentException("checkpoint garbageGrace must not be negative, not " + garbageGrace);
        }
        if (blockBytes < 1024 || blockBytes > 16 << 20) {
            throw new IllegalArgumentException("checkpoint blockBytes must be between 1 KiB and 16 MiB, not " + blockBytes);
        }
        if (memtableBytes < 1 << 20) {
            throw new IllegalArgumentException("checkpoint memtableBytes must be at least 1 MiB, not " + memtableBytes);
        }
        if (segmentBytes < blockBytes || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("checkpoint segmentBytes must be between blockBytes and "
                    + MAX_SEGMENT_BYTES + ", not " + segmentBytes);
        }
    }

    /** With segments, blocks and the memory budget of the default sizes. */
    public CheckpointSettings(Duration interval, int maxKeys, int maxRunsPerTable, Duration garbageGrace) {
        this(interval, maxKeys, maxRunsPerTable, garbageGrace, DEFAULT_SEGMENT_BYTES, DEFAULT_BLOCK_BYTES,
                defaultMemtableBytes());
    }

    /** The same with another memory budget. */
    public CheckpointSettings withMemtableBytes(long bytes) {
        return new CheckpointSettings(interval, maxKeys, maxRunsPerTable, garbageGrace, segmentBytes, blockBytes, bytes);
    }

    /**
     * A sixteenth of the heap: commits are held back past twice that, and a CN on the same server holds the
     * same changes about once more until it moves onto the checkpoint (README, "Memory").
     */
    public static long defaultMemtableBytes() {
        return Math.max(1 << 20, Runtime.getRuntime().maxMemory() / 16);
    }

    /**
     * Every minute, 100 000 keys or a sixteenth of the heap; runs merged beyond 8; garbage kept 5 minutes;
     * 64 MiB segments of 256 KiB blocks.
     */
    public static CheckpointSettings defaults() {
        return new CheckpointSettings(Duration.ofSeconds(60), 100_000, 8, Duration.ofMinutes(5));
    }
}
