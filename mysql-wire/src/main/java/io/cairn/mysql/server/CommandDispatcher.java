package io.cairn.mysql.server;

import io.cairn.mysql.ColumnDef;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.Parameter;
import io.cairn.mysql.QueryResult;
import io.cairn.mysql.SessionHandler;
import io.cairn.mysql.StatementMetadata;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The command phase of one connection: decodes each command packet, calls the {@link SessionHandler} and
 * writes the response. Runs on the connection's serial task (one command at a time).
 *
 * <p>Errors: a {@link MysqlException} from the handler becomes an ERR packet; any other runtime exception
 * is logged at WARNING and answered with ER_UNKNOWN_ERROR (1105) without internals. In both cases the
 * connection stays open. A packet that does not follow the protocol raises {@link MalformedPacketException};
 * the caller then closes the connection.
 */
final class CommandDispatcher {
    private static final Logger LOG = Logger.getLogger(CommandDispatcher.class.getName());
    /** COM_STMT_EXECUTE flag asking for a server-side cursor (CURSOR_TYPE_READ_ONLY). */
    private static final int CURSOR_TYPE_READ_ONLY = 1;
    /** COM_STMT_EXECUTE statement id meaning "the statement prepared last" (MariaDB pipelining). */
    private static final int LAST_PREPARED = -1;

    /** Outcome of one command for the connection. */
    enum Next { CONTINUE, CLOSE }

    private final SessionHandler handler;
    private final PacketWriter out;
    private final int capabilities;
    private final MysqlServerConfig config;
    private final MysqlServer server;
    private final Map<Integer, PreparedStatementState> statements = new HashMap<>();
    /** Bytes of COM_STMT_SEND_LONG_DATA held for all statements; at most max_allowed_packet. */
    private long longDataBytes;
    private int nextStatementId = 1;
    private int lastPrepared;

    CommandDispatcher(SessionHandler handler, PacketWriter out, int capabilities, MysqlServerConfig config,
                      MysqlServer server) {
        this.handler = handler;
        this.out = out;
        this.capabilities = capabilities;
        this.config = config;
        this.server = server;
    }

    Next dispatch(byte[] payload) throws MalformedPacketException {
        if (payload.length == 0) {
            throw new MalformedPacketException("empty command packet");
        }
        PacketReader in = new PacketReader(payload, 1);
        int command = payload[0] & 0xFF;
        try {
            switch (command) {
                case Commands.QUIT:
                    return Next.CLOSE;
                case Commands.QUERY:
                    writeResult(handler.query(in.restString()), false);
                    break;
                case Commands.INIT_DB:
                    handler.initDb(in.restString());
                    ok();
                    break;
                case Commands.PING:
                    handler.ping();
                    ok();
                    break;
                case Commands.FIELD_LIST:
                    fieldList(in);
                    break;
                case Commands.STMT_PREPARE:
                    prepare(in.restString());
                    break;
                case Commands.STMT_EXECUTE:
                    execute(in);
                    break;
                case Commands.STMT_SEND_LONG_DATA:
                    sendLongData(in);
                    return Next.CONTINUE; // no response
                case Commands.STMT_CLOSE:
                    closeStatement(in.i32());
                    return Next.CONTINUE; // no response
                case Commands.STMT_RESET:
                    resetStatement(in.i32());
                    break;
                case Commands.STMT_FETCH:
                    fetch(in);
                    break;
                case Commands.SET_OPTION:
                    setOption(in.u16());
                    break;
                case Commands.RESET_CONNECTION:
                    closeCursors();
                    handler.resetSession();
                    statements.clear();
                    longDataBytes = 0;
                    ok();
                    break;
                case Commands.STATISTICS:
                    out.send(new PacketBuilder().string(server.statistics(handler)));
                    break;
                case Commands.PROCESS_KILL:
                    // as the KILL statement, so that the engine decides who may end whose connection
                    handler.query("KILL CONNECTION " + Integer.toUnsignedLong(in.i32()));
                    ok();
                    break;
                default:
                    throw MysqlException.of(MysqlError.UNKNOWN_COM);
            }
        } catch (MysqlException e) {
            LOG.log(Level.FINE, "command {0} failed: {1} {2}", new Object[] {command, e.code(), e.getMessage()});
            out.send(Responses.error(e));
        } catch (RuntimeException | Error e) {
            // an Error too (a failed class initializer, a stack overflow in a deep statement): the
            // client is waiting for an answer to this command and must get one
            LOG.log(Level.WARNING, "session handler failed on command " + command, e);
            out.send(Responses.error(MysqlException.of(MysqlError.UNKNOWN_ERROR, "internal error")));
        }
        out.flush();
        return Next.CONTINUE;
    }

    private int status() {
        return ServerStatus.of(handler);
    }

    private void ok() {
        out.send(Responses.ok(0, 0, status(), 0, "", false));
    }

    private void writeResult(QueryResult result, boolean binary) throws MysqlException {
        if (result instanceof QueryResult.Multi multi) {
            if ((capabilities & Capabilities.MULTI_RESULTS) == 0) {
                throw MysqlException.of(MysqlError.UNKNOWN_ERROR,
                        "several results, but the client did not announce CLIENT_MULTI_RESULTS");
            }
            List<QueryResult> results = multi.results();
            for (int i = 0; i < results.size(); i++) {
                boolean more = i < results.size() - 1;
                writeSingle(results.get(i), binary, more ? ServerStatus.MORE_RESULTS_EXISTS : 0);
            }
        } else {
            writeSingle(result, binary, 0);
        }
    }

    private void writeSingle(QueryResult result, boolean binary, int extraStatus) throws MysqlException {
        int status = status() | extraStatus;
        if (result instanceof QueryResult.Ok ok) {
            out.send(Responses.ok(ok.affectedRows(), ok.lastInsertId(), status, ok.warnings(), ok.info(), false));
        } else if (result instanceof QueryResult.Rows rows) {
            ResultSetEncoder.write(out, rows, binary, capabilities, status);
        } else if (result instanceof QueryResult.Streamed streamed) {
            ResultStreamer.write(out, streamed, binary, capabilities, () -> status() | extraStatus);
        } else {
            throw new IllegalStateException("handler returned " + result);
        }
    }

    private void fieldList(PacketReader in) throws MalformedPacketException, MysqlException {
        String table = in.nulString();
        String wildcard = in.restString();
        List<ColumnDef> columns = handler.fieldList(table, wildcard);
        for (ColumnDef c : columns) {
            out.send(ResultSetEncoder.columnDefinition(c, true));
        }
        out.send(Responses.end(capabilities, status(), 0));
    }

    private void prepare(String sql) throws MysqlException {
        if (statements.size() >= config.maxPreparedStatements()) {
            throw MysqlException.of(MysqlError.MAX_PREPARED_STMT_COUNT, config.maxPreparedStatements());
        }
        int id = nextStatementId;
        nextStatementId = nextStatementId == Integer.MAX_VALUE ? 1 : nextStatementId + 1;
        StatementMetadata meta = handler.prepare(id, sql);
        if (meta.parameters().size() > 0xFFFF || meta.columns().size() > 0xFFFF) {
            closeInHandler(id); // the protocol counts both in two bytes
            throw MysqlException.of(meta.parameters().size() > 0xFFFF ? MysqlError.PS_MANY_PARAM
                    : MysqlError.TOO_MANY_FIELDS);
        }
        statements.put(id, new PreparedStatementState(id, meta.parameters().size()));
        lastPrepared = id;
        out.send(new PacketBuilder(12).u8(0).i32(id).u16(meta.columns().size()).u16(meta.parameters().size())
                .u8(0).u16(Math.min(meta.warnings(), 0xFFFF)));
        int status = status();
        if (!meta.parameters().isEmpty()) {
            ResultSetEncoder.writeDefinitions(out, meta.parameters(), capabilities, status);
        }
        if (!meta.columns().isEmpty()) {
            ResultSetEncoder.writeDefinitions(out, meta.columns(), capabilities, status);
        }
    }

    private PreparedStatementState statement(int id, String command) throws MysqlException {
        PreparedStatementState s = statements.get(id == LAST_PREPARED ? lastPrepared : id);
        if (s == null) {
            throw MysqlException.of(MysqlError.UNKNOWN_STMT_HANDLER, Integer.toUnsignedString(id), command);
        }
        return s;
    }

    private void execute(PacketReader in) throws MalformedPacketException, MysqlException {
        int id = in.i32();
        int flags = in.u8();
        in.i32(); // iteration count, always 1
        PreparedStatementState stmt = statement(id, "mysqld_stmt_execute");
        stmt.closeCursor(); // as in MySQL, an execute closes the statement's open cursor
        if (stmt.longDataOverflow) {
            releaseLongData(stmt);
            throw MysqlException.of(MysqlError.LONG_DATA_TOO_LONG);
        }
        List<Parameter> params;
        try {
            params = BinaryParams.decode(in, stmt);
        } finally {
            releaseLongData(stmt); // used or not, an execute ends the statement's long data (as in MySQL)
        }
        QueryResult result = handler.execute(stmt.id, params);
        if ((flags & CURSOR_TYPE_READ_ONLY) != 0 && openCursor(stmt, result)) {
            return;
        }
        writeResult(result, true);
    }

    /**
     * Answers an execute that asked for a cursor with a result set: the metadata and an EOF (OK under
     * DEPRECATE_EOF, which Connector/J expects here) flagged SERVER_STATUS_CURSOR_EXISTS; the rows wait
     * for COM_STMT_FETCH.
     *
     * @return false when the result is not a result set (sent as usual)
     */
    private boolean openCursor(PreparedStatementState stmt, QueryResult result) throws MysqlException {
        ServerCursor cursor;
        if (result instanceof QueryResult.Streamed streamed) {
            cursor = ServerCursor.open(streamed.columns(), streamed.rows());
        } else if (result instanceof QueryResult.Rows rows) {
            cursor = ServerCursor.open(rows.columns(), new ListRowStream(rows));
        } else {
            return false;
        }
        stmt.cursor = cursor;
        out.send(new PacketBuilder(9).lenenc(cursor.columns.size()));
        for (ColumnDef c : cursor.columns) {
            out.send(ResultSetEncoder.columnDefinition(c, false));
        }
        out.send(Responses.end(capabilities, status() | ServerStatus.CURSOR_EXISTS, 0));
        return true;
    }

    /** COM_STMT_FETCH: the next rows of the statement's cursor, then EOF with CURSOR_EXISTS or LAST_ROW_SENT. */
    private void fetch(PacketReader in) throws MalformedPacketException, MysqlException {
        int id = in.i32();
        long max = Integer.toUnsignedLong(in.i32());
        PreparedStatementState stmt = statement(id, "mysqld_stmt_fetch");
        ServerCursor cursor = stmt.cursor;
        if (cursor == null) {
            throw MysqlException.of(MysqlError.STMT_HAS_NO_OPEN_CURSOR, Integer.toUnsignedString(id));
        }
        int warnings;
        try {
            warnings = cursor.fetch(out, max);
        } catch (MysqlException | RuntimeException | Error e) {
            stmt.closeCursor(); // the statement failed: the ERR ends the cursor
            throw e;
        }
        if (warnings >= 0) {
            stmt.closeCursor();
            out.send(Responses.end(capabilities, status() | ServerStatus.LAST_ROW_SENT, warnings));
        } else {
            out.send(Responses.end(capabilities, status() | ServerStatus.CURSOR_EXISTS, 0));
        }
    }

    /** Closes every open cursor (COM_RESET_CONNECTION, the connection's end). */
    void closeCursors() {
        for (PreparedStatementState stmt : statements.values()) {
            try {
                stmt.closeCursor();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing the cursor of statement " + stmt.id + " failed", e);
            }
        }
    }

    private void releaseLongData(PreparedStatementState stmt) {
        longDataBytes -= stmt.longDataTotal;
        stmt.clearLongData();
        stmt.longDataOverflow = false;
    }

    private void sendLongData(PacketReader in) throws MalformedPacketException {
        int id = in.i32();
        int param = in.u16();
        byte[] data = in.rest();
        PreparedStatementState stmt = statements.get(id);
        if (stmt == null || param >= stmt.parameterCount) {
            LOG.log(Level.FINE, "COM_STMT_SEND_LONG_DATA for unknown statement {0} / parameter {1}",
                    new Object[] {id, param});
            return;
        }
        if (stmt.longDataOverflow) {
            return; // refused at the next execute; nothing more is buffered
        }
        if (longDataBytes + data.length > config.maxAllowedPacket()) {
            // the connection's long data, all statements together, stays within max_allowed_packet
            releaseLongData(stmt);
            stmt.longDataOverflow = true;
            return;
        }
        if (stmt.longData[param] == null) {
            stmt.longData[param] = new ByteArrayOutputStream();
        }
        stmt.longData[param].write(data, 0, data.length);
        stmt.longDataTotal += data.length;
        longDataBytes += data.length;
    }

    private void closeStatement(int id) {
        PreparedStatementState stmt = statements.remove(id);
        if (stmt != null) {
            stmt.closeCursor();
            releaseLongData(stmt);
            closeInHandler(id);
        }
    }

    private void closeInHandler(int id) {
        try {
            handler.closeStatement(id);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing statement " + id + " failed", e);
        }
    }

    private void resetStatement(int id) throws MysqlException {
        PreparedStatementState stmt = statement(id, "mysqld_stmt_reset");
        stmt.closeCursor();
        releaseLongData(stmt);
        handler.resetStatement(stmt.id);
        ok();
    }

    private void setOption(int option) throws MysqlException {
        if (option != 0 && option != 1) {
            throw MysqlException.of(MysqlError.UNKNOWN_COM);
        }
        handler.setMultiStatements(option == 0);
        out.send(Responses.end(capabilities, status(), 0));
    }
}
