package io.cairn.sql.plan;

import io.cairn.sql.exec.OperatorMemory;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.SingleRel;

/**
 * Passes its input's rows through unchanged, counting them against the statement's operator memory
 * ({@link OperatorMemory#meter}). Added to a physical plan after optimization, never seen by the planner.
 */
final class EnumerableMemoryMeter extends SingleRel implements EnumerableRel {
    EnumerableMemoryMeter(RelTraitSet traits, RelNode input) {
        super(input.getCluster(), traits, input);
    }

    EnumerableMemoryMeter(RelNode input) {
        this(input.getTraitSet(), input);
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new EnumerableMemoryMeter(traitSet, sole(inputs));
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        Result child = implementor.visitChild(this, 0, (EnumerableRel) getInput(), pref);
        BlockBuilder builder = new BlockBuilder();
        Expression rows = builder.append("metered", child.block);
        builder.add(Expressions.return_(null, Expressions.call(OperatorMemory.class, "meter", DataContext.ROOT, rows)));
        return implementor.result(child.physType, builder.toBlock());
    }
}
