package io.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.storage.testing.InMemoryObjectStore;
import io.cairn.txn.DroppedKeySpaces;
import io.cairn.txn.Key;
import io.cairn.txn.Write;
import io.cairn.txn.checkpoint.CheckpointRow;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.checkpoint.TableSegment;
import io.cairn.txn.testing.ObjectStoreCheckpoints;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An {@link MvccStore} over a checkpoint read on demand: memory versions win, deletions hide, segments merge. */
class CheckpointBaseTest {
    private static final long TABLE = 7;
    private final CheckpointStore objects = new ObjectStoreCheckpoints(new InMemoryObjectStore());
    @TempDir
    Path dir;

    private static byte[] v(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Key key(String pk) {
        return Key.of(TABLE, v(pk));
    }

    private static CheckpointRow row(String pk, String value) {
        return new CheckpointRow(v(pk), 5, value == null ? null : v(value));
    }

    /** Two segments of the table, the later one overriding {@code b} and deleting {@code c}. */
    private MvccStore store() {
        return new MvccStore(base(1, List.of(
                List.of(row("a", "a0"), row("b", "b0"), row("c", "c0"), row("e", "e0")),
                List.of(row("b", "b1"), row("c", null), row("d", "d1")))));
    }

    private CheckpointBase base(long seq, List<List<CheckpointRow>> segmentRows) {
        List<Manifest.Segment> segments = new ArrayList<>();
        int n = 0;
        for (List<CheckpointRow> rows : segmentRows) {
            String objectKey = Manifest.segmentKey(1, seq, "x", TABLE) + ++n;
            objects.put(objectKey, TableSegment.write(rows));
            segments.add(new Manifest.Segment(TABLE, rows.size(), objectKey));
        }
        Manifest manifest = new Manifest(1, seq, 10 * seq, 5, segments);
        return new CheckpointBase(manifest, new SegmentCache(objects, dir, 1 << 20));
    }

    @Test
    void aRebasedStoreReadsLikeTheOldOneFromItsCheckpointOn() {
        MvccStore old = store();
        old.apply(20, List.of(Write.put(key("a"), v("a2")), Write.delete(key("e"))));
        old.apply(30, List.of(Write.put(key("b"), v("b3")), Write.delete(key("a"))));
        // A newer checkpoint covering the commit at 20.
        MvccStore next = old.rebase(base(2, List.of(List.of(row("a", "a2"), row("b", "b1"), row("d", "d1")))), 20);
        assertThat(next.keysInMemory(TABLE)).as("only what came after the checkpoint").isEqualTo(2);
        for (long ts : new long[] {20, 25, 30}) {
            assertThat(scan(next, null, null, ts)).as("at %d", ts).isEqualTo(scan(old, null, null, ts));
            assertThat(read(next, "a", ts)).isEqualTo(read(old, "a", ts));
        }
        assertThat(next.forSnapshot(10)).as("older snapshots stay on the replaced store").isSameAs(old);
        assertThat(next.forSnapshot(20)).isSameAs(next);
        next.forgetReplacedBefore(19);
        assertThat(next.forSnapshot(10)).isSameAs(old);
        next.forgetReplacedBefore(20);
        assertThat(next.forSnapshot(10)).isSameAs(next);
        assertThat(scan(old, null, null, 10)).containsExactly("a=a0", "b=b1", "d=d1", "e=e0");
    }

    private static String read(MvccStore store, String pk, long ts) {
        byte[] b = store.get(key(pk), ts);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static List<String> scan(MvccStore store, String from, String to, long ts) {
        List<String> out = new ArrayList<>();
        store.scan(TABLE, from == null ? null : v(from), to == null ? null : v(to), ts).forEachRemaining(
                e -> out.add(new String(e.getKey(), StandardCharsets.UTF_8) + "="
                        + new String(e.getValue(), StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void readsMergeMemoryOverTheCheckpoint() {
        MvccStore store = store();
        assertThat(scan(store, null, null, 10)).containsExactly("a=a0", "b=b1", "d=d1", "e=e0");
        store.apply(20, List.of(Write.put(key("a"), v("a2")), Write.delete(key("e")), Write.put(key("c"), v("c2"))));
        assertThat(read(store, "a", 20)).isEqualTo("a2");
        assertThat(read(store, "a", 10)).as("memory versions newer than the snapshot").isEqualTo("a0");
        assertThat(read(store, "e", 20)).isNull();
        assertThat(read(store, "c", 20)).isEqualTo("c2");
        assertThat(read(store, "c", 10)).as("deleted in the later segment").isNull();
        assertThat(scan(store, null, null, 20)).containsExactly("a=a2", "b=b1", "c=c2", "d=d1");
        assertThat(scan(store, null, null, 10)).containsExactly("a=a0", "b=b1", "d=d1", "e=e0");
        assertThat(scan(store, "b", "e", 20)).containsExactly("b=b1", "c=c2", "d=d1");
    }

    @Test
    void theNewestOfThreeSegmentsDecidesEachKey() {
        MvccStore store = new MvccStore(base(2, List.of(
                List.of(row("a", "a0"), row("b", "b0"), row("c", "c0"), row("f", "f0")),
                List.of(row("a", null), row("c", "c1"), row("d", "d1"), row("f", null)),
                List.of(row("a", "a2"), row("c", null), row("e", "e2")))));
        assertThat(scan(store, null, null, 10)).containsExactly("a=a2", "b=b0", "d=d1", "e=e2");
        assertThat(scan(store, "b", "e", 10)).containsExactly("b=b0", "d=d1");
        assertThat(scan(store, "c", null, 10)).containsExactly("d=d1", "e=e2");
        assertThat(scan(store, "e", "f", 10)).containsExactly("e=e2");
        assertThat(scan(store, "f", null, 10)).isEmpty();
        assertThat(read(store, "a", 10)).isEqualTo("a2");
        assertThat(read(store, "c", 10)).isNull();
        assertThat(read(store, "f", 10)).isNull();
    }

    @Test
    void aPrunedDeletionStillHidesTheCheckpointRow() {
        MvccStore store = store();
        store.apply(20, List.of(Write.delete(key("a"))));
        store.prune(30);
        assertThat(read(store, "a", 30)).isNull();
        assertThat(scan(store, null, null, 30)).containsExactly("b=b1", "d=d1", "e=e0");
    }

    @Test
    void aFreedKeySpaceHidesItsCheckpointRows() {
        MvccStore store = store();
        store.apply(20, List.of(Write.put(DroppedKeySpaces.marker(TABLE), new byte[0])));
        assertThat(store.keyCounts()).containsKey(TABLE);
        store.prune(20);
        assertThat(read(store, "a", 30)).isNull();
        assertThat(scan(store, null, null, 30)).isEmpty();
        assertThat(store.keyCounts()).doesNotContainKey(TABLE);
    }

    @Test
    void theCacheKeepsDownloadsOnDiskAndDecodedSegmentsUnderItsBound() {
        MvccStore ignored = store();
        List<String> keys = objects.list(Manifest.SEGMENT_PREFIX).stream().sorted().toList();
        List<String> fetched = new ArrayList<>();
        CheckpointStore counting = new CheckpointStore() {
            @Override
            public void put(String key, byte[] bytes) {
                objects.put(key, bytes);
            }

            @Override
            public byte[] get(String key) {
                fetched.add(key);
                return objects.get(key);
            }

            @Override
            public List<String> list(String prefix) {
                return objects.list(prefix);
            }

            @Override
            public void delete(String key) {
                objects.delete(key);
            }
        };
        SegmentCache first = new SegmentCache(counting, dir.resolve("c"), 0);
        keys.forEach(first::download);
        assertThat(fetched).hasSize(2);
        DecodedSegment decoded = first.get(keys.get(0));
        assertThat(first.get(keys.get(0))).as("bound 0: decoded again from disk").isNotSameAs(decoded);
        assertThat(fetched).as("never downloaded twice").hasSize(2);

        SegmentCache restarted = new SegmentCache(counting, dir.resolve("c"), 1 << 20);
        DecodedSegment again = restarted.get(keys.get(1));
        assertThat(restarted.get(keys.get(1))).isSameAs(again);
        assertThat(fetched).as("a restarted CN reuses the files").hasSize(2);
        restarted.retainOnly(java.util.Set.of(keys.get(1)));
        restarted.get(keys.get(0));
        assertThat(fetched).as("files of other checkpoints were removed").hasSize(3);
        assertThat(ignored.keyCounts()).isEqualTo(Map.of(TABLE, 7));
    }

    @Test
    void theMemoryBoundEvictsTheLeastRecentlyUsedSegment() throws InterruptedException {
        List<String> keys = new ArrayList<>();
        for (String pk : List.of("a", "b", "c")) {
            String key = Manifest.segmentKey(1, 1, "x", TABLE) + pk;
            objects.put(key, TableSegment.write(List.of(row(pk, "v".repeat(100)))));
            keys.add(key);
        }
        SegmentCache sizing = new SegmentCache(objects, dir.resolve("s"), 1 << 20);
        long one = sizing.get(keys.get(0)).bytes();
        SegmentCache cache = new SegmentCache(objects, dir.resolve("c"), 2 * one);
        DecodedSegment a = cache.get(keys.get(0));
        DecodedSegment b = cache.get(keys.get(1));
        Thread.sleep(1); // recency is a nanoTime per use: make the order unambiguous
        assertThat(cache.get(keys.get(0))).isSameAs(a);
        Thread.sleep(1);
        DecodedSegment c = cache.get(keys.get(2));
        assertThat(cache.get(keys.get(0))).as("used after b: kept").isSameAs(a);
        assertThat(cache.get(keys.get(2))).isSameAs(c);
        assertThat(cache.get(keys.get(1))).as("least recently used: evicted, decoded again").isNotSameAs(b);
    }
}
