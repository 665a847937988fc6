package io.cairn.txn.node;

import io.cairn.txn.checkpoint.CheckpointRow;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.checkpoint.SegmentRows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One table's segments in a manifest, by run: the bottom run and the upper runs by run number, each
 * in key order (see {@link Manifest}). Immutable.
 */
record TableRuns(List<Manifest.Segment> bottom, NavigableMap<Long, List<Manifest.Segment>> upper) {
    static final Comparator<Manifest.Segment> BY_FIRST_KEY = (a, b) -> Arrays.compareUnsigned(a.firstKey(), b.firstKey());
    static final TableRuns NONE = new TableRuns(List.of(), Collections.emptyNavigableMap());

    /** Every table's runs in {@code manifest} (none before the first checkpoint). */
    static Map<Long, TableRuns> of(Manifest manifest) {
        Map<Long, List<Manifest.Segment>> bottoms = new TreeMap<>();
        Map<Long, NavigableMap<Long, List<Manifest.Segment>>> uppers = new TreeMap<>();
        for (Manifest.Segment s : manifest == null ? List.<Manifest.Segment>of() : manifest.segments()) {
            if (s.bottom()) {
                bottoms.computeIfAbsent(s.tableId(), id -> new ArrayList<>()).add(s);
            } else {
                uppers.computeIfAbsent(s.tableId(), id -> new TreeMap<>()).computeIfAbsent(s.run(), r -> new ArrayList<>())
                        .add(s);
            }
        }
        Map<Long, TableRuns> tables = new TreeMap<>();
        for (long table : union(bottoms.keySet(), uppers.keySet())) {
            List<Manifest.Segment> bottom = new ArrayList<>(bottoms.getOrDefault(table, List.of()));
            bottom.sort(BY_FIRST_KEY);
            NavigableMap<Long, List<Manifest.Segment>> upper = uppers.getOrDefault(table, new TreeMap<>());
            upper.values().forEach(run -> run.sort(BY_FIRST_KEY));
            tables.put(table, new TableRuns(List.copyOf(bottom), upper));
        }
        return tables;
    }

    private static List<Long> union(java.util.Set<Long> a, java.util.Set<Long> b) {
        java.util.TreeSet<Long> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }

    boolean isEmpty() {
        return bottom.isEmpty() && upper.isEmpty();
    }

    /** Every segment: the bottom run, then the upper runs oldest first. */
    List<Manifest.Segment> all() {
        List<Manifest.Segment> all = new ArrayList<>(bottom);
        upper.values().forEach(all::addAll);
        return all;
    }

    /** The rows of some segments of one run, in key order, read a block at a time. */
    static Iterator<CheckpointRow> rows(CheckpointStore store, List<Manifest.Segment> run) {
        Iterator<Manifest.Segment> segments = run.iterator();
        return new Iterator<>() {
            private Iterator<CheckpointRow> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && segments.hasNext()) {
                    current = new SegmentRows(store, segments.next());
                }
                return current.hasNext();
            }

            @Override
            public CheckpointRow next() {
                hasNext();
                return current.next();
            }
        };
    }
}
