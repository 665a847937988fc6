package io.cairn.mysql.server;

import io.cairn.mysql.ColumnDef;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.QueryResult;
import io.cairn.mysql.RowStream;

import java.util.List;
import java.util.function.IntSupplier;

/**
 * Sends a {@link QueryResult.Streamed} result set: the metadata, then each row as the engine yields it,
 * then the terminating EOF/OK. Rows go out in {@link PacketWriter}'s batches, which wait while the client
 * does not read (so at most about the channel's high-water mark plus one batch is buffered, whatever the
 * row count). The stream is closed in every case: at the end, after an error, or when the connection went
 * away mid-result (then the remaining rows are never pulled).
 */
final class ResultStreamer {
    /** Rows between two looks at whether the connection is still there. */
    private static final int CHECK_EVERY = 256;

    private ResultStreamer() {
    }

    /**
     * Streams {@code result}.
     *
     * @param status the session's status flags, read for the metadata and again after the statement ended
     * @throws MysqlException the engine failed in the middle (or a row did not fit the columns): the rows
     *                        before it were sent, the caller sends the ERR; the stream is closed
     */
    static void write(PacketWriter out, QueryResult.Streamed result, boolean binary, int capabilities,
                      IntSupplier status) throws MysqlException {
        List<ColumnDef> columns = result.columns();
        try (RowStream rows = result.rows()) {
            ResultSetEncoder.writeMetadata(out, columns, capabilities, status.getAsInt());
            int sizeHint = 64;
            long n = 0;
            for (Object[] values = rows.next(); values != null; values = rows.next()) {
                PacketBuilder row = ResultSetEncoder.row(columns, values, binary, sizeHint);
                sizeHint = Math.max(64, row.length());
                out.send(row);
                if (++n % CHECK_EVERY == 0 && out.closed()) {
                    return; // the client is gone: stop pulling; close() ends the statement
                }
            }
            int warnings = rows.finish();
            out.send(Responses.end(capabilities, status.getAsInt(), warnings));
        }
    }
}
