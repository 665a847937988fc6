package io.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.txn.Key;
import io.cairn.txn.Write;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MvccStoreTest {
    private static final Key A = Key.of(7, "a".getBytes(StandardCharsets.UTF_8));
    private static final Key B = Key.of(7, "b".getBytes(StandardCharsets.UTF_8));

    private static byte[] v(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String read(MvccStore store, Key key, long ts) {
        byte[] b = store.get(key, ts);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void pruningKeepsWhatSnapshotsAtOrAfterTheHorizonSee() {
        MvccStore store = new MvccStore();
        store.apply(10, List.of(Write.put(A, v("a1")), Write.put(B, v("b1"))));
        store.apply(20, List.of(Write.put(A, v("a2"))));
        store.apply(30, List.of(Write.put(A, v("a3")), Write.delete(B)));
        store.apply(40, List.of(Write.put(A, v("a4"))));

        assertThat(store.prune(25)).isEqualTo(1); // a1 goes; a2 is what a snapshot at 25 sees
        assertThat(store.versionCount(A)).isEqualTo(3);
        assertThat(read(store, A, 25)).isEqualTo("a2");
        assertThat(read(store, A, 30)).isEqualTo("a3");
        assertThat(read(store, A, 40)).isEqualTo("a4");
        assertThat(read(store, B, 25)).isEqualTo("b1");
        assertThat(read(store, B, 30)).isNull();

        // past the deletion: b is gone altogether, a keeps only its newest version
        assertThat(store.prune(45)).isEqualTo(4);
        assertThat(store.versionCount(A)).isEqualTo(1);
        assertThat(store.versionCount(B)).isZero();
        assertThat(read(store, A, 45)).isEqualTo("a4");
        assertThat(store.scan(7, null, null, 45)).toIterable().hasSize(1);

        // nothing left to do, and later versions are pruned again later
        assertThat(store.prune(45)).isZero();
        store.apply(50, List.of(Write.put(A, v("a5"))));
        assertThat(store.prune(49)).isZero();
        assertThat(store.prune(50)).isEqualTo(1);
        assertThat(read(store, A, 50)).isEqualTo("a5");
    }

    @Test
    void aDroppedKeySpaceIsFreedOnceNoSnapshotBeforeTheDropIsInUse() {
        MvccStore store = new MvccStore();
        store.apply(10, List.of(Write.put(A, v("a1")), Write.put(B, v("b1"))));
        Key marker = MvccStore.dropMarker(7);
        store.apply(20, List.of(Write.put(marker, new byte[0])));
        assertThat(store.prune(19)).isZero();
        assertThat(read(store, A, 19)).as("older snapshots still read the dropped table").isEqualTo("a1");
        assertThat(store.prune(20)).isEqualTo(2);
        assertThat(read(store, A, 30)).isNull();
        assertThat(store.scan(7, null, null, 30)).toIterable().isEmpty();
    }
}
