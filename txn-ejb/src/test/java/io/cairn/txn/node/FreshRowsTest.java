package io.cairn.txn.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.txn.Key;
import io.cairn.txn.checkpoint.CheckpointRow;
import io.cairn.txn.checkpoint.Manifest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FreshRowsTest {
    private static final TreeMap<Key, PendingChanges.Change> CHANGES = new TreeMap<>();

    static {
        put(5, 10, 1); // written at LSN 1: covered by a base at LSN 1
        put(5, 20, 2);
        put(5, 30, 3);
        put(7, 10, 1); // table 7 changed only before the base
        put(9, 40, 4);
        put(Long.MAX_VALUE, 1, 5);
    }

    private static void put(long table, int key, long lsn) {
        CHANGES.put(Key.of(table, new byte[] {(byte) key}), new PendingChanges.Change(lsn, lsn * 100, new byte[] {(byte) lsn}));
    }

    private static CheckpointCut cut() {
        return new CheckpointCut(1, 5, 500, Collections.unmodifiableNavigableMap(CHANGES), 0);
    }

    private static Manifest.Segment segment(long table, int first, int last) {
        return new Manifest.Segment(table, 0, 1, 1, "s", new byte[] {(byte) first}, new byte[] {(byte) last});
    }

    @Test
    void onlyTablesWithRowsAfterTheBaseAreListedAndOnlyThoseRowsAreRead() {
        Map<Long, FreshRows> tables = FreshRows.byTable(cut(), 1);

        assertThat(tables.keySet()).containsExactly(5L, 9L, Long.MAX_VALUE);
        assertThat(tables.get(5L).count()).isEqualTo(2);
        List<CheckpointRow> rows = new ArrayList<>();
        tables.get(5L).iterator().forEachRemaining(rows::add);
        assertThat(rows).extracting(row -> row.key()[0]).containsExactly((byte) 20, (byte) 30);
        assertThat(rows).extracting(CheckpointRow::ts).containsExactly(200L, 300L);
        assertThat(tables.get(Long.MAX_VALUE).count()).isEqualTo(1);
    }

    @Test
    void aSegmentOverlapsOnlyWhenARowAfterTheBaseLiesInItsRange() {
        FreshRows table5 = FreshRows.byTable(cut(), 1).get(5L);

        assertThat(table5.anyKeyIn(segment(5, 0, 15))).isFalse(); // key 10 is there, but covered by the base
        assertThat(table5.anyKeyIn(segment(5, 0, 20))).isTrue(); // a range starting below the table's first change
        assertThat(table5.anyKeyIn(segment(5, 25, 35))).isTrue();
        assertThat(table5.anyKeyIn(segment(5, 31, 100))).isFalse();
    }
}
