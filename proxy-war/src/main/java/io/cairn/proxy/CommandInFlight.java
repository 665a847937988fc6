package io.cairn.proxy;

import io.cairn.mysql.MysqlError;
import io.cairn.mysql.server.Commands;
import io.cairn.mysql.server.Packet;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A client command the session sent to its compute node, from then until the end of its answer. The
 * answer is followed packet by packet ({@link ResponseTracker}) to know where it ends; at its end what the
 * command changed (database, SET, reset, status flags, cursors) is recorded in the session's state. If the
 * CN fails on the way, what the client is told depends on what the command was ({@link #repeatable},
 * {@link #mayCommit}). One per answered command, on the session's event loop.
 */
final class CommandInFlight {
    /** Errors after which a MySQL server closes the connection. */
    private static final Set<Integer> CONNECTION_ENDING_ERRORS = Set.of(
            MysqlError.MALFORMED_PACKET.code(), MysqlError.NET_PACKETS_OUT_OF_ORDER.code(),
            MysqlError.NET_PACKET_TOO_LARGE.code());

    private final Packet packet;
    private final int cmd;
    /** What a COM_QUERY's text is, or null. */
    private final SessionStatement statement;
    /** The prepared statement a COM_STMT_* command names, or null. */
    private final SessionState.Prepared executing;
    private final ResponseTracker tracker;
    /** When the command went to the CN. */
    private final long sentNanos = System.nanoTime();

    /** @param status the session's status flags before the command */
    CommandInFlight(Packet packet, SessionStatement statement, SessionState.Prepared executing, boolean deprecateEof,
            int status) {
        this.packet = packet;
        this.cmd = packet.payload()[0] & 0xff;
        this.statement = statement;
        this.executing = executing;
        this.tracker = new ResponseTracker(shape(cmd), deprecateEof, status);
    }

    private static ResponseTracker.Shape shape(int cmd) {
        return switch (cmd) {
            case Commands.QUERY, Commands.STMT_EXECUTE -> ResponseTracker.Shape.RESULT;
            case Commands.STMT_PREPARE -> ResponseTracker.Shape.PREPARE;
            case Commands.FIELD_LIST -> ResponseTracker.Shape.FIELD_LIST;
            case Commands.STMT_FETCH -> ResponseTracker.Shape.FETCH;
            default -> ResponseTracker.Shape.SINGLE;
        };
    }

    Packet packet() {
        return packet;
    }

    long sentNanos() {
        return sentNanos;
    }

    /** Packets of the answer relayed so far (each packet {@link #answer} takes is relayed next). */
    int relayed() {
        return tracker.packets();
    }

    /**
     * Takes the next packet of the answer, before it is relayed: a PREPARE_OK is recorded and gets the
     * client's statement id ({@link StatementBinding#prepared}).
     *
     * @return whether it was the answer's last packet
     * @throws IllegalStateException when the compute node broke the protocol
     */
    boolean answer(ByteBuf frame, SessionState state) {
        boolean done = tracker.feed(frame);
        if (tracker.packets() == 1 && cmd == Commands.STMT_PREPARE && !tracker.failed()) {
            StatementBinding.prepared(state, text(packet.payload()), tracker, frame);
        }
        return done;
    }

    /** Whether the answer was an error after which the compute node closes the connection. */
    boolean endedConnection() {
        return tracker.failed() && CONNECTION_ENDING_ERRORS.contains(tracker.errorCode());
    }

    int errorCode() {
        return tracker.errorCode();
    }

    /** The command ran to its end: what it changed in the session is recorded. */
    void completed(SessionState state) {
        state.status(tracker.status());
        if (executing != null) {
            StatementBinding.trackCursor(executing, cmd, tracker);
        }
        if (!tracker.failed()) {
            if (cmd == Commands.INIT_DB) {
                state.database(text(packet.payload()));
            } else if (cmd == Commands.RESET_CONNECTION) {
                state.reset();
            } else if (statement != null && statement.kind() == SessionStatement.Kind.USE) {
                state.database(statement.name());
            } else if (statement != null && statement.kind() == SessionStatement.Kind.SET) {
                state.recordSet(statement, text(packet.payload()));
            }
        }
    }

    /** Whether the command may have committed the session's transaction (COMMIT, DDL, ...). */
    boolean mayCommit() {
        return switch (cmd) {
            case Commands.QUERY -> SessionStatement.mayCommit(text(packet.payload()));
            case Commands.STMT_EXECUTE -> executing == null || SessionStatement.mayCommit(executing.sql);
            default -> false;
        };
    }

    /** Whether the command may run again elsewhere: it reads and changes nothing. */
    boolean repeatable() {
        return switch (cmd) {
            case Commands.QUERY -> statement != null && statement.kind() == SessionStatement.Kind.READ;
            case Commands.STMT_EXECUTE -> executing != null
                    && SessionStatement.classify(executing.sql).kind() == SessionStatement.Kind.READ;
            case Commands.PING, Commands.INIT_DB, Commands.FIELD_LIST, Commands.STMT_PREPARE, Commands.STATISTICS -> true;
            default -> false;
        };
    }

    /**
     * The statement this command runs, cut to {@code max} characters: a COM_QUERY's text, or the SQL of the
     * prepared statement it prepares or executes; null for other commands. Any thread: it reads only final
     * fields, and decodes only the bytes that can make {@code max} characters.
     */
    String statementText(int max) {
        byte[] payload = packet.payload();
        return switch (cmd) {
            case Commands.QUERY, Commands.STMT_PREPARE -> {
                String t = new String(payload, 1, Math.min(payload.length - 1, max * 4), StandardCharsets.UTF_8);
                yield t.length() > max ? t.substring(0, max) : t;
            }
            case Commands.STMT_EXECUTE, Commands.STMT_FETCH -> executing == null ? null
                    : executing.sql.length() > max ? executing.sql.substring(0, max) : executing.sql;
            default -> null;
        };
    }

    /** The text of a COM_QUERY or COM_INIT_DB payload. */
    static String text(byte[] payload) {
        return new String(payload, 1, payload.length - 1, StandardCharsets.UTF_8);
    }
}
