package io.cairn.sql.session;

import io.cairn.data.Transaction;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.RowStream;
import io.cairn.sql.exec.QueryRows;
import java.util.ArrayDeque;

/**
 * A query whose rows go to the client while they are produced: its statement (and under autocommit its
 * transaction) stays open from the first row to the last, and ends when the wire layer finishes or
 * closes the stream ({@link RowStream}'s protocol). Locking reads are never streamed (a statement whose
 * locked rows changed runs again, which rows already sent would not allow).
 *
 * <p>A stream kept open as a server-side cursor outlives its command. Before the session runs anything
 * else it calls {@link #detach()}: the remaining rows are read into memory and the statement ends, so the
 * next statement finds the session as after any other statement (MySQL materialises every cursor; Cairn
 * does so only then, and that copy is not bounded).
 *
 * <p>Threading: the session's command task, like every {@link Session} call.
 */
final class StreamedQuery implements RowStream {
    private enum State { STREAMING, DETACHED, OVER }

    private final SessionQueries queries;
    private final QueryRows rows;
    private final Transaction transaction;
    /** Whether the statement runs in a transaction of its own (autocommit), committed at its end. */
    private final boolean ownTransaction;
    private State state = State.STREAMING;
    private long count;
    /** After {@link #detach()}: the rows not yet sent, the statement's warnings and its failure, if any. */
    private ArrayDeque<Object[]> rest;
    private int detachedWarnings;
    private MysqlException detachedFailure;

    StreamedQuery(SessionQueries queries, QueryRows rows, Transaction transaction, boolean ownTransaction) {
        this.queries = queries;
        this.rows = rows;
        this.transaction = transaction;
        this.ownTransaction = ownTransaction;
    }

    @Override
    public Object[] next() throws MysqlException {
        switch (state) {
            case STREAMING:
                try {
                    Object[] row = rows.next();
                    if (row != null) {
                        count++;
                    }
                    return row;
                } catch (RuntimeException e) {
                    state = State.OVER;
                    throw queries.streamFailed(this, e);
                }
            case DETACHED:
                if (!rest.isEmpty()) {
                    return rest.poll();
                }
                if (detachedFailure != null) {
                    state = State.OVER;
                    throw detachedFailure;
                }
                return null;
            default:
                return null;
        }
    }

    @Override
    public int finish() throws MysqlException {
        switch (state) {
            case STREAMING:
                state = State.OVER;
                rows.close();
                return queries.streamFinished(this);
            case DETACHED:
                state = State.OVER;
                return detachedWarnings;
            default:
                return 0;
        }
    }

    @Override
    public void close() {
        if (state == State.STREAMING) {
            state = State.OVER;
            rows.close();
            queries.streamAbandoned(this);
        } else {
            state = State.OVER;
            rest = null;
        }
    }

    /** Reads the remaining rows into memory and ends the statement, so that the session can run another. */
    void detach() {
        if (state != State.STREAMING) {
            return;
        }
        rest = new ArrayDeque<>();
        try {
            for (Object[] row = rows.next(); row != null; row = rows.next()) {
                count++;
                rest.add(row);
            }
            rows.close();
            detachedWarnings = queries.streamFinished(this);
        } catch (MysqlException e) {
            detachedFailure = e;
        } catch (RuntimeException e) {
            detachedFailure = queries.streamFailed(this, e);
        }
        state = State.DETACHED;
    }

    Transaction transaction() {
        return transaction;
    }

    boolean ownTransaction() {
        return ownTransaction;
    }

    /** Rows read so far (FOUND_ROWS() after the end). */
    long count() {
        return count;
    }
}
