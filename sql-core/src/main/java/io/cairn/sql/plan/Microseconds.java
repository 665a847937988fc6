package io.cairn.sql.plan;

import com.google.common.collect.ImmutableList;
import io.cairn.sql.codec.Temporals;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.util.TimestampString;

/**
 * Makes a plan's DATETIME/TIMESTAMP values microseconds since 1970-01-01 00:00 (MySQL's fsp 0–6), where Calcite's
 * generated code takes a TIMESTAMP to be milliseconds. Applied to the logical plan once, after conversion from SQL:
 * <ul>
 *   <li>a TIMESTAMP literal becomes {@code MYSQL_DATETIME(micros, fsp)} (Calcite would read it as milliseconds);</li>
 *   <li>casts to a TIMESTAMP become {@code MYSQL_TO_DATETIME} (rounded to the target's fsp, as MySQL does), casts of
 *       one to a string {@code MYSQL_DATETIME_STRING} (exactly the value's fsp digits);</li>
 *   <li>MICROSECOND()/EXTRACT(MICROSECOND …), DATE_FORMAT and date arithmetic ({@code MYSQL_DATE_ADD}) are
 *       Cairn's, exact to the microsecond;</li>
 *   <li>comparisons, CASE, COALESCE, IS [NOT] NULL, sorts, groupings, MIN/MAX take any unit and stay;</li>
 *   <li>any other Calcite operator that takes or returns a TIMESTAMP gets its operands in milliseconds
 *       ({@code MYSQL_DATETIME_MILLIS}) and its result back in microseconds ({@code MYSQL_MILLIS_DATETIME}): it
 *       works as before, to the millisecond.</li>
 * </ul>
 * Constant {@code VALUES} rows get the same: their TIMESTAMP literals become microseconds under a projection.
 * The operators it makes are never folded while planning, so no TIMESTAMP literal in microseconds is ever made.
 * TIME values stay milliseconds of the day (Calcite's INTEGER). Stateless; one instance per plan.
 */
public final class Microseconds extends RelHomogeneousShuttle {
    /** Operators that compare or pass TIMESTAMP values without reading their unit. */
    private static final Set<SqlKind> UNIT_FREE = Set.of(SqlKind.EQUALS, SqlKind.NOT_EQUALS, SqlKind.LESS_THAN,
            SqlKind.LESS_THAN_OR_EQUAL, SqlKind.GREATER_THAN, SqlKind.GREATER_THAN_OR_EQUAL, SqlKind.IS_DISTINCT_FROM,
            SqlKind.IS_NOT_DISTINCT_FROM, SqlKind.IS_NULL, SqlKind.IS_NOT_NULL, SqlKind.CASE, SqlKind.COALESCE,
            SqlKind.NULLIF, SqlKind.AND, SqlKind.OR, SqlKind.NOT, SqlKind.GREATEST, SqlKind.LEAST, SqlKind.ROW,
            SqlKind.INPUT_REF, SqlKind.IS_TRUE, SqlKind.IS_FALSE, SqlKind.IS_NOT_TRUE, SqlKind.IS_NOT_FALSE);
    private static final Set<SqlOperator> OWN = Set.of(MysqlOperators.DATETIME, MysqlOperators.TO_DATETIME,
            MysqlOperators.DATETIME_STRING, MysqlOperators.DATETIME_MILLIS, MysqlOperators.MILLIS_DATETIME,
            MysqlOperators.MICROSECOND, MysqlOperators.DATE_FORMAT, MysqlOperators.TIMESTAMPDIFF, MysqlOperators.DATE_ADD,
            MysqlOperators.COLLATION_KEY);

    private final RexBuilder rex;
    private final Expressions expressions = new Expressions();

    private Microseconds(RelOptCluster cluster) {
        this.rex = cluster.getRexBuilder();
    }

    /** {@code rel} with its DATETIME/TIMESTAMP values in microseconds. */
    static RelNode apply(RelNode rel) {
        return rel.accept(new Microseconds(rel.getCluster()));
    }

    @Override
    public RelNode visit(RelNode other) {
        RelNode visited = super.visit(other).accept(expressions);
        return visited instanceof Values values && values.getRowType().getFieldList().stream()
                .anyMatch(f -> isTimestamp(f.getType())) ? microsecondValues(values) : visited;
    }

    /**
     * Constant rows ({@code VALUES} of literals, which hold no expressions for {@link #expressions} to visit): each
     * TIMESTAMP column becomes BIGINT microseconds, made a DATETIME again by a projection above.
     */
    private RelNode microsecondValues(Values values) {
        List<RelDataTypeField> fields = values.getRowType().getFieldList();
        RelDataTypeFactory.Builder type = rex.getTypeFactory().builder();
        for (RelDataTypeField f : fields) {
            type.add(f.getName(), isTimestamp(f.getType()) ? bigint(f.getType().isNullable()) : f.getType());
        }
        ImmutableList.Builder<ImmutableList<RexLiteral>> tuples = ImmutableList.builder();
        for (List<RexLiteral> tuple : values.getTuples()) {
            ImmutableList.Builder<RexLiteral> row = ImmutableList.builder();
            for (int i = 0; i < tuple.size(); i++) {
                RexLiteral v = tuple.get(i);
                row.add(!isTimestamp(fields.get(i).getType()) ? v
                        : v.isNull() ? rex.makeNullLiteral(bigint(true))
                        : rex.makeBigintLiteral(BigDecimal.valueOf(micros(v.getValueAs(TimestampString.class)))));
            }
            tuples.add(row.build());
        }
        LogicalValues micros = LogicalValues.create(values.getCluster(), type.build(), tuples.build());
        List<RexNode> columns = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            RexNode ref = rex.makeInputRef(micros, i);
            RelDataType t = fields.get(i).getType();
            columns.add(isTimestamp(t) ? rex.makeCall(t, MysqlOperators.DATETIME, List.of(ref, fspLiteral(fsp(t)))) : ref);
        }
        return LogicalProject.create(micros, List.of(), columns, values.getRowType(), Set.of());
    }

    private RelDataType bigint(boolean nullable) {
        return rex.getTypeFactory().createTypeWithNullability(
                rex.getTypeFactory().createSqlType(SqlTypeName.BIGINT), nullable);
    }

    private static boolean isTimestamp(RelDataType t) {
        return t.getSqlTypeName() == SqlTypeName.TIMESTAMP;
    }

    private static int fsp(RelDataType t) {
        int p = t.getPrecision();
        return p == RelDataType.PRECISION_NOT_SPECIFIED ? 0 : Math.max(0, Math.min(6, p));
    }

    private RelDataType nullable(RelDataType t) {
        return rex.getTypeFactory().createTypeWithNullability(t, true);
    }

    private RelDataType timestamp(int fsp, boolean nullable) {
        return rex.getTypeFactory().createTypeWithNullability(
                rex.getTypeFactory().createSqlType(SqlTypeName.TIMESTAMP, fsp), nullable);
    }

    /** The DATETIME {@code micros} with {@code fsp} digits, as an expression of type {@code type}. */
    private RexNode datetime(long micros, RelDataType type) {
        return rex.makeCall(type, MysqlOperators.DATETIME, List.of(
                rex.makeBigintLiteral(BigDecimal.valueOf(micros)), rex.makeLiteral(fsp(type),
                        rex.getTypeFactory().createSqlType(SqlTypeName.INTEGER))));
    }

    private RexNode fspLiteral(int fsp) {
        return rex.makeLiteral(fsp, rex.getTypeFactory().createSqlType(SqlTypeName.INTEGER));
    }

    /** Microseconds of a TIMESTAMP literal (its own digits, up to 6). */
    public static long micros(TimestampString ts) {
        String s = ts.toString();
        long millisPart = Math.floorDiv(ts.getMillisSinceEpoch(), 1000L) * Temporals.MICROS_PER_SECOND;
        int dot = s.indexOf('.');
        if (dot < 0) {
            return millisPart;
        }
        String f = (s.substring(dot + 1) + "000000").substring(0, 6);
        return millisPart + Long.parseLong(f);
    }

    private final class Expressions extends RexShuttle {
        @Override
        public RexNode visitLiteral(RexLiteral literal) {
            if (isTimestamp(literal.getType()) && !literal.isNull()) {
                TimestampString ts = literal.getValueAs(TimestampString.class);
                return datetime(micros(ts), literal.getType());
            }
            return literal;
        }

        @Override
        public RexNode visitSubQuery(RexSubQuery subQuery) {
            RelNode rel = subQuery.rel.accept(Microseconds.this);
            List<RexNode> operands = new ArrayList<>();
            for (RexNode operand : subQuery.getOperands()) {
                operands.add(operand.accept(this));
            }
            return subQuery.clone(rel).clone(subQuery.getType(), operands);
        }

        @Override
        public RexNode visitCall(RexCall call) {
            if (call.getKind() == SqlKind.SEARCH && isTimestamp(call.getOperands().get(0).getType())) {
                return RexUtil.expandSearch(rex, null, call).accept(this);
            }
            RexCall visited = (RexCall) super.visitCall(call);
            List<RexNode> operands = visited.getOperands();
            SqlOperator op = visited.getOperator();
            boolean temporalIn = operands.stream().anyMatch(o -> isTimestamp(o.getType()));
            boolean temporalOut = isTimestamp(visited.getType());
            if (OWN.contains(op) || (!temporalIn && !temporalOut)) {
                return visited;
            }
            if (visited.getKind() == SqlKind.CAST || visited.getKind() == SqlKind.SAFE_CAST) {
                RexNode from = operands.get(0);
                if (temporalOut) {
                    if (isTimestamp(from.getType()) && fsp(visited.getType()) >= fsp(from.getType())) {
                        return rex.makeCall(visited.getType(), MysqlOperators.DATETIME,
                                List.of(from, fspLiteral(fsp(visited.getType())))); // same value, wider type
                    }
                    if (from.getType().getSqlTypeName() == SqlTypeName.TIME) {
                        return milliseconds(visited);
                    }
                    return rex.makeCall(nullable(visited.getType()), MysqlOperators.TO_DATETIME,
                            List.of(from, fspLiteral(fsp(visited.getType()))));
                }
                if (SqlTypeUtil.isCharacter(visited.getType())) {
                    RexNode text = rex.makeCall(nullable(rex.getTypeFactory().createSqlType(SqlTypeName.VARCHAR, 26)),
                            MysqlOperators.DATETIME_STRING, List.of(from, fspLiteral(fsp(from.getType()))));
                    return rex.makeCast(visited.getType(), text, true, false);
                }
            }
            if (visited.getKind() == SqlKind.EXTRACT && operands.get(0) instanceof RexLiteral unit
                    && unit.getValue() instanceof TimeUnitRange range && range == TimeUnitRange.MICROSECOND) {
                return rex.makeCast(visited.getType(), rex.makeCall(
                        nullable(rex.getTypeFactory().createSqlType(SqlTypeName.INTEGER)), MysqlOperators.MICROSECOND,
                        List.of(operands.get(1))), true, false);
            }
            if (op.getName().equalsIgnoreCase("DATE_FORMAT") && isTimestamp(operands.get(0).getType())) {
                return rex.makeCall(visited.getType(), MysqlOperators.DATE_FORMAT, operands);
            }
            if (UNIT_FREE.contains(visited.getKind())) {
                return visited;
            }
            return milliseconds(visited);
        }

        /** A Calcite operator on TIMESTAMPs in milliseconds, as before: its operands and result converted. */
        private RexNode milliseconds(RexCall call) {
            List<RexNode> ops = new ArrayList<>();
            for (RexNode o : call.getOperands()) {
                ops.add(isTimestamp(o.getType())
                        ? rex.makeCall(timestamp(Math.min(3, fsp(o.getType())), o.getType().isNullable()),
                                MysqlOperators.DATETIME_MILLIS, List.of(o))
                        : o);
            }
            RexNode inner = call.clone(call.getType(), ops);
            return isTimestamp(call.getType())
                    ? rex.makeCall(call.getType(), MysqlOperators.MILLIS_DATETIME, List.of(inner))
                    : inner;
        }
    }
}
