package io.cairn.mysql.server;

import io.cairn.mysql.SessionHandler;

/** Server status flags of OK and EOF packets. */
public final class ServerStatus {
    public static final int IN_TRANS = 1;
    public static final int AUTOCOMMIT = 2;
    public static final int MORE_RESULTS_EXISTS = 8;
    /** A COM_STMT_EXECUTE opened a server-side cursor: rows come with COM_STMT_FETCH. */
    public static final int CURSOR_EXISTS = 64;
    /** A COM_STMT_FETCH sent the cursor's last row: the cursor is closed. */
    public static final int LAST_ROW_SENT = 128;
    public static final int IN_TRANS_READONLY = 8192;

    private ServerStatus() {
    }

    /** The flags describing {@code handler}'s session state now (autocommit alone before a session exists). */
    static int of(SessionHandler handler) {
        if (handler == null) {
            return AUTOCOMMIT;
        }
        int status = 0;
        if (handler.autocommit()) {
            status |= AUTOCOMMIT;
        }
        if (handler.inTransaction()) {
            status |= IN_TRANS;
            if (handler.readOnlyTransaction()) {
                status |= IN_TRANS_READONLY;
            }
        }
        return status;
    }
}
