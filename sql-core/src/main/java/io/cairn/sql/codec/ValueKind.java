package io.cairn.sql.codec;

/**
 * The Java representation of a stored value, which is also Calcite's internal representation of the
 * SQL type, so rows flow from the store into generated code without conversion.
 */
public enum ValueKind {
    /** {@link Integer}: TINYINT…INT, BOOLEAN. */
    INT,
    /** {@link Long}: BIGINT, INT UNSIGNED. */
    LONG,
    /** {@link java.math.BigDecimal}: DECIMAL, BIGINT UNSIGNED. */
    DECIMAL,
    /** {@link Double}: FLOAT, DOUBLE. */
    DOUBLE,
    /** {@link String}: CHAR, VARCHAR, TEXT. */
    STRING,
    /** {@link org.apache.calcite.avatica.util.ByteString}: BINARY, VARBINARY, BLOB. */
    BYTES,
    /** {@link Integer} days since 1970-01-01: DATE. */
    DATE,
    /** {@link Long} milliseconds since 1970-01-01T00:00 (no zone): DATETIME, TIMESTAMP. */
    TIMESTAMP,
    /** {@link Integer} milliseconds of the day: TIME. */
    TIME
}
