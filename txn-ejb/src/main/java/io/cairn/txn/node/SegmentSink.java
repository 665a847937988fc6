package io.cairn.txn.node;

import io.cairn.txn.checkpoint.CheckpointRow;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.checkpoint.SegmentWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Writes one run of a table as segments of about the target size, each through a local temporary file
 * (so no segment is ever held in memory) and then into object storage. A new segment also starts before
 * a key that passes a <em>boundary</em>: the first key of a segment that stays in the run, so that the
 * run's segments keep disjoint key ranges.
 *
 * <p>Not thread-safe: the checkpoint thread's.
 */
final class SegmentSink implements AutoCloseable {
    private final CheckpointStore store;
    private final long tableId;
    private final long run;
    private final long segmentBytes;
    private final int blockBytes;
    private final IntFunction<String> objectKey;
    private final List<byte[]> boundaries;
    private final List<Manifest.Segment> written = new ArrayList<>();
    private int nextBoundary;
    private SegmentWriter current;
    private Path file;

    /**
     * @param objectKey  the object key of the n-th segment written
     * @param boundaries sorted first keys of the run's segments that stay; no row added falls inside
     *                   their ranges
     */
    SegmentSink(CheckpointStore store, long tableId, long run, CheckpointSettings settings,
            IntFunction<String> objectKey, List<byte[]> boundaries) {
        this.store = store;
        this.tableId = tableId;
        this.run = run;
        this.segmentBytes = settings.segmentBytes();
        this.blockBytes = settings.blockBytes();
        this.objectKey = objectKey;
        this.boundaries = boundaries;
    }

    /** Adds the next row (keys increasing). */
    void add(CheckpointRow row) {
        boolean passed = false;
        while (nextBoundary < boundaries.size()
                && Arrays.compareUnsigned(row.key(), boundaries.get(nextBoundary)) > 0) {
            nextBoundary++;
            passed = true;
        }
        if (current != null && (passed || current.bytes() >= segmentBytes)) {
            flush();
        }
        if (current == null) {
            try {
                file = Files.createTempFile("cairn-segment-", ".arrow");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary segment file", e);
            }
            current = new SegmentWriter(file, blockBytes);
        }
        current.add(row);
    }

    /** Finishes the last segment; the segments written, in key order. */
    List<Manifest.Segment> finish() {
        if (current != null) {
            flush();
        }
        return written;
    }

    private void flush() {
        try {
            SegmentWriter.Written done = current.finish();
            current.close();
            current = null;
            String key = objectKey.apply(written.size());
            store.put(key, file);
            written.add(new Manifest.Segment(tableId, run, done.rows(), done.bytes(), key, done.firstKey(),
                    done.lastKey()));
        } finally {
            discardFile();
        }
    }

    private void discardFile() {
        if (current != null) {
            current.close();
            current = null;
        }
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + file, e);
            }
            file = null;
        }
    }

    /** Removes the temporary file of an unfinished segment. */
    @Override
    public void close() {
        discardFile();
    }
}
