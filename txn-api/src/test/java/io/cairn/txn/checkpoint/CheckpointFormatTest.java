package io.cairn.txn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointFormatTest {
    @Test
    void segmentsRoundTripAcrossBatchesWithDeletions() {
        List<CheckpointRow> rows = new ArrayList<>();
        for (int i = 0; i < TableSegment.BATCH_ROWS * 2 + 5; i++) {
            byte[] key = ByteBuffer.allocate(4).putInt(i).array();
            rows.add(new CheckpointRow(key, 1000 + i, i % 7 == 0 ? null : ("v" + i).getBytes(StandardCharsets.UTF_8)));
        }
        byte[] file = TableSegment.write(rows);
        assertThat(new String(file, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("ARROW1");
        List<CheckpointRow> back = TableSegment.read(file);
        assertThat(back).hasSameSizeAs(rows);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(back.get(i).key()).isEqualTo(rows.get(i).key());
            assertThat(back.get(i).ts()).isEqualTo(rows.get(i).ts());
            assertThat(back.get(i).value()).isEqualTo(rows.get(i).value());
        }
        assertThat(TableSegment.read(TableSegment.write(List.of()))).isEmpty();
    }

    @Test
    void unsortedRowsAndForeignBytesAreRefused() {
        byte[] a = {1};
        byte[] b = {2};
        assertThatThrownBy(() -> TableSegment.write(List.of(new CheckpointRow(b, 1, a), new CheckpointRow(a, 1, a))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TableSegment.read("not arrow at all".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manifestsRoundTripAndSortByEpochThenSequence() {
        Manifest manifest = new Manifest(2, 3, 120, 99_000, List.of(new Manifest.Segment(7, 10,
                Manifest.segmentKey(1, 1, "a1", 7)), new Manifest.Segment(7, 2, Manifest.segmentKey(2, 3, "b2", 7))));
        assertThat(Manifest.decode(manifest.encode())).isEqualTo(manifest);
        assertThat(Manifest.objectKey(1, 10)).isGreaterThan(Manifest.objectKey(1, 9));
        assertThat(Manifest.objectKey(2, 1)).as("a later epoch wins").isGreaterThan(Manifest.objectKey(1, 10));
        byte[] bytes = manifest.encode();
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> Manifest.decode(cut)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
