package io.cairn.data;

import io.cairn.txn.checkpoint.CheckpointRow;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.checkpoint.SegmentWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Segments made for tests, the way the TN writes them. */
final class TestSegments {
    private TestSegments() {
    }

    /**
     * Writes {@code rows} (sorted) as run {@code run} of {@code table}: segments of at most
     * {@code rowsPerSegment} rows, blocks of about {@code blockBytes}.
     */
    static List<Manifest.Segment> put(CheckpointStore store, long table, long run, List<CheckpointRow> rows,
            int rowsPerSegment, int blockBytes, String name) {
        List<Manifest.Segment> segments = new ArrayList<>();
        for (int start = 0; start < rows.size(); start += rowsPerSegment) {
            List<CheckpointRow> part = rows.subList(start, Math.min(rows.size(), start + rowsPerSegment));
            String key = Manifest.segmentKey(1, 1, name, table, (int) run * 1000 + segments.size());
            try {
                Path file = Files.createTempFile("test-segment-", ".arrow");
                try (SegmentWriter writer = new SegmentWriter(file, blockBytes)) {
                    part.forEach(writer::add);
                    SegmentWriter.Written written = writer.finish();
                    store.put(key, file);
                    segments.add(new Manifest.Segment(table, run, written.rows(), written.bytes(), key,
                            written.firstKey(), written.lastKey()));
                } finally {
                    Files.delete(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return segments;
    }
}
