package io.cairn.mysql;

/**
 * MySQL column (field) type codes as they appear on the wire in column definitions and in
 * COM_STMT_EXECUTE parameter types.
 */
public enum ColumnType {
    DECIMAL(0x00), TINY(0x01), SHORT(0x02), LONG(0x03), FLOAT(0x04), DOUBLE(0x05), NULL(0x06),
    TIMESTAMP(0x07), LONGLONG(0x08), INT24(0x09), DATE(0x0a), TIME(0x0b), DATETIME(0x0c), YEAR(0x0d),
    VARCHAR(0x0f), BIT(0x10), JSON(0xf5), NEWDECIMAL(0xf6), ENUM(0xf7), SET(0xf8), TINY_BLOB(0xf9),
    MEDIUM_BLOB(0xfa), LONG_BLOB(0xfb), BLOB(0xfc), VAR_STRING(0xfd), STRING(0xfe), GEOMETRY(0xff);

    private static final ColumnType[] BY_CODE = new ColumnType[256];

    static {
        for (ColumnType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    ColumnType(int code) {
        this.code = code;
    }

    /** The one-byte wire code. */
    public int code() {
        return code;
    }

    /** The type for a wire code, or null when the code is not a MySQL type. */
    public static ColumnType fromCode(int code) {
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }

    /** True for the integer types (TINY, SHORT, INT24, LONG, LONGLONG, YEAR). */
    public boolean isInteger() {
        return this == TINY || this == SHORT || this == INT24 || this == LONG || this == LONGLONG || this == YEAR;
    }

    /** True for DATE, DATETIME and TIMESTAMP. */
    public boolean isDateLike() {
        return this == DATE || this == DATETIME || this == TIMESTAMP;
    }

    /** True for the BLOB/TEXT family. */
    public boolean isBlob() {
        return this == TINY_BLOB || this == MEDIUM_BLOB || this == LONG_BLOB || this == BLOB;
    }
}
