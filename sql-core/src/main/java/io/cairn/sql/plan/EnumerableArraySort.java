package io.cairn.sql.plan;

import io.cairn.sql.exec.RowSort;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.EnumerableSort;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.util.Pair;

/**
 * A full sort (no OFFSET, no FETCH) run by {@link RowSort} instead of Calcite's TreeMap-based
 * orderBy. Put in place of {@link EnumerableSort} after optimization ({@link #replaceSorts}), never
 * seen by the planner.
 */
final class EnumerableArraySort extends Sort implements EnumerableRel {
    private EnumerableArraySort(RelTraitSet traits, RelNode input, RelCollation collation) {
        super(input.getCluster(), traits, input, collation, null, null);
    }

    /** {@code rel} with every full {@link EnumerableSort} replaced by an {@link EnumerableArraySort}. */
    static RelNode replaceSorts(RelNode rel) {
        return PlanRewrite.bottomUp(rel, out -> out instanceof EnumerableSort sort && sort.offset == null && sort.fetch == null
                ? new EnumerableArraySort(sort.getTraitSet(), sort.getInput(), sort.getCollation()) : out);
    }

    @Override
    public Sort copy(RelTraitSet traits, RelNode input, RelCollation collation, RexNode offset, RexNode fetch) {
        if (offset != null || fetch != null) {
            throw new IllegalArgumentException("a full sort has no OFFSET or FETCH");
        }
        return new EnumerableArraySort(traits, input, collation);
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        BlockBuilder builder = new BlockBuilder();
        Result child = implementor.visitChild(this, 0, (EnumerableRel) getInput(), pref);
        PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), child.format);
        Expression rows = builder.append("child", child.block);
        Pair<Expression, Expression> key = child.physType.generateCollationKey(collation.getFieldCollations());
        Expression comparator = key.right != null ? builder.append("comparator", key.right)
                : Expressions.constant(null, java.util.Comparator.class);
        builder.add(Expressions.return_(null, Expressions.call(RowSort.class, "orderBy", rows,
                builder.append("keySelector", key.left), comparator)));
        return implementor.result(physType, builder.toBlock());
    }
}
