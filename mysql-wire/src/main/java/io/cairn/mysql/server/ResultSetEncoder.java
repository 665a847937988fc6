package io.cairn.mysql.server;

import io.cairn.mysql.ColumnDef;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.QueryResult;

import java.util.List;

/**
 * Writes result sets in the text protocol (COM_QUERY) or the binary protocol (COM_STMT_EXECUTE), with or
 * without the intermediate/terminating EOF packets depending on CLIENT_DEPRECATE_EOF.
 *
 * <p>Every row is checked to have exactly as many values as there are columns before it is encoded; a
 * row that cannot be encoded fails the whole result with an ERR packet sent after the rows already
 * written, which clients report as an error on the statement.
 */
final class ResultSetEncoder {
    private ResultSetEncoder() {
    }

    /** A column definition packet (Protocol::ColumnDefinition41). */
    static PacketBuilder columnDefinition(ColumnDef c, boolean fieldList) {
        PacketBuilder p = new PacketBuilder(48 + c.name().length() * 2);
        p.lenencString("def").lenencString(c.schema()).lenencString(c.table()).lenencString(c.orgTable())
                .lenencString(c.name()).lenencString(c.orgName()).lenenc(0x0c).u16(c.charset())
                .i32((int) c.length()).u8(c.type().code()).u16(c.flags()).u8(c.decimals()).u16(0);
        if (fieldList) {
            p.u8(0xfb); // default value: NULL
        }
        return p;
    }

    /** Column count, definitions and (unless deprecated) the EOF after them. */
    static void writeMetadata(PacketWriter out, List<ColumnDef> columns, int capabilities, int status) {
        out.send(new PacketBuilder(9).lenenc(columns.size()));
        writeDefinitions(out, columns, capabilities, status);
    }

    /** Definitions and the EOF after them (no EOF under DEPRECATE_EOF), as in COM_STMT_PREPARE responses. */
    static void writeDefinitions(PacketWriter out, List<ColumnDef> columns, int capabilities, int status) {
        for (ColumnDef c : columns) {
            out.send(columnDefinition(c, false));
        }
        if ((capabilities & Capabilities.DEPRECATE_EOF) == 0) {
            out.send(Responses.eof(status, 0));
        }
    }

    /**
     * Writes a complete result set.
     *
     * @throws MysqlException when a row does not fit the columns; metadata and earlier rows were written,
     *                        the caller sends the ERR packet
     */
    static void write(PacketWriter out, QueryResult.Rows rs, boolean binary, int capabilities, int status)
            throws MysqlException {
        List<ColumnDef> columns = rs.columns();
        writeMetadata(out, columns, capabilities, status);
        int sizeHint = 64;
        for (Object[] values : rs.rows()) {
            PacketBuilder row = row(columns, values, binary, sizeHint);
            sizeHint = Math.max(64, row.length());
            out.send(row);
        }
        out.send(Responses.end(capabilities, status, rs.warnings()));
    }

    /**
     * One row packet in the text or binary protocol.
     *
     * @param sizeHint the initial buffer size (the previous row's length)
     * @throws MysqlException when the row does not have one value per column
     */
    static PacketBuilder row(List<ColumnDef> columns, Object[] values, boolean binary, int sizeHint)
            throws MysqlException {
        if (values == null || values.length != columns.size()) {
            throw MysqlException.of(MysqlError.UNKNOWN_ERROR, "row has "
                    + (values == null ? 0 : values.length) + " values for " + columns.size() + " columns");
        }
        PacketBuilder row = new PacketBuilder(sizeHint);
        if (binary) {
            binaryRow(row, columns, values);
        } else {
            textRow(row, columns, values);
        }
        return row;
    }

    private static void textRow(PacketBuilder p, List<ColumnDef> columns, Object[] values) {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v == null) {
                p.u8(0xfb);
            } else {
                p.lenencBytes(TextValues.encode(v, columns.get(i)));
            }
        }
    }

    private static void binaryRow(PacketBuilder p, List<ColumnDef> columns, Object[] values)
            throws MysqlException {
        p.u8(0x00);
        int bitmapLen = (values.length + 7 + 2) / 8;
        byte[] bitmap = new byte[bitmapLen];
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                int bit = i + 2;
                bitmap[bit / 8] |= (byte) (1 << (bit % 8));
            }
        }
        p.bytes(bitmap);
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                BinaryValues.write(p, values[i], columns.get(i));
            }
        }
    }
}
