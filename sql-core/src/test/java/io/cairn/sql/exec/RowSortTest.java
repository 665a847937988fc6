package io.cairn.sql.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import org.apache.calcite.linq4j.Linq4j;
import org.junit.jupiter.api.Test;

/** The full sort of generated plans: order, stability, natural order, no rows. */
class RowSortTest {
    @Test
    void ordersByKeyAndKeepsTheInputOrderOfEqualKeys() {
        List<String[]> rows = List.of(new String[] {"b", "1"}, new String[] {"a", "2"}, new String[] {"b", "3"},
                new String[] {"a", "4"}, new String[] {"c", "5"});
        List<String> out = RowSort.orderBy(Linq4j.asEnumerable(rows), (String[] r) -> r[0],
                Comparator.<String>reverseOrder()).select(r -> r[0] + r[1]).toList();
        assertThat(out).containsExactly("c5", "b1", "b3", "a2", "a4");
    }

    @Test
    void withoutAComparatorUsesTheKeysNaturalOrder() {
        List<Integer> out = RowSort.orderBy(Linq4j.asEnumerable(List.of(3, 1, 2)), (Integer i) -> i, null).toList();
        assertThat(out).containsExactly(1, 2, 3);
        assertThat(RowSort.orderBy(Linq4j.asEnumerable(List.<Integer>of()), (Integer i) -> i, null).toList()).isEmpty();
    }

    @Test
    void sortsMoreRowsThanItsFirstArrayHolds() {
        List<Integer> in = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            in.add((i * 7919) % 1000);
        }
        List<Integer> out = RowSort.orderBy(Linq4j.asEnumerable(in), (Integer i) -> i, Comparator.naturalOrder()).toList();
        assertThat(out).hasSize(1000).isSorted();
    }
}
