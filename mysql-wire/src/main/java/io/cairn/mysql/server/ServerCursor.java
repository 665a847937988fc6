package io.cairn.mysql.server;

import io.cairn.mysql.ColumnDef;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.RowStream;

import java.util.List;

/**
 * A server-side cursor: the open result of a COM_STMT_EXECUTE with CURSOR_TYPE_READ_ONLY, whose rows the
 * client takes with COM_STMT_FETCH, a batch at a time. It reads one row ahead, so that the batch that sends
 * the last row can say so (SERVER_STATUS_LAST_ROW_SENT), as MySQL does. A statement that fails while
 * reading ahead ends the batch with the rows before the failure; the next fetch is answered with the error. Belongs to the connection's command
 * task; closed by the last fetch, COM_STMT_RESET/CLOSE, the statement's next execute, COM_RESET_CONNECTION
 * or the connection's end.
 */
final class ServerCursor implements AutoCloseable {
    final List<ColumnDef> columns;
    private final RowStream rows;
    private Object[] ahead;
    /** The statement failed while reading ahead after rows of a batch were sent: the next fetch reports it. */
    private MysqlException failure;
    private int sizeHint = 64;

    private ServerCursor(List<ColumnDef> columns, RowStream rows) {
        this.columns = columns;
        this.rows = rows;
    }

    /** Opens a cursor over {@code rows}, pulling the first row (a failure closes the stream). */
    static ServerCursor open(List<ColumnDef> columns, RowStream rows) throws MysqlException {
        ServerCursor c = new ServerCursor(columns, rows);
        try {
            c.ahead = rows.next();
        } catch (MysqlException | RuntimeException | Error e) {
            rows.close();
            throw e;
        }
        return c;
    }

    /**
     * Sends up to {@code max} rows in the binary protocol.
     *
     * @return the statement's warning count when the last row was sent (the statement has then ended and
     *         the cursor must be closed), else -1
     */
    int fetch(PacketWriter out, long max) throws MysqlException {
        if (failure != null) {
            throw failure;
        }
        for (long i = 0; i < max && ahead != null; i++) {
            PacketBuilder row = ResultSetEncoder.row(columns, ahead, true, sizeHint);
            sizeHint = Math.max(64, row.length());
            out.send(row);
            if ((i + 1) % 256 == 0 && out.closed()) {
                return -1; // the client is gone; the connection's end closes the cursor
            }
            try {
                ahead = rows.next();
            } catch (MysqlException e) {
                // the rows sent end this batch as usual (clients drop a batch that ends in ERR); the error
                // answers the next fetch, so that the client has every row before it
                failure = e;
                return -1;
            }
        }
        return ahead == null ? rows.finish() : -1;
    }

    @Override
    public void close() {
        rows.close();
    }
}
