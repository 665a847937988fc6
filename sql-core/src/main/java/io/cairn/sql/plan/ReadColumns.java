package io.cairn.sql.plan;

import io.cairn.sql.exec.CairnTableScan;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableCalc;
import org.apache.calcite.adapter.enumerable.EnumerableProject;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * A pass over a physical plan that tells every {@link CairnTableScan} which of its columns the operator
 * right above it reads, when that operator is a calc, a projection or an aggregation: only those
 * columns are then decoded from the stored rows (sysbench's {@code SUM(k)} no longer builds the 180
 * characters of {@code c} and {@code pad} per row). A scan under any other operator decodes every
 * column. Stateless.
 */
final class ReadColumns {
    private ReadColumns() {
    }

    static RelNode attach(RelNode rel) {
        return PlanRewrite.inputs(rel, (parent, input, original) -> {
            ImmutableBitSet read = original instanceof CairnTableScan scan && prunable(scan) ? readBy(parent) : null;
            return read != null && read.cardinality() < original.getRowType().getFieldCount()
                    ? ((CairnTableScan) input).withReadColumns(read) : input;
        });
    }

    /**
     * Whether a scan's rows may leave columns null. Not a one-column scan: its rows are the bare values,
     * which generated code unboxes for a NOT NULL column even where nothing reads it (COUNT(*)).
     */
    private static boolean prunable(CairnTableScan scan) {
        return scan.getRowType().getFieldCount() > 1;
    }

    /** The input columns {@code rel} reads, or null when it may read them all (or passes them on). */
    private static ImmutableBitSet readBy(RelNode rel) {
        if (rel instanceof EnumerableCalc c) {
            RexProgram p = c.getProgram();
            List<RexNode> used = new ArrayList<>(p.expandList(p.getProjectList()));
            if (p.getCondition() != null) {
                used.add(p.expandLocalRef(p.getCondition()));
            }
            return RelOptUtil.InputFinder.bits(used, null);
        }
        if (rel instanceof EnumerableProject p) {
            return RelOptUtil.InputFinder.bits(p.getProjects(), null);
        }
        if (rel instanceof Aggregate a) {
            ImmutableBitSet.Builder read = ImmutableBitSet.builder().addAll(a.getGroupSet());
            for (AggregateCall call : a.getAggCallList()) {
                read.addAll(call.getArgList());
                if (call.filterArg >= 0) {
                    read.set(call.filterArg);
                }
                read.addAll(call.collation.getKeys());
            }
            return read.build();
        }
        return null;
    }
}
