package io.cairn.sql.plan;

import java.util.ArrayList;
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
        List<RelNode> inputs = rel.getInputs();
        List<RelNode> attached = new ArrayList<>(inputs.size());
        boolean changed = false;
        for (RelNode input : inputs) {
            RelNode a = attach(input);
            changed |= a != input;
            attached.add(a);
        }
        RelNode out = changed ? rel.copy(rel.getTraitSet(), attached) : rel;
        if (out instanceof EnumerableSort sort && sort.offset == null && sort.fetch == null) {
            return sort.copy(sort.getTraitSet(), List.of(new EnumerableMemoryMeter(sort.getInput())));
        }
        if (out instanceof EnumerableAggregate) {
            return new EnumerableMemoryMeter(out);
        }
        return out;
    }
}
