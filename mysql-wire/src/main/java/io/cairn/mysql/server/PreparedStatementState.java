package io.cairn.mysql.server;

import java.io.ByteArrayOutputStream;

/** What the wire layer remembers per prepared statement: its parameter count, bound types, long data and open cursor. */
final class PreparedStatementState {
    final int id;
    final int parameterCount;
    /** Per parameter: type code | 0x8000 when unsigned; null until the first execute binds types. */
    int[] boundTypes;
    /** Per parameter: data sent with COM_STMT_SEND_LONG_DATA since the last execute/reset, or null. */
    final ByteArrayOutputStream[] longData;
    long longDataTotal;
    /** Long data went past the connection's limit: the next execute is refused (and clears this). */
    boolean longDataOverflow;
    /** The server-side cursor the last execute opened (CURSOR_TYPE_READ_ONLY), or null. */
    ServerCursor cursor;

    PreparedStatementState(int id, int parameterCount) {
        this.id = id;
        this.parameterCount = parameterCount;
        this.longData = new ByteArrayOutputStream[parameterCount];
    }

    /** Closes the open cursor, if any (its statement ends as failed unless it was over). */
    void closeCursor() {
        if (cursor != null) {
            ServerCursor c = cursor;
            cursor = null;
            c.close();
        }
    }

    void clearLongData() {
        java.util.Arrays.fill(longData, null);
        longDataTotal = 0;
    }
}
