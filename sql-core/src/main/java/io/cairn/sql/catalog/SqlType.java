package io.cairn.sql.catalog;

import io.cairn.mysql.ColumnType;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.StatementText;
import io.cairn.sql.SqlException;
import io.cairn.sql.codec.Temporals;
import io.cairn.sql.codec.ValueKind;
import io.cairn.sql.codec.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A column's declared type: base type, length (characters, bytes or DECIMAL precision), scale and
 * signedness. Knows how a value of it is stored ({@link #kind()}), how Calcite sees it and how an
 * incoming value is converted to it under MySQL's strict mode ({@link #coerce}).
 *
 * @param base     the base type
 * @param length   declared length or precision, 0 when not declared
 * @param scale    DECIMAL scale
 * @param unsigned INT family / DECIMAL UNSIGNED
 */
public record SqlType(DataType base, long length, int scale, boolean unsigned) {

    public static SqlType of(DataType base) {
        return new SqlType(base, 0, 0, false);
    }

    /** The stored Java representation: UNSIGNED INT widens to LONG, UNSIGNED BIGINT to DECIMAL. */
    public ValueKind kind() {
        if (unsigned && base == DataType.INT) {
            return ValueKind.LONG;
        }
        if (unsigned && base == DataType.BIGINT) {
            return ValueKind.DECIMAL;
        }
        return base.baseKind();
    }

    public int precision() {
        return base == DataType.DECIMAL ? (int) (length == 0 ? 10 : length) : 0;
    }

    /** Fractional-second digits of DATETIME/TIMESTAMP/TIME (MySQL's fsp, 0–6); 0 for other types. */
    public int fsp() {
        return base == DataType.DATETIME || base == DataType.TIMESTAMP || base == DataType.TIME
                ? (int) Math.max(0, Math.min(6, length)) : 0;
    }

    /** The longest value in characters (strings) or bytes (binaries); 0 for other types. */
    public long maxLength() {
        if (base == DataType.CHAR || base == DataType.BINARY) {
            return length == 0 ? 1 : length;
        }
        if (base == DataType.VARCHAR || base == DataType.VARBINARY) {
            return length;
        }
        return base.maxLength();
    }

    /** The Calcite type of a column of this type. */
    public RelDataType toCalcite(RelDataTypeFactory factory, boolean nullable) {
        RelDataType t = switch (kind()) {
            case INT -> factory.createSqlType(SqlTypeName.INTEGER);
            case LONG -> factory.createSqlType(SqlTypeName.BIGINT);
            case DECIMAL -> base == DataType.BIGINT ? factory.createSqlType(SqlTypeName.DECIMAL, 20, 0)
                    : factory.createSqlType(SqlTypeName.DECIMAL, precision(), scale);
            case DOUBLE -> factory.createSqlType(SqlTypeName.DOUBLE);
            case STRING -> factory.createSqlType(SqlTypeName.VARCHAR,
                    (int) Math.min(Integer.MAX_VALUE, Math.max(1, maxLength())));
            case BYTES -> factory.createSqlType(SqlTypeName.VARBINARY,
                    (int) Math.min(Integer.MAX_VALUE, Math.max(1, maxLength())));
            case DATE -> factory.createSqlType(SqlTypeName.DATE);
            case TIMESTAMP -> factory.createSqlType(SqlTypeName.TIMESTAMP, fsp());
            case TIME -> factory.createSqlType(SqlTypeName.TIME, fsp());
        };
        return factory.createTypeWithNullability(t, nullable);
    }

    /** The wire type of a result column of this type. */
    public ColumnType wireType() {
        return switch (base) {
            case TINYINT, BOOLEAN -> ColumnType.TINY;
            case SMALLINT -> ColumnType.SHORT;
            case MEDIUMINT -> ColumnType.INT24;
            case INT -> ColumnType.LONG;
            case BIGINT -> ColumnType.LONGLONG;
            case YEAR -> ColumnType.YEAR;
            case DECIMAL -> ColumnType.NEWDECIMAL;
            case FLOAT -> ColumnType.FLOAT;
            case DOUBLE -> ColumnType.DOUBLE;
            case CHAR, BINARY -> ColumnType.STRING;
            case VARCHAR, VARBINARY -> ColumnType.VAR_STRING;
            case TINYTEXT, TINYBLOB -> ColumnType.TINY_BLOB;
            case TEXT, BLOB -> ColumnType.BLOB;
            case MEDIUMTEXT, MEDIUMBLOB -> ColumnType.MEDIUM_BLOB;
            case LONGTEXT, LONGBLOB -> ColumnType.LONG_BLOB;
            case DATE -> ColumnType.DATE;
            case DATETIME -> ColumnType.DATETIME;
            case TIMESTAMP -> ColumnType.TIMESTAMP;
            case TIME -> ColumnType.TIME;
        };
    }

    /** The type as SHOW CREATE TABLE / SHOW COLUMNS print it, e.g. {@code varchar(20)}, {@code int unsigned}. */
    public String ddl() {
        String s = switch (base) {
            case BOOLEAN -> "tinyint(1)";
            case DECIMAL -> "decimal(" + precision() + "," + scale + ")";
            case CHAR, BINARY -> base.sqlName() + "(" + maxLength() + ")";
            case VARCHAR, VARBINARY -> base.sqlName() + "(" + length + ")";
            case DOUBLE, FLOAT -> length > 0 ? base.sqlName() + "(" + length + "," + scale + ")" : base.sqlName();
            case DATETIME, TIMESTAMP, TIME -> fsp() > 0 ? base.sqlName() + "(" + fsp() + ")" : base.sqlName();
            default -> base.sqlName();
        };
        return unsigned ? s + " unsigned" : s;
    }

    /**
     * Converts a value arriving from a client or a query (external Java types: numbers, strings,
     * booleans, java.time values, byte arrays, or null) to this type's stored representation, as
     * MySQL's strict mode does: out-of-range numbers fail with 1264, too-long strings with 1406,
     * unparsable values with 1366 (dates: 1292).
     *
     * @param column the column name for messages
     * @param row    the 1-based row number for messages
     */
    public Object coerce(Object value, String column, long row) {
        if (value == null) {
            return null;
        }
        switch (kind()) {
            case INT, LONG -> {
                BigDecimal d = toDecimal(value, "integer", column, row).setScale(0, RoundingMode.HALF_UP);
                long min = unsigned ? 0 : base.min();
                long max = unsigned ? (base == DataType.INT ? 4294967295L : base.max() * 2 + 1) : base.max();
                if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
                    throw new SqlException(MysqlError.DATA_OUT_OF_RANGE, column, row);
                }
                return kind() == ValueKind.INT ? (Object) d.intValue() : (Object) d.longValue();
            }
            case DECIMAL -> {
                int s = base == DataType.BIGINT ? 0 : scale;
                int p = base == DataType.BIGINT ? 20 : precision();
                BigDecimal d = toDecimal(value, "decimal", column, row).setScale(s, RoundingMode.HALF_UP);
                if (d.precision() - d.scale() > p - s || (unsigned && d.signum() < 0)
                        || (base == DataType.BIGINT && d.compareTo(new BigDecimal("18446744073709551615")) > 0)) {
                    throw new SqlException(MysqlError.DATA_OUT_OF_RANGE, column, row);
                }
                return d;
            }
            case DOUBLE -> {
                double d = value instanceof Number n ? n.doubleValue()
                        : toDecimal(value, "double", column, row).doubleValue();
                if (Double.isInfinite(d) || Double.isNaN(d) || (unsigned && d < 0)) {
                    throw new SqlException(MysqlError.DATA_OUT_OF_RANGE, column, row);
                }
                return d;
            }
            case STRING -> {
                String s = toText(value);
                if (StatementText.hasRawBytes(s)) {
                    throw new SqlException(MysqlError.TRUNCATED_WRONG_VALUE_FOR_FIELD, "string",
                            rawBytesOf(s), column, row);
                }
                long max = maxLength();
                if (max > 0 && s.codePointCount(0, s.length()) > max) {
                    throw new SqlException(MysqlError.DATA_TOO_LONG, column, row);
                }
                return s;
            }
            case BYTES -> {
                byte[] b = value instanceof byte[] raw ? raw
                        : value instanceof ByteString bs ? bs.getBytes()
                        : StatementText.encode(toText(value));
                long max = maxLength();
                if (max > 0 && b.length > max) {
                    throw new SqlException(MysqlError.DATA_TOO_LONG, column, row);
                }
                return new ByteString(b);
            }
            case DATE -> {
                return (int) Temporals.toDate(value, column, row).toEpochDay();
            }
            case TIMESTAMP -> {
                // microseconds, rounded to the column's fsp as MySQL does
                return Temporals.toMicros(Temporals.toDateTime(value, column, row), fsp());
            }
            case TIME -> {
                // milliseconds of the day (Calcite's TIME): rounded to the column's fsp, at most 3 digits
                long unit = (long) Math.pow(10, 9 - Math.min(3, fsp()));
                long nanos = Temporals.toTime(value, column, row).toNanoOfDay();
                return (int) Math.min((nanos + unit / 2) / unit * unit / 1_000_000, 86_399_999);
            }
            default -> throw new IllegalStateException(kind().name());
        }
    }

    /** MySQL's rendering in its 1366 message: up to six bytes from the first that is not UTF-8, as \\xHH. */
    private static String rawBytesOf(String s) {
        int first = 0;
        while (first < s.length() && !StatementText.hasRawBytes(s.substring(first, first + 1))) {
            first++;
        }
        byte[] b = StatementText.encode(s.substring(first));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 6); i++) {
            out.append(String.format("\\x%02X", b[i] & 0xFF));
        }
        return out.toString();
    }

    private static String toText(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (value instanceof ByteString bs) {
            return new String(bs.getBytes(), StandardCharsets.UTF_8);
        }
        if (value instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Double || value instanceof Float) {
            return Values.formatDouble(((Number) value).doubleValue());
        }
        if (value instanceof LocalDateTime t) {
            return Temporals.format(t);
        }
        if (value instanceof Duration d) {
            return Temporals.format(d);
        }
        return value.toString();
    }

    private static BigDecimal toDecimal(Object value, String typeName, String column, long row) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new SqlException(MysqlError.DATA_OUT_OF_RANGE, column, row);
            }
            return new BigDecimal(Double.toString(d));
        }
        if (value instanceof Boolean b) {
            return b ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        String text = toText(value).trim();
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new SqlException(MysqlError.TRUNCATED_WRONG_VALUE_FOR_FIELD, e, typeName, text, column, row);
        }
    }
}
