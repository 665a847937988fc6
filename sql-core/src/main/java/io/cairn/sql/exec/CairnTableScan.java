package io.cairn.sql.exec;

import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * The scan of a {@link CairnTable} in generated code. It carries the filter conditions evaluated
 * right above it ({@link #accessFilters}), from which the table picks its access path at run time
 * (point gets, key or index ranges — parameters are read from the DataContext then). The filters
 * themselves stay above the scan and are compiled once with the plan; the scan only needs to return
 * a superset of the rows that pass them. It may also carry the columns its consumer reads
 * ({@link #readColumns}): only those are decoded from the stored rows, the others are null. Immutable,
 * like every RelNode.
 */
public final class CairnTableScan extends TableScan implements EnumerableRel {
    private final CairnTable cairnTable;
    private final List<RexNode> accessFilters;
    /** The table columns the plan reads, or null for all of them. */
    private final ImmutableBitSet readColumns;

    private CairnTableScan(RelOptCluster cluster, RelTraitSet traits, RelOptTable table, CairnTable cairnTable,
            List<RexNode> accessFilters, ImmutableBitSet readColumns) {
        super(cluster, traits, List.of(), table);
        this.cairnTable = cairnTable;
        this.accessFilters = List.copyOf(accessFilters);
        this.readColumns = readColumns;
    }

    /** A full scan of {@code table}, in the enumerable convention. */
    static CairnTableScan create(RelOptCluster cluster, RelOptTable table, CairnTable cairnTable) {
        return new CairnTableScan(cluster, cluster.traitSetOf(EnumerableConvention.INSTANCE), table, cairnTable, List.of(),
                null);
    }

    /** This scan choosing its access path from {@code condition} (over this scan's columns). */
    public CairnTableScan withAccessFilter(RexNode condition) {
        return new CairnTableScan(getCluster(), getTraitSet(), getTable(), cairnTable, List.of(condition), readColumns);
    }

    /**
     * This scan decoding only the table columns in {@code columns} (indexes into the row type): the
     * caller guarantees that nothing reads the others.
     */
    public CairnTableScan withReadColumns(ImmutableBitSet columns) {
        return new CairnTableScan(getCluster(), getTraitSet(), getTable(), cairnTable, accessFilters, columns);
    }

    /** The table columns decoded, or null for all. */
    public ImmutableBitSet readColumns() {
        return readColumns;
    }

    public List<RexNode> accessFilters() {
        return accessFilters;
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new CairnTableScan(getCluster(), traitSet, getTable(), cairnTable, accessFilters, readColumns);
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
        return super.explainTerms(pw).itemIf("access", accessFilters, !accessFilters.isEmpty())
                .itemIf("read", readColumns, readColumns != null);
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        boolean scalar = getRowType().getFieldCount() == 1;
        PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(),
                scalar ? JavaRowFormat.SCALAR : JavaRowFormat.ARRAY);
        Expression table = implementor.stash(cairnTable, CairnTable.class);
        Expression filters = implementor.stash(accessFilters, List.class);
        BlockBuilder body = new BlockBuilder();
        if (readColumns == null) {
            body.add(Expressions.return_(null, Expressions.call(table, scalar ? "scanScalar" : "scan",
                    implementor.getRootExpression(), filters)));
        } else {
            boolean[] read = new boolean[cairnTable.definition().columns().size()];
            readColumns.forEach(i -> {
                if (i < read.length) { // the DML row-key column is not a table column
                    read[i] = true;
                }
            });
            body.add(Expressions.return_(null, Expressions.call(table, scalar ? "scanScalar" : "scan",
                    implementor.getRootExpression(), filters, implementor.stash(read, boolean[].class))));
        }
        return implementor.result(physType, body.toBlock());
    }
}
