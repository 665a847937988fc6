package io.cairn.sql.session;

import io.cairn.data.LockWaitTimeoutException;
import io.cairn.data.Transaction;
import io.cairn.mysql.ColumnDef;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.QueryResult;
import io.cairn.sql.SqlException;
import io.cairn.sql.exec.QueryRows;
import io.cairn.sql.exec.QueryRunner;
import io.cairn.sql.exec.StatementEnv;
import io.cairn.sql.frontend.CalciteText;
import io.cairn.sql.frontend.HavingRewriter;
import io.cairn.sql.frontend.SelectLabels;
import io.cairn.sql.frontend.ShapedText;
import io.cairn.sql.frontend.StatementShaper;
import io.cairn.sql.frontend.Token;
import io.cairn.sql.frontend.TokenCursor;
import io.cairn.sql.plan.SqlParsing;
import io.cairn.txn.LockMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The session's queries (SELECT, WITH, VALUES, TABLE), the scalar expressions it evaluates (SET values,
 * DO) and the result columns of prepared queries. A command's own query (not one of a multi-statement
 * text) that does not lock is streamed: its rows go to the client as they are produced
 * ({@link StreamedQuery}), its statement open until the last one; other queries are read whole within
 * their statement.
 *
 * <p>Threading: the session's command task only.
 */
final class SessionQueries {
    private final Session session;
    /** The query whose rows are being sent (its statement still open), or null. */
    private StreamedQuery streaming;
    /** Whether the running command may answer with a streamed result: a single statement, not a multi-statement query. */
    private boolean mayStream;

    SessionQueries(Session session) {
        this.session = session;
    }

    void setMayStream(boolean mayStream) {
        this.mayStream = mayStream;
    }

    /** Whether a streamed query's statement is open (its command runs until the stream ends). */
    boolean streaming() {
        return streaming != null;
    }

    /**
     * Where a query's text ends before its locking clause, how that clause locks the rows it reads
     * (null: not at all) and whether it waits for locks (NOWAIT: no).
     */
    private record QueryEnd(int end, LockMode lock, boolean noWait) {
    }

    private static QueryEnd queryEnd(List<Token> tokens, int end) {
        int e = end;
        boolean noWait = false;
        if (e >= 1 && tokens.get(e - 1).is("NOWAIT")) {
            noWait = true;
            e--;
        } else if (e >= 2 && tokens.get(e - 2).is("SKIP") && tokens.get(e - 1).is("LOCKED")) {
            throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "SKIP LOCKED");
        }
        if (e >= 2 && tokens.get(e - 2).is("FOR") && tokens.get(e - 1).is("UPDATE")) {
            return new QueryEnd(e - 2, LockMode.EXCLUSIVE, noWait);
        }
        if (e >= 2 && tokens.get(e - 2).is("FOR") && tokens.get(e - 1).is("SHARE")) {
            return new QueryEnd(e - 2, LockMode.SHARED, noWait);
        }
        if (!noWait && e >= 4 && tokens.get(e - 4).is("LOCK") && tokens.get(e - 3).is("IN")
                && tokens.get(e - 2).is("SHARE") && tokens.get(e - 1).is("MODE")) {
            return new QueryEnd(e - 4, LockMode.SHARED, false);
        }
        return new QueryEnd(end, null, false);
    }

    QueryResult run(TokenCursor c) {
        SessionTransaction transaction = session.transaction();
        Diagnostics diagnostics = session.diagnostics();
        List<Token> tokens = c.tokens();
        QueryEnd qe = queryEnd(tokens, c.end());
        int end = qe.end();
        LockMode lock = qe.lock();
        List<Token> query = HavingRewriter.rewrite(tokens, end);
        ShapedText text = StatementShaper.shape(query, 0, query.size(), session.environment());
        List<String> labels = SelectLabels.of(c.sql(), tokens, end);
        boolean stream = mayStream && lock == null && !transaction.statementRunning();
        mayStream = false; // the command's own query only, never one it runs inside
        if (stream) {
            return stream(text, labels);
        }
        try {
            return transaction.inStatement(lock, qe.noWait() ? Duration.ZERO : null, t -> {
                SessionStatementEnv env = transaction.statementEnv();
                StatementEnv.Bound b = env.compile("query", text, SqlParsing::parse, false);
                // max_execution_time limits SELECTs (not locking ones), as in MySQL
                long limit = lock != null ? 0 : maxExecutionTime();
                List<Object[]> rows = QueryRunner.externalRows(b.query(), env.execContext(b.parameters(), lock, false, limit));
                diagnostics.foundRows(rows.size());
                return new QueryResult.Rows(QueryRunner.columns(b.query().rowType(), labels), rows, diagnostics.warningCount());
            });
        } catch (LockWaitTimeoutException e) {
            if (qe.noWait() && !e.cancelled()) {
                throw new SqlException(MysqlError.LOCK_NOWAIT);
            }
            throw e;
        }
    }

    /**
     * Starts a non-locking query whose rows go to the client as they are produced ({@link StreamedQuery}):
     * the statement begins as any other ({@link SessionTransaction#beginOpenStatement}) and stays open (and
     * under autocommit its transaction) until the stream finishes ({@link #streamFinished}) or is
     * abandoned ({@link #streamAbandoned}).
     */
    private QueryResult stream(ShapedText text, List<String> labels) {
        SessionTransaction transaction = session.transaction();
        boolean own = transaction.beginOpenStatement();
        SessionStatementEnv env = transaction.statementEnv();
        Transaction t = env.transaction();
        QueryRows rows = null;
        try {
            StatementEnv.Bound b = env.compile("query", text, SqlParsing::parse, false);
            rows = QueryRows.open(b.query(), env.execContext(b.parameters(), null, false, maxExecutionTime()), true);
            List<ColumnDef> columns = QueryRunner.columns(b.query().rowType(), labels);
            StreamedQuery q = new StreamedQuery(this, rows, t, own);
            streaming = q;
            return new QueryResult.Streamed(columns, q);
        } catch (RuntimeException e) {
            if (rows != null) {
                rows.close();
            }
            endStreamedStatement(t, own, e);
            throw e;
        }
    }

    /**
     * The streamed query sent its last row: ends its statement (commits under autocommit).
     *
     * @return the statement's warning count
     */
    int streamFinished(StreamedQuery q) throws MysqlException {
        try {
            session.transaction().endOpenStatement(q.transaction(), q.ownTransaction());
        } catch (RuntimeException e) {
            throw streamFailed(q, e);
        }
        streaming = null;
        session.commandEnded(q.count());
        session.diagnostics().streamCompleted(q.count());
        return session.diagnostics().warningCount();
    }

    /** The streamed query failed in the middle: its statement ends as failed; the error for the client. */
    MysqlException streamFailed(StreamedQuery q, RuntimeException e) {
        Session.Running running = session.running(); // ending the statement ends the command
        endStreamedStatement(q.transaction(), q.ownTransaction(), e);
        return session.mapError(e, running == null ? null : running.sql());
    }

    /** The client stopped reading the streamed query (gone, cursor closed): its statement ends as failed. */
    void streamAbandoned(StreamedQuery q) {
        endStreamedStatement(q.transaction(), q.ownTransaction(), null);
    }

    /** The failure path of a streamed statement: its command ends with it. */
    private void endStreamedStatement(Transaction t, boolean own, RuntimeException failure) {
        streaming = null;
        session.commandEnded(0);
        session.transaction().abortOpenStatement(t, own, failure);
    }

    /** Before another command runs: an open cursor's remaining rows are read and its statement ends. */
    void detachStream() {
        if (streaming != null) {
            streaming.detach();
        }
    }

    /** The session ends or resets: an open cursor's statement ends unread. */
    void abandonStream() {
        if (streaming != null) {
            streaming.close();
        }
    }

    /** The session's max_execution_time in milliseconds (0: none). */
    private long maxExecutionTime() {
        Object v = session.variables().get("max_execution_time");
        if (v instanceof Number n) {
            return Math.max(0, n.longValue());
        }
        try {
            return Math.max(0, Long.parseLong(String.valueOf(v).trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Evaluates a scalar expression given as tokens (SET values, DO). */
    Object evaluate(List<Token> tokens, int from, int to) {
        String text = "SELECT " + CalciteText.render(tokens, from, to, session.environment());
        return session.transaction().inStatement(t -> {
            SessionStatementEnv env = new SessionStatementEnv(session, t);
            StatementEnv.Bound b = env.compile("query", ShapedText.literal(text), SqlParsing::parse, false);
            List<Object[]> rows = QueryRunner.externalRows(b.query(), env.execContext(b.parameters(), null, false));
            return rows.isEmpty() ? null : rows.get(0)[0];
        });
    }

    /**
     * The result columns of a prepared query, from its plan with NULL for every parameter (clients
     * such as libmysqlclient fetch a result only when the prepare answer announced columns); empty
     * for other statements and for queries that only compile with their values.
     */
    List<ColumnDef> resultColumns(String sql, List<Token> tokens) {
        TokenCursor c = new TokenCursor(sql, tokens);
        if (c.atEnd() || !(c.peek().is("SELECT") || c.peek().is("WITH") || c.peek().isSymbol("("))) {
            return List.of();
        }
        List<Token> nulls = new ArrayList<>(tokens.size());
        for (Token t : tokens) {
            nulls.add(t.type() == Token.Type.PARAM ? new Token(Token.Type.WORD, "NULL", t.start(), t.end()) : t);
        }
        List<Token> query = HavingRewriter.rewrite(nulls, queryEnd(nulls, c.end()).end());
        ShapedText text = StatementShaper.shape(query, 0, query.size(), session.environment());
        try {
            List<String> labels = SelectLabels.of(sql, nulls, c.end());
            return session.transaction().inStatement(t -> QueryRunner.columns(new SessionStatementEnv(session, t)
                    .compile("query", text, SqlParsing::parse, false).query().rowType(), labels));
        } catch (SqlException e) {
            if (SessionPrivileges.isAccessError(e)) {
                throw e; // refused at PREPARE, as in MySQL (EXECUTE checks again)
            }
            return List.of();
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
