package io.cairn.txn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFormatTest {
    @TempDir
    Path dir;

    private static byte[] key(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    private List<CheckpointRow> rows(int count) {
        List<CheckpointRow> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(new CheckpointRow(key(2 * i), 1000 + i, i % 7 == 0 ? null : ("v" + i).getBytes(StandardCharsets.UTF_8)));
        }
        return rows;
    }

    private SegmentWriter.Written write(Path file, List<CheckpointRow> rows, int blockBytes) {
        try (SegmentWriter writer = new SegmentWriter(file, blockBytes)) {
            rows.forEach(writer::add);
            return writer.finish();
        }
    }

    @Test
    void aSegmentIsBlocksWithAnIndexAndABloomFilter() throws IOException {
        List<CheckpointRow> rows = rows(20_000);
        Path file = dir.resolve("s.arrow");
        SegmentWriter.Written written = write(file, rows, 4096);
        byte[] bytes = Files.readAllBytes(file);
        assertThat(new String(bytes, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("ARROW1");
        assertThat(written.rows()).isEqualTo(rows.size());
        assertThat(written.bytes()).isEqualTo(bytes.length);
        assertThat(written.firstKey()).isEqualTo(key(0));
        assertThat(written.lastKey()).isEqualTo(key(2 * (rows.size() - 1)));

        AtomicLong read = new AtomicLong();
        SegmentIndex.RangeReader reader = (offset, length) -> {
            read.addAndGet(length);
            return Arrays.copyOfRange(bytes, (int) offset, (int) offset + length);
        };
        SegmentIndex index = SegmentIndex.read(reader, bytes.length);
        assertThat(index.blocks()).as("4 KiB blocks").isGreaterThan(20);
        long total = 0;
        for (int b = 0; b < index.blocks(); b++) {
            total += index.rows(b);
        }
        assertThat(total).isEqualTo(rows.size());

        // every key is found through the index in its block; one block read per lookup
        for (int i = 0; i < rows.size(); i += 97) {
            CheckpointRow expected = rows.get(i);
            assertThat(index.mightContain(expected.key())).isTrue();
            long before = read.get();
            Block block = index.readBlock(reader, index.blockFor(expected.key()));
            assertThat(read.get() - before).as("a lookup reads one block").isLessThan(8192);
            int at = block.find(expected.key());
            assertThat(at).isNotNegative();
            assertThat(block.ts(at)).isEqualTo(expected.ts());
            assertThat(block.value(at)).isEqualTo(expected.value());
        }
        // absent keys (odd numbers): mostly refused by the Bloom filter, never found
        int maybe = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] absent = key(2 * i + 1);
            if (index.mightContain(absent)) {
                maybe++;
                int b = index.blockFor(absent);
                assertThat(index.readBlock(reader, b).find(absent)).isEqualTo(-1);
            }
        }
        assertThat(maybe).as("false positives at ~1%").isLessThan(300);
        assertThat(index.blockFor(new byte[] {-1, -1, -1, -1, -1})).isEqualTo(index.blocks() - 1);
        assertThat(index.blockFor(new byte[0])).isEqualTo(-1);
    }

    @Test
    void rowsStreamBackInOrderWithDeletions() {
        List<CheckpointRow> rows = rows(5_000);
        Path file = dir.resolve("s.arrow");
        SegmentWriter.Written written = write(file, rows, 2048);
        MapStore store = new MapStore();
        store.put("seg", file);
        Manifest.Segment segment = new Manifest.Segment(1, 0, written.rows(), written.bytes(), "seg",
                written.firstKey(), written.lastKey());
        SegmentRows back = new SegmentRows(store, segment);
        for (CheckpointRow expected : rows) {
            CheckpointRow row = back.next();
            assertThat(row.key()).isEqualTo(expected.key());
            assertThat(row.ts()).isEqualTo(expected.ts());
            assertThat(row.value()).isEqualTo(expected.value());
        }
        assertThat(back.hasNext()).isFalse();
    }

    @Test
    void unsortedRowsEmptySegmentsAndForeignBytesAreRefused() {
        byte[] a = {1};
        byte[] b = {2};
        try (SegmentWriter writer = new SegmentWriter(dir.resolve("x"), 4096)) {
            writer.add(new CheckpointRow(b, 1, a));
            assertThatThrownBy(() -> writer.add(new CheckpointRow(a, 1, a))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> writer.add(new CheckpointRow(b, 1, a))).isInstanceOf(IllegalArgumentException.class);
        }
        try (SegmentWriter writer = new SegmentWriter(dir.resolve("y"), 4096)) {
            assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class);
        }
        byte[] junk = "not arrow at all, and long enough to have a tail".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SegmentIndex.read((o, l) -> Arrays.copyOfRange(junk, (int) o, (int) o + l), junk.length))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBlockIsReadInPlaceAndADamagedOneIsRefused() throws IOException {
        List<CheckpointRow> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) { // no deletion: the value column may come without a validity bitmap
            rows.add(new CheckpointRow(key(i), 7L << 40 | i, new byte[i % 50]));
        }
        Path file = dir.resolve("b.arrow");
        write(file, rows, 1 << 20);
        byte[] bytes = Files.readAllBytes(file);
        SegmentIndex.RangeReader reader = (offset, length) -> Arrays.copyOfRange(bytes, (int) offset, (int) offset + length);
        SegmentIndex index = SegmentIndex.read(reader, bytes.length);
        assertThat(index.blocks()).isEqualTo(1);
        Block block = index.readBlock(reader, 0);
        assertThat(block.size()).isEqualTo(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(block.row(i)).usingRecursiveComparison().isEqualTo(rows.get(i));
        }

        // the last key offset of the block pointing past the key data: refused, not read outside the keys
        SegmentIndex.RangeReader damaged = (offset, length) -> {
            byte[] range = reader.read(offset, length);
            int lastKeyOffset = 4 + indexOf(range, ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putInt(4 * (rows.size() - 1)).putInt(4 * rows.size()).array());
            range[lastKeyOffset + 1] = 0x7f;
            return range;
        };
        assertThatThrownBy(() -> index.readBlock(damaged, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key offset");
        byte[] truncated = Arrays.copyOf(reader.read(0, bytes.length), 40);
        assertThatThrownBy(() -> index.readBlock((o, l) -> truncated, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Where {@code words} first occur in {@code bytes} at a 4-byte boundary (the key offsets are 4-byte aligned). */
    private static int indexOf(byte[] bytes, byte[] words) {
        for (int i = 0; i + words.length <= bytes.length; i += 4) {
            if (Arrays.equals(bytes, i, i + words.length, words, 0, words.length)) {
                return i;
            }
        }
        throw new AssertionError("no such word");
    }

    @Test
    void manifestsRoundTripAndSortByEpochThenSequence() {
        Manifest manifest = new Manifest(2, 3, 120, 99_000, List.of(
                new Manifest.Segment(7, Manifest.Segment.BOTTOM, 10, 4000, Manifest.segmentKey(1, 1, "a1", 7, 0),
                        key(1), key(50)),
                new Manifest.Segment(7, 3, 2, 900, Manifest.segmentKey(2, 3, "b2", 7, 0), key(7), key(7))));
        assertThat(Manifest.decode(manifest.encode())).isEqualTo(manifest);
        assertThat(manifest.segments().get(0).covers(key(50))).isTrue();
        assertThat(manifest.segments().get(0).covers(key(51))).isFalse();
        assertThat(Manifest.objectKey(1, 10)).isGreaterThan(Manifest.objectKey(1, 9));
        assertThat(Manifest.objectKey(2, 1)).as("a later epoch wins").isGreaterThan(Manifest.objectKey(1, 10));
        byte[] bytes = manifest.encode();
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> Manifest.decode(cut)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aFormat2ManifestIsRefusedWithTheReason() {
        byte[] v2 = ByteBuffer.allocate(38).put((byte) 'M').put((byte) 2).array();
        assertThatThrownBy(() -> Manifest.decode(v2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format 2").hasMessageContaining("format 3");
    }

    /** Objects in a map. */
    static final class MapStore implements CheckpointStore {
        final Map<String, byte[]> objects = new HashMap<>();

        @Override
        public void put(String key, byte[] bytes) {
            objects.put(key, bytes);
        }

        @Override
        public byte[] get(String key) {
            return objects.get(key);
        }

        @Override
        public List<String> list(String prefix) {
            return objects.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
        }

        @Override
        public void delete(String key) {
            objects.remove(key);
        }
    }
}
