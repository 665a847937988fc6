package io.cairn.sql.plan;

import com.google.common.collect.ImmutableList;
import io.cairn.sql.codec.KeyCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rel.logical.LogicalUnion;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlQuantifyOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * MySQL's default collation on a logical plan: strings compare case-insensitively and without
 * trailing spaces, by {@link KeyCodec#collationKey} — the same key that primary and unique keys are
 * stored by, so a key lookup and the comparison it serves always agree. Calcite compares strings
 * in binary; this pass, run on the plan before optimization, makes every place that compares
 * strings compare their keys instead:
 * <ul>
 *   <li>comparisons ({@code = <> < <= > >= <=>}, IN lists and BETWEEN, which arrive as these or as
 *       SEARCH) of two strings compare {@link MysqlOperators#COLLATION_KEY}s; {@code pk = 'x'}
 *       becomes {@code KEY(pk) = KEY('x')}, which the access path still reads as a point get
 *       (ColumnRanges);</li>
 *   <li>LIKE compares lower-cased strings (case-insensitive, but trailing spaces count, as in
 *       MySQL);</li>
 *   <li>IN / ANY / ALL subqueries over strings compare keys on both sides;</li>
 *   <li>ORDER BY a string sorts by its key; GROUP BY and DISTINCT (also UNION) group by keys and
 *       show each group's first spelling; MIN/MAX of strings are {@link CollatedMinMax};
 *       COUNT(DISTINCT s) counts distinct keys.</li>
 * </ul>
 * Not covered: INTERSECT/EXCEPT, window PARTITION/ORDER BY, and string functions that compare
 * (STRCMP, LOCATE, INSTR, REPLACE, FIELD), which stay case-sensitive. Stateless; one instance per plan.
 */
final class DefaultCollation extends RelHomogeneousShuttle {
    private final RexBuilder rex;
    private final StringComparisons comparisons = new StringComparisons();

    private DefaultCollation(RelOptCluster cluster) {
        this.rex = cluster.getRexBuilder();
    }

    /** {@code rel} comparing, sorting and grouping strings by the default collation. */
    static RelNode apply(RelNode rel) {
        return rel.accept(new DefaultCollation(rel.getCluster()));
    }

    @Override
    public RelNode visit(RelNode other) {
        RelNode rel = super.visit(other).accept(comparisons);
        if (rel instanceof LogicalUnion u && !u.all && hasString(u.getRowType())) {
            RelNode all = LogicalUnion.create(u.getInputs(), true);
            return grouped(LogicalAggregate.create(all, List.of(),
                    ImmutableBitSet.range(u.getRowType().getFieldCount()), null, List.of()));
        }
        if (rel instanceof LogicalSort s) {
            return sorted(s);
        }
        if (rel instanceof LogicalAggregate a && a.getGroupType() == Aggregate.Group.SIMPLE) {
            return grouped(a);
        }
        return rel;
    }

    /** A sort on strings sorting by their keys, added as columns below it and dropped above. */
    private RelNode sorted(LogicalSort sort) {
        RelNode input = sort.getInput();
        Keys keys = new Keys(input);
        List<RelFieldCollation> order = new ArrayList<>();
        for (RelFieldCollation c : sort.getCollation().getFieldCollations()) {
            order.add(isString(input, c.getFieldIndex()) ? c.withFieldIndex(keys.of(c.getFieldIndex())) : c);
        }
        if (keys.isEmpty()) {
            return sort;
        }
        RelNode sorted = LogicalSort.create(keys.project(), RelCollations.of(order), sort.offset, sort.fetch);
        return LogicalProject.create(sorted, List.of(), rex.identityProjects(input.getRowType()),
                input.getRowType().getFieldNames(), Set.of());
    }

    /**
     * An aggregate grouping strings by their keys: the keys are added as input columns and grouped
     * by, and each string group column becomes a collated MIN of the column (its first spelling);
     * string MIN/MAX become {@link CollatedMinMax}, and DISTINCT aggregates of strings take keys.
     * A projection on top restores the aggregate's columns.
     */
    private RelNode grouped(LogicalAggregate agg) {
        RelNode input = agg.getInput();
        Keys keys = new Keys(input);
        ImmutableBitSet.Builder groups = ImmutableBitSet.builder();
        for (int g : agg.getGroupSet()) {
            groups.set(isString(input, g) ? keys.of(g) : g);
        }
        List<AggregateCall> calls = new ArrayList<>();
        for (AggregateCall call : agg.getAggCallList()) {
            calls.add(collated(call, input, keys));
        }
        if (keys.isEmpty() && calls.equals(agg.getAggCallList())) {
            return agg;
        }
        ImmutableBitSet groupSet = groups.build();
        List<RexNode> out = new ArrayList<>();
        for (int g : agg.getGroupSet()) {
            if (isString(input, g)) {
                RelDataType type = agg.getRowType().getFieldList().get(out.size()).getType();
                calls.add(AggregateCall.create(CollatedMinMax.MIN, false, false, false, List.of(), List.of(g), -1,
                        null, RelCollations.EMPTY, type, null));
                out.add(new RexInputRef(groupSet.cardinality() + calls.size() - 1, type));
            } else {
                out.add(new RexInputRef(groupSet.indexOf(g), input.getRowType().getFieldList().get(g).getType()));
            }
        }
        for (int i = 0; i < agg.getAggCallList().size(); i++) {
            out.add(new RexInputRef(groupSet.cardinality() + i, calls.get(i).getType()));
        }
        RelNode grouped = LogicalAggregate.create(keys.project(), List.of(), groupSet, null, calls);
        return LogicalProject.create(grouped, List.of(), out, agg.getRowType().getFieldNames(), Set.of());
    }

    /** {@code call} under the default collation. */
    private static AggregateCall collated(AggregateCall call, RelNode input, Keys keys) {
        List<Integer> args = call.getArgList();
        boolean stringArg = args.size() == 1 && isString(input, args.get(0));
        if (stringArg && !call.isDistinct()
                && (call.getAggregation().getKind() == SqlKind.MIN || call.getAggregation().getKind() == SqlKind.MAX)) {
            return AggregateCall.create(call.getAggregation().getKind() == SqlKind.MIN ? CollatedMinMax.MIN
                            : CollatedMinMax.MAX, false, false, false, List.of(), args, call.filterArg, null,
                    RelCollations.EMPTY, call.getType(), call.getName());
        }
        if (call.isDistinct() && call.getAggregation().getKind() == SqlKind.COUNT) {
            List<Integer> keyed = new ArrayList<>();
            for (int a : args) {
                keyed.add(isString(input, a) ? keys.of(a) : a);
            }
            return call.withArgList(keyed);
        }
        return call;
    }

    private static boolean hasString(RelDataType row) {
        return row.getFieldList().stream().anyMatch(f -> SqlTypeUtil.isCharacter(f.getType()));
    }

    private static boolean isString(RelNode rel, int field) {
        return SqlTypeUtil.isCharacter(rel.getRowType().getFieldList().get(field).getType());
    }

    /** Key columns to append to {@code input}'s columns: field index → index of its key column. */
    private final class Keys {
        private final RelNode input;
        private final Map<Integer, Integer> columns = new LinkedHashMap<>();

        Keys(RelNode input) {
            this.input = input;
        }

        int of(int field) {
            return columns.computeIfAbsent(field, f -> input.getRowType().getFieldCount() + columns.size());
        }

        boolean isEmpty() {
            return columns.isEmpty();
        }

        /** {@code input} with the key columns appended. */
        RelNode project() {
            List<RexNode> exprs = new ArrayList<>(rex.identityProjects(input.getRowType()));
            List<String> names = new ArrayList<>(input.getRowType().getFieldNames());
            for (int field : columns.keySet()) {
                exprs.add(key(rex.makeInputRef(input, field)));
                names.add("$key" + field);
            }
            return LogicalProject.create(input, List.of(), exprs, names, Set.of());
        }
    }

    private RexNode key(RexNode string) {
        return rex.makeCall(MysqlOperators.COLLATION_KEY, string);
    }

    /** Comparisons, LIKE and IN/ANY subqueries of strings in a node's expressions. */
    private final class StringComparisons extends RexShuttle {
        @Override
        public RexNode visitCall(RexCall call) {
            if (call.getKind() == SqlKind.SEARCH && SqlTypeUtil.isCharacter(call.getOperands().get(0).getType())) {
                return RexUtil.expandSearch(rex, null, call).accept(this);
            }
            RexCall visited = (RexCall) super.visitCall(call);
            List<RexNode> operands = visited.getOperands();
            switch (visited.getKind()) {
                case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL,
                        IS_DISTINCT_FROM, IS_NOT_DISTINCT_FROM -> {
                    if (allStrings(operands)) {
                        return visited.clone(visited.getType(), List.of(key(operands.get(0)), key(operands.get(1))));
                    }
                }
                case LIKE -> {
                    if (allStrings(operands.subList(0, 2))) {
                        List<RexNode> lowered = new ArrayList<>(operands);
                        lowered.set(0, rex.makeCall(SqlStdOperatorTable.LOWER, operands.get(0)));
                        lowered.set(1, rex.makeCall(SqlStdOperatorTable.LOWER, operands.get(1)));
                        return visited.clone(visited.getType(), lowered);
                    }
                }
                default -> {
                }
            }
            return visited;
        }

        @Override
        public RexNode visitSubQuery(RexSubQuery subQuery) {
            RelNode rel = subQuery.rel.accept(DefaultCollation.this);
            boolean in = subQuery.getKind() == SqlKind.IN || subQuery.getKind() == SqlKind.SOME;
            List<RexNode> operands = new ArrayList<>();
            for (RexNode operand : subQuery.getOperands()) {
                operands.add(operand.accept(this));
            }
            if (!in || !allStrings(operands) || !rel.getRowType().getFieldList().stream()
                    .allMatch(f -> SqlTypeUtil.isCharacter(f.getType()))) {
                return subQuery.clone(rel).clone(subQuery.getType(), operands);
            }
            List<RexNode> keyed = new ArrayList<>();
            for (RelDataTypeField f : rel.getRowType().getFieldList()) {
                keyed.add(key(rex.makeInputRef(rel, f.getIndex())));
            }
            RelNode keyedRel = LogicalProject.create(rel, List.of(), keyed, rel.getRowType().getFieldNames(),
                    Set.of());
            ImmutableList<RexNode> keyedOperands = ImmutableList.copyOf(operands.stream().map(DefaultCollation.this::key).toList());
            return subQuery.getKind() == SqlKind.IN ? RexSubQuery.in(keyedRel, keyedOperands)
                    : RexSubQuery.some(keyedRel, keyedOperands, (SqlQuantifyOperator) subQuery.getOperator());
        }
    }

    private static boolean allStrings(List<RexNode> nodes) {
        return !nodes.isEmpty() && nodes.stream().allMatch(n -> SqlTypeUtil.isCharacter(n.getType()));
    }
}
