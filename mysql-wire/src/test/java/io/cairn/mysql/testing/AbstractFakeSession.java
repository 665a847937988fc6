package io.cairn.mysql.testing;

import io.cairn.mysql.ColumnDef;
import io.cairn.mysql.ColumnType;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.QueryResult;
import io.cairn.mysql.SessionHandler;
import io.cairn.mysql.SessionInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Test fixture: what the fake {@link SessionHandler}s of the tests (mysql-wire's {@code FakeSession}, the
 * proxy tests' compute node) have in common. It keeps the session state the wire layer reads after every
 * command (current database, autocommit, open transaction), the texts of prepared statements by id and a
 * {@code SLEEP} that blocks until {@link #cancel()}, and answers the statements every fake answers alike.
 * Not an SQL engine: subclasses match the statements they serve by their text.
 *
 * <p>Threading as {@link SessionHandler} says: one command at a time; {@link #cancel()}, {@link #sleeping()}
 * and {@link #endSleeps()} from any thread.
 */
public abstract class AbstractFakeSession implements SessionHandler {
    /** Texts of the prepared statements by the wire layer's statement id. */
    protected final Map<Integer, String> prepared = new HashMap<>();
    protected String database;
    protected boolean autocommit = true;
    protected boolean inTransaction;
    private final SessionInfo info;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private volatile boolean running;

    protected AbstractFakeSession(SessionInfo info) {
        this.info = info;
        this.database = info.database();
    }

    /** Who connected (connection id, user, address, …). */
    public SessionInfo info() {
        return info;
    }

    /** The statement text without surrounding blanks and without a leading comment (as drivers prefix). */
    protected static String withoutDriverComment(String sql) {
        String s = sql.trim();
        if (s.startsWith("/*") && s.indexOf("*/") > 0) {
            s = s.substring(s.indexOf("*/") + 2).trim();
        }
        return s;
    }

    /**
     * Answers BEGIN, START TRANSACTION, COMMIT, ROLLBACK, {@code USE db} (through {@link #initDb}) and any
     * {@code SET} (accepted and ignored: subclasses answer the SETs they model before calling this), the
     * statements that only change the session state; null for any other statement.
     *
     * @param s the statement {@link #withoutDriverComment without its comment}
     * @param u {@code s} in upper case
     */
    protected final QueryResult sessionStatement(String s, String u) throws MysqlException {
        if (u.startsWith("SET ")) {
            return QueryResult.ok();
        }
        if (u.equals("BEGIN") || u.startsWith("START TRANSACTION")) {
            inTransaction = true;
            return QueryResult.ok();
        }
        if (u.equals("COMMIT") || u.equals("ROLLBACK")) {
            inTransaction = false;
            return QueryResult.ok();
        }
        if (u.startsWith("USE ")) {
            initDb(s.substring(4).replace("`", "").trim());
            return QueryResult.ok();
        }
        return null;
    }

    /**
     * One row answering the select list of {@code SELECT @@a, @@session.b AS c, …} (drivers' start-up
     * queries): a column per item, labelled by its alias or its text, BIGINT for a {@link Long} value and
     * VARCHAR otherwise.
     *
     * @param valueOf the value of a variable, by its name in lower case without {@code @@session.}/{@code @@global.}
     */
    protected static QueryResult systemVariables(String selectList, Function<String, Object> valueOf) {
        List<ColumnDef> columns = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (String item : selectList.split(",")) {
            String expr = item.trim();
            String label = expr;
            int as = expr.toUpperCase(Locale.ROOT).indexOf(" AS ");
            if (as >= 0) {
                label = expr.substring(as + 4).trim();
                expr = expr.substring(0, as).trim();
            }
            String variable = expr.replaceFirst("(?i)^@@(session\\.|global\\.)?", "").toLowerCase(Locale.ROOT);
            Object value = valueOf.apply(variable);
            columns.add(ColumnDef.of(label, value instanceof Long ? ColumnType.LONGLONG : ColumnType.VAR_STRING));
            values.add(value);
        }
        return QueryResult.rows(columns, List.<Object[]>of(values.toArray()));
    }

    /**
     * Blocks like a long statement until {@link #cancel()} (KILL QUERY) or {@link #endSleeps()}, then fails
     * with QUERY_INTERRUPTED, as a cancelled statement must; QUERY_TIMEOUT after 30 s, so that a test that
     * never cancels it fails instead of hanging.
     */
    protected final QueryResult sleepUntilCancelled() throws MysqlException {
        running = true;
        try {
            sleepStarted();
            if (!cancelled.await(30, TimeUnit.SECONDS)) {
                throw MysqlException.of(MysqlError.QUERY_TIMEOUT);
            }
            sleepCancelled();
            throw MysqlException.of(MysqlError.QUERY_INTERRUPTED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MysqlException.of(MysqlError.QUERY_INTERRUPTED);
        } finally {
            running = false;
        }
    }

    /** Called when a SLEEP has begun, so that {@link #cancel()} now ends it: a test may wait for this. */
    protected void sleepStarted() {
    }

    /** Called when a SLEEP was cancelled, before it answers QUERY_INTERRUPTED: a subclass may delay the answer. */
    protected void sleepCancelled() throws InterruptedException {
    }

    /** Whether a SLEEP runs now. */
    public boolean sleeping() {
        return running;
    }

    /**
     * Ends the SLEEP running now, and any later one at once. Unlike {@link #cancel()} it acts even when no
     * SLEEP runs yet, so that a test cleaning up cannot miss one that is about to start.
     */
    public void endSleeps() {
        cancelled.countDown();
    }

    @Override
    public void cancel() {
        if (running) {
            cancelled.countDown();
        }
    }

    @Override
    public boolean autocommit() {
        return autocommit;
    }

    @Override
    public boolean inTransaction() {
        return inTransaction;
    }

    @Override
    public String database() {
        return database;
    }
}
