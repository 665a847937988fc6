package io.cairn.proxy;

import io.cairn.mysql.server.Commands;
import io.cairn.mysql.server.ServerStatus;
import io.netty.buffer.ByteBuf;

/**
 * How a session's prepared statements are bound to its current compute node. The client keeps the ids
 * the proxy gave it ({@link SessionState#prepared}); each statement also has its id on the current CN
 * ({@link SessionState.Prepared#backendId}), which changes when a move prepares it again there. Every
 * COM_STMT_EXECUTE/SEND_LONG_DATA/CLOSE/RESET/FETCH is rewritten from the one to the other (id -1, "the
 * last prepared", which MariaDB Connector/J pipelines, included), and what the CN holds of a statement is
 * followed: the parameter types it has seen, long data, an open cursor. Stateless: the statements are
 * {@link SessionState}'s, touched only on the session's event loop.
 */
final class StatementBinding {
    private StatementBinding() {
    }

    /** Whether {@code cmd} names a prepared statement by its id (bytes 1-4). */
    static boolean namesStatement(int cmd) {
        return cmd >= Commands.STMT_EXECUTE && cmd <= Commands.STMT_RESET || cmd == Commands.STMT_FETCH;
    }

    /**
     * The shortest payload of such a command: what a compute node would refuse as malformed (and close),
     * the proxy refuses with the same error.
     */
    static int minimumLength(int cmd) {
        return cmd == Commands.STMT_EXECUTE ? 10 : cmd == Commands.STMT_SEND_LONG_DATA ? 7
                : cmd == Commands.STMT_FETCH ? 9 : 5;
    }

    /** The statement id the client's command names (-1: the last prepared). */
    static int clientId(byte[] payload) {
        return intAt(payload, 1);
    }

    /** The payload with the compute node's statement id, and the parameter types it has not seen yet. */
    static byte[] bind(SessionState.Prepared p, int cmd, byte[] payload) {
        byte[] out = payload;
        if (cmd == Commands.STMT_EXECUTE) {
            int bitmap = (p.parameters + 7) / 8;
            int flagAt = 10 + bitmap;
            if (p.parameters > 0 && payload.length > flagAt) {
                if (payload[flagAt] == 1 && payload.length >= flagAt + 1 + 2 * p.parameters) {
                    p.types = java.util.Arrays.copyOfRange(payload, flagAt + 1, flagAt + 1 + 2 * p.parameters);
                    p.typesSent = true;
                } else if (payload[flagAt] == 0 && !p.typesSent && p.types != null) {
                    // the statement was prepared again on this CN, which has not seen the types yet
                    out = new byte[payload.length + p.types.length];
                    System.arraycopy(payload, 0, out, 0, flagAt);
                    out[flagAt] = 1;
                    System.arraycopy(p.types, 0, out, flagAt + 1, p.types.length);
                    System.arraycopy(payload, flagAt + 1, out, flagAt + 1 + p.types.length, payload.length - flagAt - 1);
                    p.typesSent = true;
                }
            }
            p.longData = false;
        } else if (cmd == Commands.STMT_SEND_LONG_DATA) {
            p.longData = true;
        } else if (cmd == Commands.STMT_RESET) {
            p.longData = false;
        }
        if (out == payload) {
            out = payload.clone();
        }
        setIntAt(out, 1, p.backendId);
        return out;
    }

    /**
     * The compute node's PREPARE_OK (the answer's first packet, relayed next): the statement is recorded,
     * and the packet gives the client the proxy's id for it instead of the CN's.
     */
    static void prepared(SessionState state, String sql, ResponseTracker answer, ByteBuf prepareOk) {
        int clientId = state.prepared(sql, answer.parameters(), answer.statementId());
        prepareOk.setIntLE(prepareOk.readerIndex() + 5, clientId);
    }

    /** A move prepared {@code p} again on the new compute node, under {@code backendId}: it has seen no types yet. */
    static void reprepared(SessionState.Prepared p, int backendId) {
        p.backendId = backendId;
        p.typesSent = false;
    }

    /**
     * Follows the compute node's open cursors (a session holding one does not move: see
     * {@link SessionState#unmovableReason()}); an execute closes the statement's previous cursor.
     */
    static void trackCursor(SessionState.Prepared p, int cmd, ResponseTracker answer) {
        int status = answer.status();
        switch (cmd) {
            case Commands.STMT_EXECUTE -> p.cursorOpen = !answer.failed() && (status & ServerStatus.CURSOR_EXISTS) != 0;
            case Commands.STMT_FETCH -> p.cursorOpen = !answer.failed() && (status & ServerStatus.LAST_ROW_SENT) == 0;
            case Commands.STMT_RESET -> p.cursorOpen = false;
            default -> {
            }
        }
    }

    private static int intAt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private static void setIntAt(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
