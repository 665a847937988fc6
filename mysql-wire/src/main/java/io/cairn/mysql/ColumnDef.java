package io.cairn.mysql;

import java.util.Objects;

/**
 * Describes one result (or parameter) column: everything a MySQL column definition packet carries.
 * The wire layer encodes row values according to {@link #type()} (binary protocol) and {@link #flags()}
 * ({@link ColumnFlags#UNSIGNED} changes how integers are written); see {@link QueryResult.Rows} for the
 * Java value types accepted for each column type.
 *
 * @param schema    database name ("" when not a table column)
 * @param table     table alias
 * @param orgTable  physical table name
 * @param name      column alias (the label clients show)
 * @param orgName   physical column name
 * @param charset   collation id: {@link Charsets#UTF8MB4}, {@link Charsets#UTF8} or {@link Charsets#BINARY}
 * @param length    maximum display length in bytes
 * @param type      MySQL column type
 * @param flags     {@link ColumnFlags} bits
 * @param decimals  digits after the point (DECIMAL, DOUBLE, fractional seconds); 0x1f = not fixed
 */
public record ColumnDef(String schema, String table, String orgTable, String name, String orgName,
                        int charset, long length, ColumnType type, int flags, int decimals) {

    public ColumnDef {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(orgTable, "orgTable");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(orgName, "orgName");
        Objects.requireNonNull(type, "type");
        if (charset < 0 || charset > 0xFFFF || length < 0 || length > 0xFFFFFFFFL
                || flags < 0 || flags > 0xFFFF || decimals < 0 || decimals > 0xFF) {
            throw new IllegalArgumentException("column attribute out of range: " + name);
        }
    }

    /**
     * A column with defaults fitting its type: binary charset and BINARY flag for numbers, temporals and
     * BLOBs (MySQL does the same), utf8mb4 for character types, and the type's usual display length.
     */
    public static ColumnDef of(String name, ColumnType type) {
        boolean character = switch (type) {
            case VARCHAR, VAR_STRING, STRING, JSON, ENUM, SET -> true;
            default -> false;
        };
        int charset = character ? Charsets.UTF8MB4 : Charsets.BINARY;
        int flags = character ? 0 : ColumnFlags.BINARY;
        if (type.isBlob()) {
            flags |= ColumnFlags.BLOB;
        }
        if (type.isInteger() || type == ColumnType.DECIMAL || type == ColumnType.NEWDECIMAL
                || type == ColumnType.FLOAT || type == ColumnType.DOUBLE) {
            flags |= ColumnFlags.NUM;
        }
        long length = switch (type) {
            case TINY -> 4;
            case SHORT -> 6;
            case INT24 -> 9;
            case LONG -> 11;
            case LONGLONG -> 20;
            case YEAR -> 4;
            case FLOAT -> 12;
            case DOUBLE -> 22;
            case DECIMAL, NEWDECIMAL -> 67;
            case DATE -> 10;
            case TIME -> 10;
            case DATETIME, TIMESTAMP -> 19;
            case TINY_BLOB -> 255;
            case BLOB -> 65535;
            case MEDIUM_BLOB -> 16777215;
            case LONG_BLOB, JSON -> 4294967295L;
            default -> 1020; // VARCHAR(255) in utf8mb4
        };
        int decimals = switch (type) {
            case FLOAT, DOUBLE, VARCHAR, VAR_STRING, STRING, JSON -> 0x1f;
            default -> 0;
        };
        return new ColumnDef("", "", "", name, name, charset, length, type, flags, decimals);
    }

    /** This column marked as belonging to {@code schema}.{@code table}. */
    public ColumnDef inTable(String schemaName, String tableName) {
        return new ColumnDef(schemaName, tableName, tableName, name, orgName, charset, length, type, flags,
                decimals);
    }

    /** This column with additional {@link ColumnFlags} bits set. */
    public ColumnDef withFlags(int moreFlags) {
        return new ColumnDef(schema, table, orgTable, name, orgName, charset, length, type, flags | moreFlags,
                decimals);
    }

    /** This column with another charset (e.g. {@link Charsets#BINARY} for VARBINARY). */
    public ColumnDef withCharset(int newCharset) {
        return new ColumnDef(schema, table, orgTable, name, orgName, newCharset, length, type, flags, decimals);
    }

    /** This column with another display length. */
    public ColumnDef withLength(long newLength) {
        return new ColumnDef(schema, table, orgTable, name, orgName, charset, newLength, type, flags, decimals);
    }

    /** This column with another number of decimals. */
    public ColumnDef withDecimals(int newDecimals) {
        return new ColumnDef(schema, table, orgTable, name, orgName, charset, length, type, flags, newDecimals);
    }

    /** True when {@link ColumnFlags#UNSIGNED} is set. */
    public boolean unsigned() {
        return (flags & ColumnFlags.UNSIGNED) != 0;
    }
}
