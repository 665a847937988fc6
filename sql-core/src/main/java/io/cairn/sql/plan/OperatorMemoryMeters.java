package io.cairn.sql.plan;

import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableAggregate;
import org.apache.calcite.adapter.enumerable.EnumerableSort;
import org.apache.calcite.rel.RelNode;

/**
 * A pass over a physical plan that meters the operators that hold rows in memory: the input of a full
 * sort (ORDER BY; Calcite's sort reads every row before it returns one) and the output of a hash
 * aggregation (GROUP BY, DISTINCT: one row per group, which is what its hash table holds). Streaming
 * operators (a sorted aggregation, a top-N sort) are left alone. Stateless.
 */
final class OperatorMemoryMeters {
    private OperatorMemoryMeters() {
    }

    static RelNode attach(RelNode rel) {
        return PlanRewrite.bottomUp(rel, out -> {
            if (out instanceof EnumerableSort sort && sort.offset == null && sort.fetch == null) {
                return sort.copy(sort.getTraitSet(), List.of(new EnumerableMemoryMeter(sort.getInput())));
            }
            return out instanceof EnumerableAggregate ? new EnumerableMemoryMeter(out) : out;
        });
    }
}
