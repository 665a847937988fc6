package io.cairn.sql.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.sql.codec.ValueKind;
import io.cairn.sql.plan.MysqlOperators;
import io.cairn.sql.plan.QueryCompiler;
import java.math.BigDecimal;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

/**
 * The access path still finds key points when comparisons wrap the column: in the collation key
 * (strings compare case-insensitively) or widened to DOUBLE (a number compared with a string) — and
 * never narrows a scan where the wrapping could merge values.
 */
class ColumnRangesTest {
    private final RexBuilder rex = new RexBuilder(QueryCompiler.TYPE_FACTORY);

    private RelDataType type(SqlTypeName name) {
        return QueryCompiler.TYPE_FACTORY.createSqlType(name);
    }

    private RexNode equals(RexNode a, RexNode b) {
        return rex.makeCall(SqlStdOperatorTable.EQUALS, a, b);
    }

    private List<ColumnRanges.Range> ranges(RexNode filter, ValueKind kind) {
        return ColumnRanges.of(List.of(filter), 0, kind, null);
    }

    @Test
    void aStringKeyComparedByCollationKeyIsAPointOfTheKey() {
        RexNode column = rex.makeInputRef(QueryCompiler.TYPE_FACTORY.createSqlType(SqlTypeName.VARCHAR, 20), 0);
        RexNode widened = rex.makeCast(type(SqlTypeName.VARCHAR), column);
        RexNode filter = equals(rex.makeCall(MysqlOperators.COLLATION_KEY, widened),
                rex.makeCall(MysqlOperators.COLLATION_KEY, rex.makeLiteral("ALICE ")));
        assertThat(ranges(filter, ValueKind.STRING)).containsExactly(new ColumnRanges.Range("alice", true, "alice", true));
    }

    @Test
    void aStringCastShorterIsNotTheColumn() {
        RexNode column = rex.makeInputRef(QueryCompiler.TYPE_FACTORY.createSqlType(SqlTypeName.VARCHAR, 20), 0);
        RexNode shortened = rex.makeCast(QueryCompiler.TYPE_FACTORY.createSqlType(SqlTypeName.VARCHAR, 2), column);
        RexNode filter = equals(rex.makeCall(MysqlOperators.COLLATION_KEY, shortened),
                rex.makeCall(MysqlOperators.COLLATION_KEY, rex.makeLiteral("ab")));
        assertThat(ranges(filter, ValueKind.STRING)).isNull();
    }

    @Test
    void anIntegerKeyComparedWithAStringIsAPointOfItsNumber() {
        RexNode column = rex.makeInputRef(type(SqlTypeName.INTEGER), 0);
        RexNode asDouble = rex.makeCast(type(SqlTypeName.DOUBLE), column);
        assertThat(ranges(equals(asDouble, rex.makeCall(MysqlOperators.TO_DOUBLE, rex.makeLiteral("5abc"))),
                ValueKind.INT)).containsExactly(new ColumnRanges.Range(5L, true, 5L, true));
        assertThat(ranges(equals(asDouble, rex.makeCall(MysqlOperators.TO_DOUBLE, rex.makeLiteral("abc"))),
                ValueKind.INT)).containsExactly(new ColumnRanges.Range(0L, true, 0L, true));
        assertThat(ranges(equals(asDouble, rex.makeCall(MysqlOperators.TO_DOUBLE, rex.makeLiteral("5.5"))),
                ValueKind.INT)).isNull();
    }

    @Test
    void aBigintBeyondDoublePrecisionIsNotNarrowed() {
        RexNode column = rex.makeInputRef(type(SqlTypeName.BIGINT), 0);
        RexNode asDouble = rex.makeCast(type(SqlTypeName.DOUBLE), column);
        RexNode big = rex.makeApproxLiteral(new BigDecimal("9007199254740994"));
        assertThat(ranges(equals(asDouble, big), ValueKind.LONG)).isNull();
        RexNode small = rex.makeApproxLiteral(new BigDecimal("42"));
        assertThat(ranges(equals(asDouble, small), ValueKind.LONG))
                .containsExactly(new ColumnRanges.Range(42L, true, 42L, true));
    }

    @Test
    void aNarrowingCastIsNotTheColumn() {
        RexNode column = rex.makeInputRef(type(SqlTypeName.DECIMAL), 0);
        RexNode asInt = rex.makeCast(type(SqlTypeName.INTEGER), column);
        assertThat(ranges(equals(asInt, rex.makeExactLiteral(BigDecimal.ONE)), ValueKind.DECIMAL)).isNull();
    }

    @Test
    void anIntegerParameterWidenedToABigintKeyIsAPoint() {
        RexNode column = rex.makeInputRef(type(SqlTypeName.BIGINT), 0);
        RexNode param = rex.makeCast(type(SqlTypeName.BIGINT), rex.makeDynamicParam(type(SqlTypeName.INTEGER), 0));
        org.apache.calcite.DataContext ctx = new org.apache.calcite.DataContext() {
            @Override
            public org.apache.calcite.schema.SchemaPlus getRootSchema() {
                return null;
            }

            @Override
            public org.apache.calcite.adapter.java.JavaTypeFactory getTypeFactory() {
                return null;
            }

            @Override
            public org.apache.calcite.linq4j.QueryProvider getQueryProvider() {
                return null;
            }

            @Override
            public Object get(String name) {
                return "?0".equals(name) ? 123 : null;
            }
        };
        assertThat(ColumnRanges.of(List.of(equals(column, param)), 0, ValueKind.LONG, ctx))
                .as("a point lookup, not a full scan").containsExactly(new ColumnRanges.Range(123L, true, 123L, true));
        RexNode narrowed = rex.makeCast(type(SqlTypeName.INTEGER), rex.makeDynamicParam(type(SqlTypeName.DECIMAL), 0));
        assertThat(ColumnRanges.of(List.of(equals(column, narrowed)), 0, ValueKind.LONG, ctx)).isNull();
    }
}
