package io.cairn.mysql;

/** The MySQL character set / collation ids Cairn uses in column definitions and the handshake. */
public final class Charsets {
    /** utf8mb3_general_ci. */
    public static final int UTF8 = 33;
    /** binary: numbers, temporals, BLOB and VARBINARY columns. */
    public static final int BINARY = 63;
    /** utf8mb4_0900_ai_ci, the MySQL 8 default. */
    public static final int UTF8MB4 = 255;

    private Charsets() {
    }
}
