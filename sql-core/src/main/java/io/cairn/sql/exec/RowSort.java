package io.cairn.sql.exec;

import java.util.Arrays;
import java.util.Comparator;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.linq4j.function.Function1;

/**
 * The full sort of generated plans (ORDER BY without LIMIT): every input row with its key, computed
 * once, in an array sorted by a stable merge sort. Same order as Calcite's {@code orderBy}, which
 * builds a TreeMap of key to rows (a node and a rebalancing per row, a third of an ORDER BY's CPU
 * on 100 rows). Rows whose keys compare equal keep their input order. Stateless.
 */
public final class RowSort {
    private RowSort() {
    }

    /** A row and its sort key. */
    private record Keyed<T, K>(T row, K key) {
    }

    /**
     * {@code source} ordered by {@code key} under {@code comparator}, or under the keys' natural order
     * when it is null (as Calcite's orderBy: a null key then fails).
     */
    public static <T, K> Enumerable<T> orderBy(Enumerable<T> source, Function1<T, K> key, Comparator<K> comparator) {
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<T> enumerator() {
                Keyed<T, K>[] rows = read(source, key);
                @SuppressWarnings("unchecked")
                Comparator<K> order = comparator != null ? comparator : (a, b) -> ((Comparable<K>) a).compareTo(b);
                Arrays.sort(rows, (a, b) -> order.compare(a.key(), b.key())); // stable for objects
                return Linq4j.enumerator(Arrays.stream(rows).map(Keyed::row).toList());
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <T, K> Keyed<T, K>[] read(Enumerable<T> source, Function1<T, K> key) {
        Keyed<T, K>[] rows = new Keyed[16];
        int n = 0;
        try (Enumerator<T> in = source.enumerator()) {
            while (in.moveNext()) {
                T row = in.current();
                if (n == rows.length) {
                    rows = Arrays.copyOf(rows, n * 2);
                }
                rows[n++] = new Keyed<>(row, key.apply(row));
            }
        }
        return Arrays.copyOf(rows, n);
    }
}
