package io.cairn.mysql;

/**
 * One bound value of a COM_STMT_EXECUTE, decoded from the binary protocol.
 *
 * <p>Value types by wire type: TINY/SHORT/INT24/LONG/LONGLONG/YEAR → {@link Long} (unsigned BIGINT above
 * {@code Long.MAX_VALUE} → {@link java.math.BigInteger}); FLOAT/DOUBLE → {@link Double};
 * DECIMAL/NEWDECIMAL → {@link java.math.BigDecimal}; DATE → {@link java.time.LocalDate};
 * DATETIME/TIMESTAMP → {@link java.time.LocalDateTime}; TIME → {@link java.time.Duration};
 * BLOB family, BIT and GEOMETRY → {@code byte[]}; other string types (VARCHAR, VAR_STRING, STRING, JSON,
 * ENUM, SET) → {@link String} (decoded as UTF-8); NULL or a null-bitmap bit → {@code null}. A value sent with
 * COM_STMT_SEND_LONG_DATA arrives here as {@code byte[]} for BLOB types and {@link String} otherwise.
 *
 * <p>Drivers bind {@code byte[]} values with string types too (Connector/J sends {@code setBytes} as
 * VAR_STRING), so for every string and BLOB type {@link #raw()} keeps the bytes exactly as sent: an engine
 * storing into a binary column must use them rather than the decoded String.
 *
 * @param type     the type the client bound
 * @param unsigned whether the client flagged the value unsigned
 * @param value    the decoded value, null for SQL NULL
 * @param raw      the undecoded bytes of a string-family or BLOB value; null for other types and NULL
 */
public record Parameter(ColumnType type, boolean unsigned, Object value, byte[] raw) {
    /** A parameter without raw bytes (numbers, temporals, NULL). */
    public Parameter(ColumnType type, boolean unsigned, Object value) {
        this(type, unsigned, value, null);
    }
}
