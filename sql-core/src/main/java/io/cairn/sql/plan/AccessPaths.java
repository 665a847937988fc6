package io.cairn.sql.plan;

import io.cairn.sql.exec.CairnTableScan;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableCalc;
import org.apache.calcite.adapter.enumerable.EnumerableFilter;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexNode;

/**
 * A pass over a physical plan that gives every {@link CairnTableScan} the condition of the filter
 * or calc right above it, from which the scan picks point gets or key/index ranges at run time.
 * The condition stays where it is, so results never depend on the access path. Stateless.
 */
final class AccessPaths {
    private AccessPaths() {
    }

    static RelNode attach(RelNode rel) {
        List<RelNode> inputs = rel.getInputs();
        List<RelNode> attached = new ArrayList<>(inputs.size());
        boolean changed = false;
        for (RelNode input : inputs) {
            RelNode a = attach(input);
            RexNode condition = input instanceof CairnTableScan ? conditionOf(rel) : null;
            if (condition != null) {
                a = ((CairnTableScan) input).withAccessFilter(condition);
            }
            changed |= a != input;
            attached.add(a);
        }
        return changed ? rel.copy(rel.getTraitSet(), attached) : rel;
    }

    /** The filter condition {@code rel} applies to its input's rows, or null. */
    private static RexNode conditionOf(RelNode rel) {
        if (rel instanceof EnumerableFilter f) {
            return f.getCondition();
        }
        if (rel instanceof EnumerableCalc c && c.getProgram().getCondition() != null) {
            return c.getProgram().expandLocalRef(c.getProgram().getCondition());
        }
        return null;
    }
}
