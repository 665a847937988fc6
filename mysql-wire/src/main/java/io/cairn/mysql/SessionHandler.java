package io.cairn.mysql;

import java.util.List;

/**
 * The engine side of one client connection, created by {@link SessionHandlerFactory} after
 * authentication. The wire layer decodes commands, calls these methods and encodes what they return.
 *
 * <h2>Threading</h2>
 * All methods except {@link #cancel()} are called one at a time, in the order the client sent the commands,
 * on threads of the server's bounded handler executor (never a Netty event loop, so they may block on I/O
 * or locks). Successive calls may come from different threads; the wire layer provides the happens-before
 * edge between them. {@link #cancel()} is called from any thread, concurrently with a running command.
 *
 * <h2>Errors</h2>
 * A {@link MysqlException} is sent to the client as an ERR packet with its code and SQLSTATE; the connection
 * stays usable. Any other exception is a bug: it is logged (WARNING, with stack trace) and sent as
 * {@link MysqlError#UNKNOWN_ERROR} (1105, HY000) without internal details; the connection stays usable too.
 * A statement over its time limit should throw {@link MysqlError#QUERY_TIMEOUT} (3024); one stopped by
 * {@link #cancel()} should throw {@link MysqlError#QUERY_INTERRUPTED} (1317).
 *
 * <h2>Session state</h2>
 * After every command the wire layer reads {@link #autocommit()}, {@link #inTransaction()} (and
 * {@link #readOnlyTransaction()}) to build the status flags of each OK/EOF packet, so they must reflect
 * the state after the command (e.g. true after {@code BEGIN}, false after {@code COMMIT}).
 */
public interface SessionHandler extends AutoCloseable {

    /**
     * COM_QUERY: runs one SQL text (several statements if the client enabled multi-statements and the
     * engine supports them, answered with {@link QueryResult.Multi}).
     */
    QueryResult query(String sql) throws MysqlException;

    /**
     * COM_STMT_PREPARE: parses {@code sql} (with '?' placeholders) and describes it.
     *
     * @param statementId id assigned by the wire layer, unique within the connection; later calls of
     *                    {@link #execute}, {@link #closeStatement} and {@link #resetStatement} use it
     */
    StatementMetadata prepare(int statementId, String sql) throws MysqlException;

    /**
     * COM_STMT_EXECUTE: runs a prepared statement. The wire layer has checked that {@code statementId}
     * exists (else it answered {@link MysqlError#UNKNOWN_STMT_HANDLER}) and that {@code parameters} has
     * exactly the prepared parameter count. Result sets are sent in the binary protocol.
     */
    QueryResult execute(int statementId, List<Parameter> parameters) throws MysqlException;

    /** COM_STMT_CLOSE: forget a statement. No answer reaches the client, so errors are only logged. */
    default void closeStatement(int statementId) {
    }

    /** COM_STMT_RESET: reset a statement's execution state (open cursors). Long data is reset by the wire layer. */
    default void resetStatement(int statementId) throws MysqlException {
    }

    /** COM_INIT_DB ({@code USE db} in many clients): switch the current database, or throw BAD_DB (1049). */
    void initDb(String database) throws MysqlException;

    /**
     * COM_FIELD_LIST (deprecated): the columns of {@code table} matching {@code wildcard} (may be empty).
     * The default answers {@link MysqlError#UNKNOWN_COM}.
     */
    default List<ColumnDef> fieldList(String table, String wildcard) throws MysqlException {
        throw MysqlException.of(MysqlError.UNKNOWN_COM);
    }

    /** COM_PING: answer whether the session can still serve; throw to report it cannot. */
    default void ping() throws MysqlException {
    }

    /**
     * COM_RESET_CONNECTION: roll back any transaction, drop prepared statements, user variables and
     * temporary state, keep the user and current database. The wire layer forgets its statement ids too.
     */
    default void resetSession() throws MysqlException {
        throw MysqlException.of(MysqlError.NOT_SUPPORTED_YET, "COM_RESET_CONNECTION");
    }

    /** COM_SET_OPTION: the client switched multi-statement support on or off. */
    default void setMultiStatements(boolean enabled) throws MysqlException {
    }

    /**
     * Interrupts the command running now, if any (KILL QUERY, or just before the connection is killed).
     * Called from any thread; must not block. The running command should end with
     * {@link MysqlError#QUERY_INTERRUPTED}; a call with no command running has no effect on later commands.
     */
    void cancel();

    /** Whether autocommit is on (SERVER_STATUS_AUTOCOMMIT). */
    boolean autocommit();

    /** Whether an explicit or implicit transaction is open (SERVER_STATUS_IN_TRANS). */
    boolean inTransaction();

    /** Whether the open transaction is read-only (SERVER_STATUS_IN_TRANS_READONLY). */
    default boolean readOnlyTransaction() {
        return false;
    }

    /** The current database, or null. */
    String database();

    /** The server's statements since it started (global {@code Questions}), for COM_STATISTICS. */
    default long questions() {
        return 0;
    }

    /** The server's statements slower than {@code long_query_time} (global {@code Slow_queries}), for COM_STATISTICS. */
    default long slowQueries() {
        return 0;
    }

    /**
     * How long the session may stay idle between commands (MySQL's wait_timeout, or interactive_timeout
     * for clients that announced CLIENT_INTERACTIVE); asked after each command. When it passes without a
     * new command, the wire layer sends {@link MysqlError#CLIENT_INTERACTION_TIMEOUT} and closes the
     * connection, which then closes the session (rolling back its transaction). Null: no limit.
     */
    default java.time.Duration idleTimeout() {
        return null;
    }

    /**
     * The connection ended (COM_QUIT, client gone, killed, server closed): roll back and release everything.
     * Called exactly once, after the last command returned; must not throw.
     */
    @Override
    void close();
}
