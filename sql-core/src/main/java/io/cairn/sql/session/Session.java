package io.cairn.sql.session;

import io.cairn.mysql.ColumnDef;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.Parameter;
import io.cairn.mysql.QueryResult;
import io.cairn.mysql.SessionHandler;
import io.cairn.mysql.SessionInfo;
import io.cairn.mysql.StatementMetadata;
import io.cairn.sql.SqlException;
import io.cairn.sql.auth.AccessChecks;
import io.cairn.sql.auth.Account;
import io.cairn.sql.auth.AccountPrivileges;
import io.cairn.sql.auth.Privilege;
import io.cairn.sql.catalog.Catalog;
import io.cairn.sql.catalog.TableDefinition;
import io.cairn.sql.frontend.Lexer;
import io.cairn.sql.frontend.SessionContext;
import io.cairn.sql.frontend.Token;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One MySQL session: the {@link SessionHandler} of a connection, and the parts that run its statements.
 * {@link StatementDispatcher} classifies each statement with the front-end and hands it on: queries run
 * through the plan cache and Calcite ({@link SessionQueries}), DML through
 * {@link io.cairn.sql.exec.DmlExecutor} in the session's transaction ({@link SessionTransaction}, which
 * also has the transaction rules), DDL through {@link io.cairn.sql.exec.DdlExecutor} in a transaction of
 * its own ({@link DdlStatements}), session and admin statements through {@link SessionStatements},
 * {@link ShowStatements} and {@link AccountStatements}. What a statement sees of its session (variables,
 * current database, user) is the {@link SessionEnvironment}; the account's privileges and the checks
 * against them are {@link SessionPrivileges}; warnings and row counts are the {@link Diagnostics}. Errors
 * are mapped for the client here ({@link #mapError}).
 *
 * <p>Threading: as {@link SessionHandler} says — one command at a time, {@link #cancel()} from any thread.
 */
public final class Session implements SessionHandler, SessionContext {
    private static final Logger LOG = Logger.getLogger(Session.class.getName());
    /** The capability flag of clients that may send several statements in one query. */
    private static final int CLIENT_MULTI_STATEMENTS = 1 << 16;
    /** The message of {@link MysqlError#NO_SUCH_TABLE}: database and table. */
    private static final Pattern NO_SUCH_TABLE_MESSAGE = Pattern.compile("Table '(.*)\\.(.*)' doesn't exist");

    private final SqlEngine engine;
    private final Diagnostics diagnostics = new Diagnostics();
    private final SessionTransaction transaction;
    private final SessionEnvironment environment;
    private final SessionPrivileges privileges;
    private final SessionQueries queries;
    private final StatementDispatcher dispatcher;
    private final StatusCounters status = new StatusCounters();
    private final Map<Integer, PreparedStatement> prepared = new HashMap<>();
    private final AtomicBoolean cancel = new AtomicBoolean();
    /** The command running now (SHOW PROCESSLIST reads it from other sessions' threads), or null. */
    private volatile Running running;
    /** See {@link #stage()}. */
    private volatile String stage;
    private boolean multiStatements;
    /** What {@link #commandEnded} reports once the running streamed statement ends (its time and rows), or null. */
    private volatile java.util.function.LongConsumer endOfStream;

    Session(SqlEngine engine, SessionInfo info, Account account) throws MysqlException {
        this.engine = engine;
        SessionVariables variables = new SessionVariables(engine.globals());
        this.transaction = new SessionTransaction(engine, variables, diagnostics, cancel, t -> new SessionStatementEnv(this, t));
        this.environment = new SessionEnvironment(info, account, variables, transaction, diagnostics);
        this.privileges = new SessionPrivileges(engine, environment, transaction);
        this.queries = new SessionQueries(this);
        this.dispatcher = new StatementDispatcher(this, account.passwordExpired());
        this.multiStatements = (info.clientCapabilities() & CLIENT_MULTI_STATEMENTS) != 0;
        if (info.database() != null && !info.database().isEmpty()) {
            initDb(info.database());
        }
    }

    long connectionId() {
        return environment.connectionId();
    }

    /** Whether the client's own connection uses TLS (to this port, or to the proxy that logged in for it). */
    boolean secure() {
        return environment.secure();
    }

    /** Whether a proxy logged in for this session's client. */
    boolean viaProxy() {
        return environment.viaProxy();
    }

    /** The session's wait_timeout (interactive clients start from interactive_timeout). */
    @Override
    public Duration idleTimeout() {
        return environment.idleTimeout();
    }

    String user() {
        return environment.user();
    }

    /** The account the session logged in as. */
    Account account() {
        return environment.account();
    }

    /** The client's host for messages and SHOW PROCESSLIST. */
    String clientHost() {
        return environment.clientHost();
    }

    /** Leaves the expired-password sandbox (the session's own password was changed). */
    void passwordChanged() {
        dispatcher.passwordChanged();
    }

    /** A command in progress: its text and when it started ({@link System#nanoTime()}). */
    record Running(String sql, long startNanos) {
    }

    /** The command this session is running, or null when idle. */
    Running running() {
        return running;
    }

    /** What the running command is doing when it says more than "executing" (an index build's progress), or null. */
    String stage() {
        return stage;
    }

    void setStage(String stage) {
        this.stage = stage;
    }

    /** The running command ended after it answered: a streamed query's statement ended, {@code rowsSent} rows sent. */
    void commandEnded(long rowsSent) {
        running = null;
        java.util.function.LongConsumer end = endOfStream;
        endOfStream = null;
        if (end != null) {
            end.accept(rowsSent);
        }
    }

    /** Raised by {@link #cancel()}: the running statement stops at its next check. */
    AtomicBoolean cancelFlag() {
        return cancel;
    }

    SqlEngine engine() {
        return engine;
    }

    SessionVariables variables() {
        return environment.variables();
    }

    Map<String, Object> userVariables() {
        return environment.userVariables();
    }

    SessionEnvironment environment() {
        return environment;
    }

    SessionTransaction transaction() {
        return transaction;
    }

    SessionPrivileges privileges() {
        return privileges;
    }

    Diagnostics diagnostics() {
        return diagnostics;
    }

    SessionQueries queries() {
        return queries;
    }

    /** The session user's privileges as of the session's transaction, or a fresh snapshot. */
    AccountPrivileges privilegesNow() {
        return privileges.now();
    }

    /** The catalog as the session's transaction (or a fresh snapshot) sees it. */
    Catalog catalogNow() {
        return transaction.readView(t -> engine.catalogs().at(t));
    }

    void use(String db) {
        boolean informationSchema = db.equalsIgnoreCase("information_schema");
        // privileges first, as in MySQL: an unprivileged user cannot tell a missing database from a hidden one
        if (!informationSchema && !privilegesNow().seesDatabase(db)) {
            throw new SqlException(MysqlError.DB_ACCESS_DENIED, user(), account().host(), db);
        }
        Catalog c = catalogNow();
        String actual = c.database(db);
        if (actual == null && !informationSchema) {
            throw new SqlException(MysqlError.BAD_DB, db);
        }
        environment.setDatabase(actual != null ? actual : "information_schema");
    }

    // ------------------------------------------------------------------ SessionHandler

    @Override
    public QueryResult query(String sql) throws MysqlException {
        queries.detachStream();
        cancel.set(false);
        running = new Running(sql, System.nanoTime());
        try {
            List<String> statements = multiStatements ? StatementDispatcher.splitStatements(sql) : List.of(sql);
            if (statements.size() == 1) {
                queries.setMayStream(true);
                return run(statements.get(0));
            }
            List<QueryResult> results = new ArrayList<>();
            for (String s : statements) {
                results.add(run(s));
            }
            return new QueryResult.Multi(results);
        } catch (RuntimeException e) {
            throw mapError(e, sql);
        } finally {
            queries.setMayStream(false);
            if (!queries.streaming()) {
                running = null; // else it runs until the stream ends
            }
        }
    }

    private QueryResult run(String sql) {
        long start = System.nanoTime();
        List<Token> tokens = Lexer.tokenize(sql);
        String command = counted(tokens);
        QueryResult result = null;
        try {
            result = dispatcher.run(sql, tokens);
            return result;
        } finally {
            statementEnded(command, sql, start, result);
        }
    }

    /**
     * The statement of kind {@code command} returned {@code result} (null: it failed): its time and rows go to
     * the metrics and the slow query log now, or for a streamed result once its last row went out.
     */
    private void statementEnded(String command, String sql, long startNanos, QueryResult result) {
        if (result instanceof QueryResult.Streamed && queries.streaming()) {
            endOfStream = rows -> finished(command, sql, startNanos, rows);
        } else {
            finished(command, sql, startNanos, result instanceof QueryResult.Rows r ? r.rows().size() : 0);
        }
    }

    private void finished(String command, String sql, long startNanos, long rowsSent) {
        long nanos = System.nanoTime() - startNanos;
        engine.statementObserver().statementEnded(StatusCounters.reportedKind(command), nanos);
        slowLogged(sql, nanos, rowsSent);
    }

    /** Counts a statement a client sent, for this session's and the CN's {@code SHOW STATUS}; returns its kind. */
    private String counted(List<Token> tokens) {
        String command = StatusCounters.commandOf(tokens);
        status.statement(command);
        engine.status().statement(command);
        return command;
    }

    /**
     * Counts a statement that ran longer than {@code long_query_time} ({@code Slow_queries}) and writes it to the
     * slow query log when that is on.
     */
    private void slowLogged(String sql, long nanos, long rowsSent) {
        Object limit = variables().get("long_query_time");
        double seconds = limit instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(limit));
        if (nanos <= seconds * 1e9) {
            return;
        }
        status.slowQuery();
        engine.status().slowQuery();
        SlowQueryLog log = engine.slowQueryLog();
        if (log != null) {
            log.write(new SlowQueryLog.Entry(Instant.now().minusNanos(nanos), user(), clientHost(), connectionId(),
                    nanos, rowsSent, database(), sql));
        }
    }

    private void countedPrepared(String command) {
        status.preparedStatement(command);
        engine.status().preparedStatement(command);
    }

    /** This session's statement counters ({@code SHOW SESSION STATUS}). */
    StatusCounters status() {
        return status;
    }

    /**
     * Maps an error for the client; a missing table the user holds no privilege on is reported as
     * 1142, as MySQL does, so that its existence cannot be probed.
     */
    MysqlException mapError(RuntimeException e) {
        Running r = running;
        return mapError(e, r == null ? null : r.sql());
    }

    /**
     * As {@link #mapError(RuntimeException)}, for a failure of statement {@code sql}. An exception that
     * {@link ErrorMapper} does not know is a bug (of Cairn, or of Calcite: {@link io.cairn.sql.plan.PlannerFailure}):
     * it is logged at WARNING with the statement's text and answered 1105 naming it, never a bare "internal error".
     */
    MysqlException mapError(RuntimeException e, String sql) {
        MysqlException m;
        try {
            m = ErrorMapper.toMysql(e, database());
        } catch (RuntimeException bug) {
            LOG.log(Level.WARNING, bug, () -> "CAIRN0402W: connection " + connectionId() + " failed with an internal"
                    + " error running: " + (sql == null ? "(unknown)" : sql.length() > 4000 ? sql.substring(0, 4000) + " …" : sql));
            return new MysqlException(MysqlError.UNKNOWN_ERROR.code(), MysqlError.UNKNOWN_ERROR.sqlState(),
                    "Internal error (" + bug.getClass().getSimpleName() + ": " + abbreviated(bug.getMessage())
                            + "); the server log has the statement and the cause", false, bug);
        }
        if (m.code() == MysqlError.NO_SUCH_TABLE.code()) {
            Matcher t = NO_SUCH_TABLE_MESSAGE.matcher(m.getMessage());
            if (t.matches() && !privilegesNow().seesTable(t.group(1), t.group(2))) {
                return ErrorMapper.toMysql(AccessChecks.tableDenied(Privilege.SELECT, user(), clientHost(), t.group(2)), database());
            }
        }
        return m;
    }

    /** The first line of {@code text}, at most 300 characters, for a message. */
    private static String abbreviated(String text) {
        if (text == null) {
            return "(unknown)";
        }
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl) + " …";
        return line.length() > 300 ? line.substring(0, 300) + " …" : line;
    }

    @Override
    public StatementMetadata prepare(int statementId, String sql) throws MysqlException {
        queries.detachStream();
        try {
            List<Token> tokens = Lexer.tokenize(sql);
            int params = 0;
            for (Token t : tokens) {
                if (t.type() == Token.Type.PARAM) {
                    params++;
                }
            }
            prepared.put(statementId, new PreparedStatement(sql, tokens));
            countedPrepared("stmt_prepare");
            return StatementMetadata.of(params, queries.resultColumns(sql, tokens));
        } catch (RuntimeException e) {
            throw mapError(e, sql);
        }
    }

    @Override
    public QueryResult execute(int statementId, List<Parameter> parameters) throws MysqlException {
        PreparedStatement ps = prepared.get(statementId);
        if (ps == null) {
            throw new MysqlException(MysqlError.UNKNOWN_STMT_HANDLER.code(), MysqlError.UNKNOWN_STMT_HANDLER.sqlState(),
                    String.format(MysqlError.UNKNOWN_STMT_HANDLER.template(), statementId, "mysqld_stmt_execute"), false, null);
        }
        queries.detachStream();
        cancel.set(false);
        long start = System.nanoTime();
        running = new Running(ps.sql(), start);
        String command = null;
        QueryResult result = null;
        try {
            queries.setMayStream(true);
            countedPrepared("stmt_execute");
            command = counted(ps.tokens());
            result = dispatcher.run(ps.sql(), PreparedText.bind(ps.tokens(), parameters));
            return result;
        } catch (RuntimeException e) {
            throw mapError(e, ps.sql());
        } finally {
            if (command != null) {
                statementEnded(command, ps.sql(), start, result);
            }
            queries.setMayStream(false);
            if (!queries.streaming()) {
                running = null; // else it runs until the stream ends
            }
        }
    }

    @Override
    public void closeStatement(int statementId) {
        prepared.remove(statementId);
    }

    @Override
    public void initDb(String db) throws MysqlException {
        queries.detachStream();
        try {
            use(db);
        } catch (RuntimeException e) {
            throw ErrorMapper.toMysql(e, database());
        }
    }

    @Override
    public List<ColumnDef> fieldList(String table, String wildcard) throws MysqlException {
        queries.detachStream();
        try {
            String database = database();
            Catalog c = catalogNow();
            TableDefinition t = database == null ? null : c.table(database, table);
            AccountPrivileges p = privilegesNow();
            if (t == null || !p.seesTable(database, table)) {
                throw t == null ? new SqlException(MysqlError.NO_SUCH_TABLE, String.valueOf(database), table)
                        : AccessChecks.tableDenied(Privilege.SELECT, user(), clientHost(), table);
            }
            List<ColumnDef> out = new ArrayList<>();
            for (var col : t.columns()) {
                if (p.seesColumn(database, t.name(), col.name())) {
                    out.add(ColumnDef.of(col.name(), col.type().wireType()).inTable(database, t.name()));
                }
            }
            return out;
        } catch (RuntimeException e) {
            throw mapError(e);
        }
    }

    @Override
    public void resetSession() {
        queries.abandonStream();
        transaction.rollbackQuietly();
        prepared.clear();
        environment.userVariables().clear();
        diagnostics.clearWarnings();
    }

    @Override
    public void setMultiStatements(boolean enabled) {
        multiStatements = enabled;
    }

    @Override
    public void cancel() {
        cancel.set(true);
    }

    @Override
    public boolean autocommit() {
        return transaction.autocommit();
    }

    @Override
    public boolean inTransaction() {
        return transaction.open();
    }

    @Override
    public boolean readOnlyTransaction() {
        return transaction.readOnly();
    }

    @Override
    public String database() {
        return environment.database();
    }

    @Override
    public long questions() {
        return engine.status().questions();
    }

    @Override
    public long slowQueries() {
        return engine.status().slowQueries();
    }

    @Override
    public void close() {
        queries.abandonStream();
        transaction.rollbackQuietly();
        engine.closed(this);
    }

    // ------------------------------------------------------------------ SessionContext (see SessionEnvironment)

    @Override
    public Object systemVariable(String name) {
        return environment.systemVariable(name);
    }

    @Override
    public Object userVariable(String name) {
        return environment.userVariable(name);
    }

    @Override
    public Object sessionFunction(String upperName) {
        return environment.sessionFunction(upperName);
    }

    @Override
    public Object sessionFunction(String upperName, int fsp) {
        return environment.sessionFunction(upperName, fsp);
    }

    /** A prepared statement: its text and tokens, lexed once. */
    private record PreparedStatement(String sql, List<Token> tokens) {
    }
}
