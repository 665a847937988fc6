package io.cairn.txn.node;

import io.cairn.txn.Key;
import io.cairn.txn.checkpoint.CheckpointRow;
import io.cairn.txn.checkpoint.Manifest;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;

/**
 * One table's changes in a {@link CheckpointCut} that the base manifest does not cover (written after its
 * LSN), read in key order straight from the cut: a checkpoint makes each row as it writes it, so it never
 * holds a copy of the cut. Immutable, as the cut is.
 *
 * <p>Plain loops, not streams: a stream over a TreeMap's sub-map first asks for its size, which walks the whole
 * range once more (in a bulk load, a third of the checkpoint thread's time went into these walks).
 */
final class FreshRows {
    private static final byte[] NO_BYTES = new byte[0];

    private final long tableId;
    private final NavigableMap<Key, PendingChanges.Change> changes;
    private final long baseLsn;
    private final long count;

    private FreshRows(long tableId, NavigableMap<Key, PendingChanges.Change> changes, long baseLsn, long count) {
        this.tableId = tableId;
        this.changes = changes;
        this.baseLsn = baseLsn;
        this.count = count;
    }

    /** Per table with at least one change after {@code baseLsn}, in table order. */
    static Map<Long, FreshRows> byTable(CheckpointCut cut, long baseLsn) {
        Map<Long, FreshRows> tables = new LinkedHashMap<>();
        NavigableMap<Key, PendingChanges.Change> all = cut.changes();
        Key first = all.isEmpty() ? null : all.firstKey();
        while (first != null) {
            long table = first.tableId();
            Key start = Key.of(table, NO_BYTES); // the whole table's range: anyKeyIn looks up any key of it
            NavigableMap<Key, PendingChanges.Change> rows = table == Long.MAX_VALUE
                    ? all.tailMap(start, true)
                    : all.subMap(start, true, Key.of(table + 1, NO_BYTES), false);
            long count = 0;
            for (PendingChanges.Change change : rows.values()) {
                if (change.lsn() > baseLsn) {
                    count++;
                }
            }
            if (count > 0) {
                tables.put(table, new FreshRows(table, rows, baseLsn, count));
            }
            first = table == Long.MAX_VALUE ? null : all.ceilingKey(Key.of(table + 1, NO_BYTES));
        }
        return tables;
    }

    /** How many rows. */
    long count() {
        return count;
    }

    /** The rows in key order, made one at a time. */
    Iterator<CheckpointRow> iterator() {
        Iterator<Map.Entry<Key, PendingChanges.Change>> entries = changes.entrySet().iterator();
        return new Iterator<>() {
            private CheckpointRow next = advance();

            private CheckpointRow advance() {
                while (entries.hasNext()) {
                    Map.Entry<Key, PendingChanges.Change> entry = entries.next();
                    if (entry.getValue().lsn() > baseLsn) {
                        return new CheckpointRow(entry.getKey().bytes(), entry.getValue().ts(), entry.getValue().value());
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public CheckpointRow next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                CheckpointRow row = next;
                next = advance();
                return row;
            }
        };
    }

    /** Whether one of the rows lies in the segment's key range. */
    boolean anyKeyIn(Manifest.Segment segment) {
        Key last = Key.of(tableId, segment.lastKey());
        for (Map.Entry<Key, PendingChanges.Change> entry
                : changes.tailMap(Key.of(tableId, segment.firstKey()), true).entrySet()) {
            if (entry.getKey().compareTo(last) > 0) {
                return false;
            }
            if (entry.getValue().lsn() > baseLsn) {
                return true;
            }
        }
        return false;
    }
}
