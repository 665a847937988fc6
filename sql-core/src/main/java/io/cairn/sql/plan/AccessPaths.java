package io.cairn.sql.plan;

import io.cairn.sql.exec.CairnTableScan;
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
        return PlanRewrite.inputs(rel, (parent, input, original) -> {
            RexNode condition = original instanceof CairnTableScan ? conditionOf(parent) : null;
            return condition != null ? ((CairnTableScan) input).withAccessFilter(condition) : input;
        });
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
