package io.cairn.sql.catalog;

import io.cairn.sql.codec.ValueKind;

/** The MySQL column types Cairn stores, with the Java representation of each. */
public enum DataType {
    TINYINT("tinyint", ValueKind.INT, -128, 127),
    SMALLINT("smallint", ValueKind.INT, -32768, 32767),
    MEDIUMINT("mediumint", ValueKind.INT, -8388608, 8388607),
    INT("int", ValueKind.INT, Integer.MIN_VALUE, Integer.MAX_VALUE),
    BIGINT("bigint", ValueKind.LONG, Long.MIN_VALUE, Long.MAX_VALUE),
    BOOLEAN("tinyint", ValueKind.INT, -128, 127),
    YEAR("year", ValueKind.INT, 0, 2155),
    DECIMAL("decimal", ValueKind.DECIMAL, 0, 0),
    FLOAT("float", ValueKind.DOUBLE, 0, 0),
    DOUBLE("double", ValueKind.DOUBLE, 0, 0),
    CHAR("char", ValueKind.STRING, 0, 0),
    VARCHAR("varchar", ValueKind.STRING, 0, 0),
    TINYTEXT("tinytext", ValueKind.STRING, 0, 0),
    TEXT("text", ValueKind.STRING, 0, 0),
    MEDIUMTEXT("mediumtext", ValueKind.STRING, 0, 0),
    LONGTEXT("longtext", ValueKind.STRING, 0, 0),
    BINARY("binary", ValueKind.BYTES, 0, 0),
    VARBINARY("varbinary", ValueKind.BYTES, 0, 0),
    TINYBLOB("tinyblob", ValueKind.BYTES, 0, 0),
    BLOB("blob", ValueKind.BYTES, 0, 0),
    MEDIUMBLOB("mediumblob", ValueKind.BYTES, 0, 0),
    LONGBLOB("longblob", ValueKind.BYTES, 0, 0),
    DATE("date", ValueKind.DATE, 0, 0),
    DATETIME("datetime", ValueKind.TIMESTAMP, 0, 0),
    TIMESTAMP("timestamp", ValueKind.TIMESTAMP, 0, 0),
    TIME("time", ValueKind.TIME, 0, 0);

    private final String sqlName;
    private final ValueKind kind;
    private final long min;
    private final long max;

    DataType(String sqlName, ValueKind kind, long min, long max) {
        this.sqlName = sqlName;
        this.kind = kind;
        this.min = min;
        this.max = max;
    }

    /** The name SHOW CREATE TABLE and information_schema print. */
    public String sqlName() {
        return sqlName;
    }

    /** The Java representation before {@link SqlType#unsigned()} widening. */
    public ValueKind baseKind() {
        return kind;
    }

    public boolean isInteger() {
        return min != max;
    }

    public long min() {
        return min;
    }

    public long max() {
        return max;
    }

    public boolean isString() {
        return kind == ValueKind.STRING;
    }

    public boolean isBinary() {
        return kind == ValueKind.BYTES;
    }

    /** The maximum length in characters (strings) or bytes (binaries) without a declared length. */
    public long maxLength() {
        return switch (this) {
            case TINYTEXT, TINYBLOB -> 255;
            case TEXT, BLOB -> 65535;
            case MEDIUMTEXT, MEDIUMBLOB -> 16777215;
            case LONGTEXT, LONGBLOB -> 4294967295L;
            default -> 0;
        };
    }
}
