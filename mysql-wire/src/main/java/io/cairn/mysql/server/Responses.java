package io.cairn.mysql.server;

import io.cairn.mysql.MysqlException;

import java.nio.charset.StandardCharsets;

/** Payloads of the generic response packets: OK, EOF and ERR. */
public final class Responses {
    private Responses() {
    }

    /**
     * An OK packet (header 0x00), or with {@code eofHeader} the OK that ends a result set under DEPRECATE_EOF (0xFE).
     * A non-empty {@code info} ("Rows matched: 1  Changed: 1  Warnings: 0") is written length-encoded, as
     * MySQL's server writes it (net_store_data) and as libmysqlclient, libmariadb, Connector/J and MariaDB
     * Connector/J read it, whether CLIENT_SESSION_TRACK was negotiated or not (the protocol documentation's
     * string&lt;EOF&gt; form is read by none of them).
     */
    public static PacketBuilder ok(long affectedRows, long lastInsertId, int status, int warnings, String info,
                            boolean eofHeader) {
        PacketBuilder p = new PacketBuilder(16 + info.length());
        p.u8(eofHeader ? 0xfe : 0x00).lenenc(affectedRows).lenenc(lastInsertId).u16(status)
                .u16(Math.min(warnings, 0xFFFF));
        if (!info.isEmpty()) {
            p.lenencString(info);
        }
        return p;
    }

    /** A classic EOF packet. */
    public static PacketBuilder eof(int status, int warnings) {
        return new PacketBuilder(5).u8(0xfe).u16(Math.min(warnings, 0xFFFF)).u16(status);
    }

    /** The end of column definitions or rows: EOF, or OK(0xFE) when the client deprecated EOF. */
    public static PacketBuilder end(int capabilities, int status, int warnings) {
        return (capabilities & Capabilities.DEPRECATE_EOF) != 0
                ? ok(0, 0, status, warnings, "", true)
                : eof(status, warnings);
    }

    public static PacketBuilder error(MysqlException e) {
        return error(e.code(), e.sqlState(), e.getMessage());
    }

    public static PacketBuilder error(int code, String sqlState, String message) {
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(msg.length, 8192);
        return new PacketBuilder(9 + n).u8(0xff).u16(code).u8('#')
                .bytes(sqlState.getBytes(StandardCharsets.US_ASCII)).bytes(msg, 0, n);
    }
}
