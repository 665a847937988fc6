package io.cairn.mysql;

/**
 * The rows of a result set that the engine produces while the wire layer sends them (a cursor over the
 * running statement), so that a result larger than memory never has to be held whole.
 *
 * <h2>Protocol</h2>
 * The wire layer calls {@link #next()} until it returns null, then {@link #finish()} once, and sends the
 * terminating EOF/OK with the warning count {@code finish} returned and the session's status flags read
 * after it. It may stop early at any point (client gone, cursor closed, an error writing) and then calls
 * {@link #close()}. It calls {@code close()} in every case when it is done with the stream, also after
 * {@code finish} or a failed {@code next}, so {@code close} must be idempotent.
 *
 * <h2>Threading</h2>
 * Every call comes from the connection's command task (one at a time, on a handler thread, never a Netty
 * event loop), like {@link SessionHandler} calls; {@link SessionHandler#cancel()} may run concurrently
 * and should make the next {@code next()} fail with {@link MysqlError#QUERY_INTERRUPTED}. A stream left
 * open as a server-side cursor (COM_STMT_EXECUTE with CURSOR_TYPE_READ_ONLY) is pulled by later commands
 * (COM_STMT_FETCH), still one at a time and on the same connection's task.
 *
 * <h2>Errors</h2>
 * A {@link MysqlException} from {@code next} or {@code finish} is sent as an ERR packet after the rows
 * already sent (as MySQL does when a statement fails in the middle of its result); the stream is then
 * over: the engine has already ended the statement (rolled back under autocommit), and only
 * {@code close()} follows.
 */
public interface RowStream extends AutoCloseable {

    /**
     * The next row (one value per column, of the types {@link QueryResult.Rows} describes), or null when
     * there are no more.
     */
    Object[] next() throws MysqlException;

    /**
     * Ends the statement after the last row (commits a transaction of its own under autocommit).
     *
     * @return the statement's warning count, for the terminating EOF/OK
     */
    int finish() throws MysqlException;

    /**
     * Abandons the stream if it is not over: closes the engine's enumerator and ends the statement as
     * failed (rolling back a transaction of its own). Idempotent; never throws.
     */
    @Override
    void close();
}
