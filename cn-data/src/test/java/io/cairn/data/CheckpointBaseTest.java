package io.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.storage.testing.InMemoryObjectStore;
import io.cairn.txn.DroppedKeySpaces;
import io.cairn.txn.Key;
import io.cairn.txn.Write;
import io.cairn.txn.checkpoint.CheckpointRow;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.server.ObjectStoreCheckpoints;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An {@link MvccStore} over a checkpoint read on demand: memory versions win, deletions hide, segments merge. */
class CheckpointBaseTest {
    private static final long TABLE = 7;
    private final CheckpointStore objects = ObjectStoreCheckpoints.over(new InMemoryObjectStore());

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

    /** A checkpoint whose runs are the lists given, oldest (the bottom run) first. */
    private CheckpointBase base(long seq, List<List<CheckpointRow>> runs) {
        List<Manifest.Segment> segments = new ArrayList<>();
        for (int run = 0; run < runs.size(); run++) {
            segments.addAll(TestSegments.put(objects, TABLE, run, runs.get(run), Integer.MAX_VALUE, 4096, "s" + seq));
        }
        Manifest manifest = new Manifest(1, seq, 10 * seq, 5, segments);
        return new CheckpointBase(manifest, new BlockCache(objects, 1 << 20));
    }

    @Test
    void aRebasedStoreReadsLikeTheOldOneFromItsCheckpointOn() {
        MvccStore old = store();
        old.apply(20, List.of(Write.put(key("a"), v("a2")), Write.delete(key("e"))));
        old.apply(30, List.of(Write.put(key("b"), v("b3")), Write.delete(key("a"))));
        // A newer checkpoint covering the commit at 20.
        MvccStore next = old.rebase(base(2, List.of(List.of(row("a", "a2"), row("b", "b1"), row("d", "d1")))), 20);
        assertThat(next.keysInMemory(TABLE)).as("the generation with a commit after the checkpoint stays").isEqualTo(3);
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
        MvccStore covered = next.rebase(base(3, List.of(List.of(row("b", "b3"), row("d", "d1")))), 30);
        assertThat(covered.keysInMemory(TABLE)).as("a generation the checkpoint covers goes").isZero();
        assertThat(scan(covered, null, null, 30)).isEqualTo(scan(old, null, null, 30));
    }

    /**
     * Random commits and moves onto checkpoints of the state at a random earlier commit: at every snapshot from
     * its checkpoint on, each store in the chain reads like one store that never moved (keys in one to four
     * generations, deletions among them).
     */
    @Test
    void storesOverManyGenerationsReadLikeOneStoreThatNeverMoved() {
        java.util.Random random = new java.util.Random(18);
        MvccStore reference = new MvccStore();
        MvccStore store = MvccStore.beforeFirstCheckpoint();
        List<Long> commits = new ArrayList<>();
        long covered = 0;
        for (long ts = 10; ts <= 400; ts += 10) {
            java.util.Map<Key, Write> byKey = new java.util.LinkedHashMap<>(); // one write per key and commit
            for (int i = 0; i < 3; i++) {
                Key k = key("k" + random.nextInt(12));
                byKey.put(k, random.nextInt(4) == 0 ? Write.delete(k) : Write.put(k, v("v" + ts + "-" + i)));
            }
            List<Write> writes = List.copyOf(byKey.values());
            reference.apply(ts, writes);
            store.apply(ts, writes);
            commits.add(ts);
            if (random.nextInt(3) == 0) {
                long at = Math.max(covered, commits.get(random.nextInt(commits.size())));
                List<CheckpointRow> rows = new ArrayList<>();
                reference.scan(TABLE, null, null, at).forEachRemaining(e -> rows.add(new CheckpointRow(e.getKey(), at,
                        e.getValue())));
                store = store.rebase(base(ts, List.of(rows)), at);
                covered = at;
            }
            for (long snapshot = covered; snapshot <= ts; snapshot += 5) {
                assertThat(scan(store, null, null, snapshot)).as("scan at %d after %d", snapshot, ts)
                        .isEqualTo(scan(reference, null, null, snapshot));
                assertThat(scan(store, "k3", "k7", snapshot)).isEqualTo(scan(reference, "k3", "k7", snapshot));
                for (int k = 0; k < 12; k++) {
                    assertThat(read(store, "k" + k, snapshot)).as("k%d at %d", k, snapshot)
                            .isEqualTo(read(reference, "k" + k, snapshot));
                }
            }
        }
    }

    @Test
    void replacedStoresGoAsSoonAsTheHorizonPassesTheirSuccessorsFloor() {
        MvccStore first = store();
        first.apply(20, List.of(Write.put(key("a"), v("a2"))));
        MvccStore second = first.rebase(base(2, List.of(List.of(row("a", "a2")))), 20);
        second.apply(30, List.of(Write.put(key("a"), v("a3"))));
        MvccStore third = second.rebase(base(3, List.of(List.of(row("a", "a3")))), 30);
        assertThat(third.forSnapshot(10)).isSameAs(first);
        third.forgetReplacedBefore(25); // no snapshot before 25: the first store serves none of them
        assertThat(third.forSnapshot(10)).as("the store before the horizon's is gone").isSameAs(second);
        assertThat(third.forSnapshot(25)).isSameAs(second);
        assertThat(read(third.forSnapshot(25), "a", 25)).isEqualTo("a2");
        third.forgetReplacedBefore(30);
        assertThat(third.forSnapshot(25)).isSameAs(third);
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

    /**
     * A deletion pruned before the CN had any checkpoint, then a checkpoint cut before the deletion (it still
     * holds the row) adopted: the row must stay deleted. It came back before deletions were kept until a
     * checkpoint covering them is adopted.
     */
    @Test
    void aDeletionPrunedBeforeACheckpointCutEarlierIsAdoptedStillHidesTheRow() {
        MvccStore store = MvccStore.beforeFirstCheckpoint();
        store.apply(4, List.of(Write.put(key("a"), v("a0")), Write.put(key("b"), v("b0"))));
        store.apply(8, List.of(Write.delete(key("a"))));
        store.prune(30);
        // a checkpoint covering only the commit at 4: "a" is a live row in it
        MvccStore next = store.rebase(base(1, List.of(List.of(row("a", "a0"), row("b", "b0")))), 5);
        assertThat(read(next, "a", 30)).isNull();
        assertThat(scan(next, null, null, 30)).containsExactly("b=b0");
        // once a checkpoint covering the deletion is adopted, memory lets it go
        MvccStore covered = next.rebase(base(2, List.of(List.of(row("b", "b0")))), 8);
        assertThat(covered.keysInMemory(TABLE)).isZero();
        assertThat(scan(covered, null, null, 30)).containsExactly("b=b0");
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
    void runsOfManySegmentsAndBlocksReadLikeAMap() {
        // a bottom run of 20 000 keys in segments of 3 000 rows and 1 KiB blocks, and two upper runs
        java.util.Random random = new java.util.Random(42);
        java.util.TreeMap<String, String> model = new java.util.TreeMap<>();
        List<List<CheckpointRow>> runs = new ArrayList<>();
        java.util.TreeMap<String, String> bottom = new java.util.TreeMap<>();
        for (int i = 0; i < 20_000; i++) {
            bottom.put(String.format("k%06d", i * 3), "b" + i + "-".repeat(60));
        }
        runs.add(rows(bottom));
        model.putAll(bottom);
        for (int run = 1; run <= 2; run++) {
            java.util.TreeMap<String, String> upper = new java.util.TreeMap<>();
            for (int i = 0; i < 2_000; i++) {
                String pk = String.format("k%06d", random.nextInt(60_000));
                upper.put(pk, random.nextInt(4) == 0 ? null : "u" + run + "-" + i);
            }
            runs.add(rows(upper));
            upper.forEach((k, v) -> {
                if (v == null) {
                    model.remove(k);
                } else {
                    model.put(k, v);
                }
            });
        }
        List<Manifest.Segment> segments = new ArrayList<>();
        for (int run = 0; run < runs.size(); run++) {
            segments.addAll(TestSegments.put(objects, TABLE, run, runs.get(run), 3_000, 1024, "big"));
        }
        assertThat(segments.stream().filter(Manifest.Segment::bottom)).hasSize(7);
        BlockCache cache = new BlockCache(objects, 256 << 10);
        CheckpointBase base = new CheckpointBase(new Manifest(1, 1, 10, 5, segments), cache);
        for (int i = 0; i < 60_000; i += 7) {
            String pk = String.format("k%06d", i);
            byte[] value = base.get(TABLE, v(pk));
            assertThat(value == null ? null : new String(value, StandardCharsets.UTF_8)).as(pk).isEqualTo(model.get(pk));
        }
        List<String> all = new ArrayList<>();
        base.scan(TABLE, null, null).forEachRemaining(r -> all.add(new String(r.key(), StandardCharsets.UTF_8) + "="
                + new String(r.value(), StandardCharsets.UTF_8)));
        assertThat(all).isEqualTo(model.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        List<String> range = new ArrayList<>();
        base.scan(TABLE, v("k012345"), v("k030001")).forEachRemaining(r -> range.add(new String(r.key(),
                StandardCharsets.UTF_8)));
        assertThat(range).isEqualTo(List.copyOf(model.subMap("k012345", "k030001").keySet()));
        assertThat(cache.weight()).as("bounded").isLessThanOrEqualTo(256 << 10);
        assertThat(cache.stats().evictionCount()).as("the table is bigger than the cache").isPositive();
    }

    private static List<CheckpointRow> rows(java.util.TreeMap<String, String> map) {
        List<CheckpointRow> rows = new ArrayList<>();
        map.forEach((k, value) -> rows.add(row(k, value)));
        return rows;
    }

    @Test
    void aPointReadFetchesOnlyTheIndexAndOneBlock() {
        List<CheckpointRow> rows = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            rows.add(row(String.format("k%06d", i), "value-" + i + "-" + "x".repeat(40)));
        }
        List<Manifest.Segment> segments = TestSegments.put(objects, TABLE, 0, rows, Integer.MAX_VALUE, 16 * 1024, "one");
        long size = segments.get(0).bytes();
        List<Long> ranges = new ArrayList<>();
        CheckpointStore counting = new CheckpointStore() {
            @Override
            public void put(String key, byte[] bytes) {
                objects.put(key, bytes);
            }

            @Override
            public byte[] get(String key) {
                throw new AssertionError("whole-object read of " + key);
            }

            @Override
            public byte[] get(String key, long offset, int length) {
                ranges.add((long) length);
                return objects.get(key, offset, length);
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
        CheckpointBase base = new CheckpointBase(new Manifest(1, 1, 10, 5, segments), new BlockCache(counting, 8 << 20));
        assertThat(base.get(TABLE, v("k031415"))).isEqualTo(v("value-31415-" + "x".repeat(40)));
        long read = ranges.stream().mapToLong(Long::longValue).sum();
        assertThat(read).as("index and one block of a " + size + "-byte segment").isLessThan(size / 5);
        int before = ranges.size();
        assertThat(base.get(TABLE, v("k031416"))).isNotNull();
        assertThat(ranges).as("the same block again: from the cache").hasSize(before);
        assertThat(base.get(TABLE, v("k0314165"))).as("absent").isNull();
    }
}
