package io.cairn.sql.exec;

import io.cairn.mysql.Charsets;
import io.cairn.mysql.ColumnDef;
import io.cairn.mysql.ColumnFlags;
import io.cairn.mysql.ColumnType;
import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import io.cairn.sql.plan.CompiledQuery;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;

/**
 * Runs a {@link CompiledQuery} and converts its rows and row type to what the MySQL wire layer sends.
 * Stateless and thread-safe. Errors of the generated code: an {@link ArithmeticException} (also one that
 * failed a plan class's static initializer, where constants are computed) is 1690 "BIGINT value is out of
 * range"; a plan class that cannot load is an {@link IllegalStateException}.
 */
public final class QueryRunner {
    private QueryRunner() {
    }

    /**
     * The rows with values converted to the wire layer's Java types, all in memory (for small internal results;
     * a client's result set and the rows a DML statement changes stream through {@link QueryRows}).
     */
    public static List<Object[]> externalRows(CompiledQuery query, ExecContext ctx) {
        List<Object[]> rows = new ArrayList<>();
        try (QueryRows cursor = QueryRows.open(query, ctx, true)) {
            for (Object[] row = cursor.next(); row != null; row = cursor.next()) {
                rows.add(row);
            }
        }
        return rows;
    }

    /** One internal value as an external one (java.time, byte[], 1/0 for booleans). */
    public static Object external(RelDataType type, Object v) {
        if (v == null) {
            return null;
        }
        switch (type.getSqlTypeName()) {
            case BOOLEAN:
                return v instanceof Boolean b ? (b ? 1L : 0L) : v;
            case DATE:
                return v instanceof Number n ? LocalDate.ofEpochDay(n.longValue()) : v;
            case TIMESTAMP:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return v instanceof Number n ? io.cairn.sql.codec.Temporals.ofMicros(n.longValue()) : v; // microseconds
            case TIME:
                return v instanceof Number n ? LocalTime.ofNanoOfDay(n.longValue() * 1_000_000L) : v;
            case BINARY:
            case VARBINARY:
                return v instanceof ByteString bs ? bs.getBytes() : v;
            case DECIMAL:
                if (v instanceof BigDecimal d && type.getScale() >= 0 && type.getScale() <= 30 && d.scale() != type.getScale()) {
                    return d.setScale(type.getScale(), RoundingMode.HALF_UP);
                }
                return v;
            case REAL:
            case FLOAT:
                return v instanceof Number n ? (Object) n.doubleValue() : v;
            default:
                return v;
        }
    }

    /**
     * Column definitions of a result row type, where columns Calcite named {@code EXPR$n} take the
     * select item's text from {@code labels} (one per column, or null to keep Calcite's names).
     */
    public static List<ColumnDef> columns(RelDataType rowType, List<String> labels) {
        List<RelDataTypeField> fields = rowType.getFieldList();
        boolean relabel = labels != null && labels.size() == fields.size();
        List<ColumnDef> out = new ArrayList<>(fields.size());
        for (int i = 0; i < fields.size(); i++) {
            RelDataTypeField f = fields.get(i);
            String name = relabel && f.getName().startsWith("EXPR$") ? labels.get(i) : f.getName();
            out.add(column(name, f.getType()));
        }
        return out;
    }

    static ColumnDef column(String name, RelDataType t) {
        ColumnType wire = switch (t.getSqlTypeName()) {
            case TINYINT -> ColumnType.TINY;
            case SMALLINT -> ColumnType.SHORT;
            case INTEGER -> ColumnType.LONG;
            case BIGINT, BOOLEAN -> ColumnType.LONGLONG;
            case DECIMAL -> ColumnType.NEWDECIMAL;
            case DOUBLE, FLOAT, REAL -> ColumnType.DOUBLE;
            case DATE -> ColumnType.DATE;
            case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> ColumnType.DATETIME;
            case TIME -> ColumnType.TIME;
            case BINARY, VARBINARY -> ColumnType.BLOB;
            case NULL -> ColumnType.NULL;
            default -> ColumnType.VAR_STRING;
        };
        ColumnDef c = ColumnDef.of(name, wire);
        if (wire == ColumnType.NEWDECIMAL) {
            c = c.withDecimals(Math.max(0, Math.min(30, t.getScale())));
        }
        if (wire == ColumnType.DATETIME || wire == ColumnType.TIME) {
            // MySQL: the fsp as the column's decimals, the fraction and its point in its length
            int fsp = t.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED ? 0 : Math.max(0, Math.min(6, t.getPrecision()));
            c = c.withDecimals(fsp).withLength((wire == ColumnType.TIME ? 10 : 19) + (fsp > 0 ? fsp + 1 : 0));
        }
        if (wire == ColumnType.BLOB) {
            c = c.withCharset(Charsets.BINARY);
        }
        if (!t.isNullable()) {
            c = c.withFlags(ColumnFlags.NOT_NULL);
        }
        return c;
    }
}
