package io.cairn.sql.session;

import io.cairn.data.Concurrency;
import io.cairn.data.Isolation;
import io.cairn.data.LockWaitTimeoutException;
import io.cairn.data.Transaction;
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
import io.cairn.sql.auth.Accounts;
import io.cairn.sql.auth.Hosts;
import io.cairn.sql.auth.Privilege;
import io.cairn.sql.auth.TableAccess;
import io.cairn.sql.catalog.AutoIncrementAllocator;
import io.cairn.sql.catalog.Catalog;
import io.cairn.sql.catalog.IndexDefinition;
import io.cairn.sql.catalog.TableDefinition;
import io.cairn.sql.exec.DdlExecutor;
import io.cairn.sql.exec.DmlExecutor;
import io.cairn.sql.exec.DmlTarget;
import io.cairn.sql.exec.ExecContext;
import io.cairn.sql.exec.IndexBuild;
import io.cairn.sql.exec.QueryRows;
import io.cairn.sql.exec.QueryRunner;
import io.cairn.sql.exec.StatementEnv;
import io.cairn.sql.frontend.CalciteText;
import io.cairn.sql.frontend.DdlParser;
import io.cairn.sql.frontend.DdlStatement;
import io.cairn.sql.frontend.HavingRewriter;
import io.cairn.sql.frontend.InsertRewriter;
import io.cairn.sql.frontend.Lexer;
import io.cairn.sql.frontend.SelectLabels;
import io.cairn.sql.frontend.SessionContext;
import io.cairn.sql.frontend.ShapedText;
import io.cairn.sql.frontend.StatementShaper;
import io.cairn.sql.frontend.Token;
import io.cairn.sql.frontend.TokenCursor;
import io.cairn.sql.plan.CatalogSchemas;
import io.cairn.sql.plan.CompiledQuery;
import io.cairn.sql.plan.ParameterBinder;
import io.cairn.sql.plan.PlanCache;
import io.cairn.sql.plan.QueryCompiler;
import io.cairn.sql.plan.SqlParsing;
import io.cairn.txn.LockMode;
import io.cairn.txn.SnapshotTooOldException;
import io.cairn.txn.TransactionException;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.WriteConflictException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlNode;

/**
 * One MySQL session: the {@link SessionHandler} of a connection. It classifies each statement with
 * the front-end and runs it: queries through the plan cache and Calcite, DML through
 * {@link DmlExecutor}, DDL through {@link DdlExecutor} in a transaction of its own, session and admin
 * statements ({@link SessionStatements}, {@link ShowStatements}, {@link AccountStatements}) here.
 *
 * <h2>Transactions</h2>
 * With autocommit on and no BEGIN, every statement runs in its own transaction, committed at its
 * end. BEGIN/START TRANSACTION (or autocommit off) keeps one {@link Transaction} until COMMIT or
 * ROLLBACK; DDL commits it first, like MySQL. A failed statement leaves the transaction as it was.
 * Transactions are pessimistic unless {@code cairn_txn_mode} is {@code optimistic}: INSERT, UPDATE,
 * DELETE and {@code SELECT … FOR UPDATE/SHARE} read the latest committed rows and lock them, waiting
 * up to {@code innodb_lock_wait_timeout} (1205, the statement undone); a statement whose locked rows
 * changed before it got the locks runs again. A deadlock victim, or a write conflict at commit
 * (optimistic mode, or after a TN failover lost the locks), rolls the whole transaction back: 1213 /
 * SQLSTATE 40001.
 *
 * <h2>Privileges</h2>
 * The session is one account ({@code 'user'@'host'}, matched at login); its privileges are resolved
 * once per grants version ({@link #privileges(Transaction)}). Every plan is checked at every execution
 * ({@link #checkAccess}: what it reads, views' queries with their definers' rights), DML targets by
 * {@link DmlExecutor}, DDL by {@link #checkDdlPrivilege}, SHOW by {@link ShowStatements}, account
 * statements by {@link AccountStatements}; see the README's "Accounts and privileges".
 *
 * <p>Threading: as {@link SessionHandler} says — one command at a time, {@link #cancel()} from any thread.
 */
public final class Session implements SessionHandler, SessionContext {
    /** CLIENT_FOUND_ROWS capability bit. */
    private static final int CLIENT_FOUND_ROWS = 2;
    /** A DDL that keeps losing write conflicts to concurrent DDL gives up after this many runs. */
    private static final int DDL_ATTEMPTS = 20;
    /** Warnings kept per statement (MySQL's default max_error_count). */
    private static final int MAX_WARNINGS = 64;
    /** The message of {@link MysqlError#NO_SUCH_TABLE}: database and table. */
    private static final java.util.regex.Pattern NO_SUCH_TABLE_MESSAGE = java.util.regex.Pattern.compile("Table '(.*)\\.(.*)' doesn't exist");

    private final SqlEngine engine;
    /** The capability flag of clients that are interactive (the mysql CLI): wait_timeout starts from interactive_timeout. */
    private static final int CLIENT_INTERACTIVE = 1 << 10;

    private final SessionInfo info;
    /** The account the client logged in as ({@code CURRENT_USER()}). */
    private final Account account;
    /** The client's host as messages name it ({@code localhost} or its IP address). */
    private final String clientHost;
    /** The password expired: only ALTER USER / SET PASSWORD / SET run until it is changed (1820). */
    private boolean sandbox;
    /** The accounts snapshot {@link #privileges} was resolved from. */
    private Accounts accountsSeen;
    private AccountPrivileges privileges = AccountPrivileges.NONE;
    private final SessionVariables variables;
    private final Map<String, Object> userVariables = new HashMap<>();
    private final Map<Integer, PreparedStatement> prepared = new HashMap<>();
    private final List<Object[]> warnings = new ArrayList<>();
    private int unlistedWarnings;
    private final AtomicBoolean cancel = new AtomicBoolean();
    /** The command running now (SHOW PROCESSLIST reads it from other sessions' threads), or null. */
    private volatile Running running;
    /** See {@link #stage()}. */
    private volatile String stage;

    /** The query whose rows are being sent (its statement still open), or null. */
    private StreamedQuery streaming;
    /** Whether the running command may answer with a streamed result: a single statement, not a multi-statement query. */
    private boolean mayStream;

    private String database;
    private boolean autocommit = true;
    private Isolation isolation = Isolation.REPEATABLE_READ;
    private Isolation nextIsolation;
    private boolean readOnly;
    private Transaction txn;
    private boolean explicit;
    /** The XA branch this session's transaction belongs to, or null. */
    private XaStatements.Branch xa;
    private long lastInsertId;
    private long rowCount = -1;
    private long foundRows;
    private boolean multiStatements;
    private LocalDateTime statementStart = LocalDateTime.now(ZoneOffset.UTC);

    Session(SqlEngine engine, SessionInfo info, Account account) throws MysqlException {
        this.engine = engine;
        this.info = info;
        this.account = account;
        this.clientHost = Hosts.clientHost(info.remoteAddress());
        this.sandbox = account.passwordExpired();
        this.variables = new SessionVariables(engine.globals());
        if ((info.clientCapabilities() & CLIENT_INTERACTIVE) != 0) {
            // MySQL: an interactive client's session wait_timeout starts from the global interactive_timeout
            variables.set("wait_timeout", variables.get("global.interactive_timeout"));
        }
        Object globalIsolation = engine.globals().get("transaction_isolation");
        if (globalIsolation != null) {
            isolation = SessionStatements.isolation(String.valueOf(globalIsolation));
        }
        this.multiStatements = (info.clientCapabilities() & (1 << 16)) != 0;
        if (info.database() != null && !info.database().isEmpty()) {
            initDb(info.database());
        }
    }

    long connectionId() {
        return info.connectionId();
    }

    /** Whether the client's own connection uses TLS (to this port, or to the proxy that logged in for it). */
    boolean secure() {
        return info.secure();
    }

    /** Whether a proxy logged in for this session's client. */
    boolean viaProxy() {
        return info.proxy() != null;
    }

    /** The session's wait_timeout (see the constructor for interactive clients). */
    @Override
    public java.time.Duration idleTimeout() {
        Object v = variables.get("wait_timeout");
        return java.time.Duration.ofSeconds(((Number) v).longValue());
    }

    String user() {
        return info.user();
    }

    /** The account the session logged in as. */
    Account account() {
        return account;
    }

    /** The client's host for messages and SHOW PROCESSLIST. */
    String clientHost() {
        return clientHost;
    }

    /** Leaves the expired-password sandbox (the session's own password was changed). */
    void passwordChanged() {
        sandbox = false;
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

    SqlEngine engine() {
        return engine;
    }

    SessionVariables variables() {
        return variables;
    }

    Map<String, Object> userVariables() {
        return userVariables;
    }

    List<Object[]> warnings() {
        return warnings;
    }

    /** Adds a note (level "Note"): an error that IF [NOT] EXISTS turned into a remark. */
    void note(SqlException e) {
        warnings.add(new Object[] {"Note", (long) e.error().code(), e.getMessage()});
    }

    /**
     * Adds a warning of the running statement's execution. A conversion warning (1292) is added once
     * per statement: a conversion that a plan re-checks per row (a constant compared with every
     * row's column) warns once, not once per row as a literal reading of MySQL would (MySQL converts
     * such a constant once); others (1365 division by 0) once per occurrence, as in MySQL.
     */
    private void warn(int code, String message) {
        if (code == MysqlError.TRUNCATED_WRONG_VALUE.code()) {
            for (Object[] w : warnings) {
                if (((Long) w[1]) == code && w[2].equals(message)) {
                    return;
                }
            }
        }
        addWarning(code, message);
    }

    /**
     * Adds a warning; beyond {@value #MAX_WARNINGS} (MySQL's default max_error_count) it is counted
     * in the warning count but not listed, as in MySQL.
     */
    private void addWarning(int code, String message) {
        if (warnings.size() >= MAX_WARNINGS) {
            unlistedWarnings++;
        } else {
            warnings.add(new Object[] {"Warning", (long) code, message});
        }
    }

    /** The running (or last) statement's warning count. */
    private int warningCount() {
        return warnings.size() + unlistedWarnings;
    }

    private void clearWarnings() {
        warnings.clear();
        unlistedWarnings = 0;
    }

    // ------------------------------------------------------------------ SessionHandler

    @Override
    public QueryResult query(String sql) throws MysqlException {
        detachStream();
        cancel.set(false);
        running = new Running(sql, System.nanoTime());
        try {
            List<String> statements = multiStatements ? splitStatements(sql) : List.of(sql);
            if (statements.size() == 1) {
                mayStream = true;
                return run(statements.get(0));
            }
            List<QueryResult> results = new ArrayList<>();
            for (String s : statements) {
                results.add(run(s));
            }
            return new QueryResult.Multi(results);
        } catch (RuntimeException e) {
            throw mapError(e);
        } finally {
            mayStream = false;
            if (streaming == null) {
                running = null; // else it runs until the stream ends
            }
        }
    }

    /**
     * Maps an error for the client; a missing table the user holds no privilege on is reported as
     * 1142, as MySQL does, so that its existence cannot be probed.
     */
    private MysqlException mapError(RuntimeException e) {
        MysqlException m = ErrorMapper.toMysql(e, database);
        if (m.code() == MysqlError.NO_SUCH_TABLE.code()) {
            java.util.regex.Matcher t = NO_SUCH_TABLE_MESSAGE.matcher(m.getMessage());
            if (t.matches() && !privilegesNow().seesTable(t.group(1), t.group(2))) {
                return ErrorMapper.toMysql(AccessChecks.tableDenied(Privilege.SELECT, user(), clientHost, t.group(2)), database);
            }
        }
        return m;
    }

    @Override
    public StatementMetadata prepare(int statementId, String sql) throws MysqlException {
        detachStream();
        try {
            List<Token> tokens = Lexer.tokenize(sql);
            int params = 0;
            for (Token t : tokens) {
                if (t.type() == Token.Type.PARAM) {
                    params++;
                }
            }
            prepared.put(statementId, new PreparedStatement(sql, tokens));
            return StatementMetadata.of(params, resultColumns(sql, tokens));
        } catch (RuntimeException e) {
            throw mapError(e);
        }
    }

    /**
     * The result columns of a prepared query, from its plan with NULL for every parameter (clients
     * such as libmysqlclient fetch a result only when the prepare answer announced columns); empty
     * for other statements and for queries that only compile with their values.
     */
    private List<ColumnDef> resultColumns(String sql, List<Token> tokens) {
        TokenCursor c = new TokenCursor(sql, tokens);
        if (c.atEnd() || !(c.peek().is("SELECT") || c.peek().is("WITH") || c.peek().isSymbol("("))) {
            return List.of();
        }
        List<Token> nulls = new ArrayList<>(tokens.size());
        for (Token t : tokens) {
            nulls.add(t.type() == Token.Type.PARAM ? new Token(Token.Type.WORD, "NULL", t.start(), t.end()) : t);
        }
        List<Token> query = HavingRewriter.rewrite(nulls, queryEnd(nulls, c.end()).end());
        ShapedText text = StatementShaper.shape(query, 0, query.size(), this);
        try {
            List<String> labels = SelectLabels.of(sql, nulls, c.end());
            return inStatement(t -> QueryRunner.columns(new Env(t).compile("query", text, SqlParsing::parse, false)
                    .query().rowType(), labels));
        } catch (SqlException e) {
            if (isAccessError(e)) {
                throw e; // refused at PREPARE, as in MySQL (EXECUTE checks again)
            }
            return List.of();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    @Override
    public QueryResult execute(int statementId, List<Parameter> parameters) throws MysqlException {
        PreparedStatement ps = prepared.get(statementId);
        if (ps == null) {
            throw new MysqlException(MysqlError.UNKNOWN_STMT_HANDLER.code(), MysqlError.UNKNOWN_STMT_HANDLER.sqlState(),
                    String.format(MysqlError.UNKNOWN_STMT_HANDLER.template(), statementId, "mysqld_stmt_execute"), false, null);
        }
        detachStream();
        cancel.set(false);
        running = new Running(ps.sql(), System.nanoTime());
        try {
            mayStream = true;
            return run(ps.sql(), PreparedText.bind(ps.tokens(), parameters));
        } catch (RuntimeException e) {
            throw mapError(e);
        } finally {
            mayStream = false;
            if (streaming == null) {
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
        detachStream();
        try {
            use(db);
        } catch (RuntimeException e) {
            throw ErrorMapper.toMysql(e, database);
        }
    }

    @Override
    public List<ColumnDef> fieldList(String table, String wildcard) throws MysqlException {
        detachStream();
        try {
            Catalog c = catalogNow();
            TableDefinition t = database == null ? null : c.table(database, table);
            AccountPrivileges p = privilegesNow();
            if (t == null || !p.seesTable(database, table)) {
                throw t == null ? new SqlException(MysqlError.NO_SUCH_TABLE, String.valueOf(database), table)
                        : AccessChecks.tableDenied(Privilege.SELECT, user(), clientHost, table);
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
        abandonStream();
        rollbackQuietly();
        prepared.clear();
        userVariables.clear();
        clearWarnings();
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
        return autocommit;
    }

    @Override
    public boolean inTransaction() {
        return txn != null;
    }

    @Override
    public boolean readOnlyTransaction() {
        return txn != null && readOnly;
    }

    @Override
    public String database() {
        return database;
    }

    @Override
    public void close() {
        abandonStream();
        rollbackQuietly();
        engine.closed(this);
    }

    // ------------------------------------------------------------------ dispatch

    private QueryResult run(String sql) {
        return run(sql, Lexer.tokenize(sql));
    }

    /** Runs one statement given as its text (for messages) and its tokens. */
    private QueryResult run(String sql, List<Token> tokens) {
        statementStart = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        TokenCursor c = new TokenCursor(sql, tokens);
        if (c.atEnd()) {
            throw new SqlException(MysqlError.EMPTY_QUERY);
        }
        Token first = c.peek();
        String kw = first.keyword();
        if (!kw.equals("SHOW") && !readsDiagnostics(tokens)) {
            clearWarnings();
        }
        if (first.isSymbol("(")) {
            kw = "SELECT";
        }
        boolean setPassword = kw.equals("SET") && c.peek(1) != null && c.peek(1).is("PASSWORD");
        if (sandbox && !setPassword && !kw.equals("SET") && !(kw.equals("ALTER") && c.peek(1) != null && c.peek(1).is("USER"))) {
            throw new SqlException(MysqlError.MUST_CHANGE_PASSWORD);
        }
        QueryResult result;
        switch (setPassword ? "PASSWORD" : kw) {
            case "SELECT", "WITH", "VALUES", "TABLE" -> result = runQuery(c);
            case "INSERT", "REPLACE" -> {
                checkWritable();
                InsertRewriter.Insert ins = InsertRewriter.rewrite(tokens, c.end(), this);
                result = dml(() -> DmlExecutor.insert(ins, env()));
            }
            case "UPDATE" -> {
                checkWritable();
                ShapedText text = StatementShaper.shape(tokens, 0, c.end(), this);
                result = dml(() -> DmlExecutor.update(text, env()));
            }
            case "DELETE" -> {
                checkWritable();
                ShapedText text = StatementShaper.shape(tokens, 0, c.end(), this);
                result = dml(() -> DmlExecutor.delete(text, env()));
            }
            case "SET" -> result = new SessionStatements(this).set(c);
            case "PASSWORD" -> {
                commitImplicitly();
                result = new AccountStatements(this).run(c);
            }
            case "SHOW" -> result = new ShowStatements(this).show(c);
            case "DESC", "DESCRIBE", "EXPLAIN" -> result = new ShowStatements(this).describe(c);
            case "USE" -> {
                c.next();
                use(c.identifier());
                result = QueryResult.ok();
            }
            case "XA" -> result = new XaStatements(this).run(c);
            case "BEGIN", "START" -> {
                checkNoXa();
                result = begin(c);
            }
            case "COMMIT" -> {
                checkNoXa();
                commit();
                result = QueryResult.ok();
            }
            case "ROLLBACK" -> {
                checkNoXa();
                c.next();
                c.accept("WORK");
                if (c.accept("TO")) {
                    throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "SAVEPOINT");
                }
                rollbackQuietly();
                result = QueryResult.ok();
            }
            case "SAVEPOINT", "RELEASE" -> throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "SAVEPOINT");
            case "CREATE", "DROP", "ALTER", "TRUNCATE", "GRANT", "REVOKE", "RENAME" -> result = ddlOrAccount(c);
            case "KILL" -> result = new SessionStatements(this).kill(c);
            case "DO" -> {
                c.next();
                evaluate(tokens, c.position(), c.end());
                result = QueryResult.ok();
            }
            case "FLUSH", "ANALYZE", "OPTIMIZE", "LOCK", "UNLOCK", "CHECKSUM", "CHECK", "REPAIR", "RESET" ->
                    result = QueryResult.ok();
            default -> throw c.error();
        }
        if (result instanceof QueryResult.Ok ok && ok.warnings() < warningCount()) {
            // the count the OK packet reports: warnings of the evaluation (SET, DO) and notes of DDL too
            result = new QueryResult.Ok(ok.affectedRows(), ok.lastInsertId(), warningCount(), ok.info());
        }
        rowCount = result instanceof QueryResult.Ok ok ? ok.affectedRows() : -1;
        if (result instanceof QueryResult.Ok ok && ok.lastInsertId() != 0) {
            lastInsertId = ok.lastInsertId();
        }
        return result;
    }

    /**
     * Whether a statement reads {@code @@warning_count} or {@code @@error_count}: like SHOW WARNINGS,
     * it keeps the previous statement's warnings (MySQL's DA_KEEP_DIAGNOSTICS).
     */
    private static boolean readsDiagnostics(List<Token> tokens) {
        for (Token t : tokens) {
            if (t.type() == Token.Type.SYSTEM_VAR) {
                String n = t.text().toLowerCase(Locale.ROOT);
                if (n.endsWith("warning_count") || n.endsWith("error_count")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * ALTER INSTANCE RELOAD TLS [NO ROLLBACK ON ERROR]: the client ports' key store is read again, for new
     * connections (CONNECTION_ADMIN, 1227). A key store that cannot be read is 3888 and the previous
     * certificate stays in use, also with NO ROLLBACK ON ERROR (where MySQL would turn TLS off).
     */
    private QueryResult alterInstance(TokenCursor c) {
        c.next();
        c.next();
        if (!c.acceptAll("RELOAD", "TLS")) {
            throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "this ALTER INSTANCE");
        }
        c.acceptAll("NO", "ROLLBACK", "ON", "ERROR");
        c.expectEnd();
        AccountPrivileges p = privilegesNow();
        if (!p.hasGlobal(Privilege.CONNECTION_ADMIN)) {
            throw new SqlException(MysqlError.SPECIFIC_ACCESS_DENIED, "CONNECTION_ADMIN");
        }
        SqlEngine.TlsReloader reloader = engine.tlsReloader();
        if (reloader == null) {
            throw new SqlException(MysqlError.SSL_LIBRARY_ERROR, "no TLS key store is configured");
        }
        try {
            reloader.reload();
        } catch (IllegalArgumentException e) {
            throw new SqlException(MysqlError.SSL_LIBRARY_ERROR, e.getMessage());
        }
        return QueryResult.ok();
    }

    private QueryResult ddlOrAccount(TokenCursor c) {
        Token second = c.peek(1);
        String k2 = second == null ? "" : second.keyword();
        String k0 = c.peek().keyword();
        if (k0.equals("GRANT") || k0.equals("REVOKE") || k2.equals("USER") || k2.equals("ROLE")) {
            commitImplicitly();
            return new AccountStatements(this).run(c);
        }
        if (k0.equals("RENAME")) {
            throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "RENAME TABLE");
        }
        if (k0.equals("ALTER") && k2.equals("INSTANCE")) {
            return alterInstance(c);
        }
        DdlStatement ddl;
        if (k0.equals("DROP") && (k2.equals("INDEX") || k2.equals("KEY"))) {
            ddl = DdlParser.parseDropIndex(c);
        } else {
            ddl = DdlParser.parse(c);
        }
        checkDdlPrivilege(ddl);
        if (ddl instanceof DdlStatement.CreateView cv) {
            ddl = cv.withDefiner(cv.definerUser() != null ? cv.definerUser() : account.user(),
                    cv.definerUser() != null ? cv.definerHost() : account.host());
        }
        commitImplicitly();
        runDdl(ddl);
        if (ddl instanceof DdlStatement.AlterTable || ddl instanceof DdlStatement.CreateIndex
                || ddl instanceof DdlStatement.DropIndex) {
            // MySQL's info of a table rebuild (its Records count is 0 for in-place changes, as here)
            return new QueryResult.Ok(0, 0, warningCount(), "Records: 0  Duplicates: 0  Warnings: " + warningCount());
        }
        return QueryResult.ok();
    }

    /**
     * MySQL's privileges for DDL: CREATE/DROP on the database for CREATE/DROP DATABASE (1044), and on
     * each table for the others (1142): CREATE (and SELECT on the LIKE table), DROP (also TRUNCATE),
     * INDEX for CREATE/DROP INDEX, ALTER, CREATE and INSERT for ALTER TABLE, CREATE VIEW (and DROP for
     * OR REPLACE of an existing view; the view's query is checked when it is compiled, see
     * {@link #validateView}).
     */
    private void checkDdlPrivilege(DdlStatement ddl) {
        AccountPrivileges p = privilegesNow();
        if (ddl instanceof DdlStatement.CreateDatabase cd) {
            requireDatabase(p, Privilege.CREATE, cd.name());
        } else if (ddl instanceof DdlStatement.DropDatabase dd) {
            requireDatabase(p, Privilege.DROP, dd.name());
        } else if (ddl instanceof DdlStatement.CreateTable ct) {
            requireTable(p, ct.table(), Privilege.CREATE);
            if (ct.like() != null) {
                requireTable(p, ct.like(), Privilege.SELECT);
            }
        } else if (ddl instanceof DdlStatement.DropTable dt) {
            for (DdlStatement.Name n : dt.tables()) {
                requireTable(p, n, Privilege.DROP);
            }
        } else if (ddl instanceof DdlStatement.CreateIndex ci) {
            requireTable(p, ci.table(), Privilege.INDEX);
        } else if (ddl instanceof DdlStatement.DropIndex di) {
            requireTable(p, di.table(), Privilege.INDEX);
        } else if (ddl instanceof DdlStatement.Truncate tr) {
            requireTable(p, tr.table(), Privilege.DROP);
        } else if (ddl instanceof DdlStatement.AlterTable at) {
            requireTable(p, at.table(), Privilege.ALTER);
            requireTable(p, at.table(), Privilege.CREATE);
            requireTable(p, at.table(), Privilege.INSERT);
        } else if (ddl instanceof DdlStatement.CreateView cv) {
            requireTable(p, cv.view(), Privilege.CREATE_VIEW);
            String db = cv.view().database() != null ? cv.view().database() : database;
            TableDefinition existing = catalogNow().table(db, cv.view().name());
            if (cv.orReplace() && existing != null) {
                requireTable(p, cv.view(), Privilege.DROP);
            }
            if (cv.definerUser() != null && !(cv.definerUser().equals(account.user())
                    && cv.definerHost().equalsIgnoreCase(account.host()))
                    && !p.hasGlobal(Privilege.SUPER)) {
                throw new SqlException(MysqlError.SPECIFIC_ACCESS_DENIED, "SUPER or SET_USER_ID");
            }
        }
    }

    /** 1044 unless the session's user holds {@code privilege} on database {@code db}. */
    private void requireDatabase(AccountPrivileges p, Privilege privilege, String db) {
        if (!privilege.in(p.database(db))) {
            throw new SqlException(MysqlError.DB_ACCESS_DENIED, user(), account.host(), db);
        }
    }

    /** 1142 unless the session's user holds {@code privilege} on the table (1046 without a database). */
    private void requireTable(AccountPrivileges p, DdlStatement.Name n, Privilege privilege) {
        String db = n.database() != null ? n.database() : database;
        if (db == null) {
            throw new SqlException(MysqlError.NO_DB);
        }
        AccessChecks.require(p, db, n.name(), privilege, List.of(), false, user(), clientHost);
    }

    /** Whether {@code e} is a refusal for lack of privileges. */
    static boolean isAccessError(SqlException e) {
        MysqlError m = e.error();
        return m == MysqlError.TABLE_ACCESS_DENIED || m == MysqlError.COLUMN_ACCESS_DENIED || m == MysqlError.DB_ACCESS_DENIED
                || m == MysqlError.VIEW_INVALID || m == MysqlError.NO_SUCH_USER || m == MysqlError.SPECIFIC_ACCESS_DENIED;
    }

    /**
     * The session user's privileges as of transaction {@code t} (one key read when accounts and grants
     * did not change since the last statement), or as of now when that is newer and {@code t} spans
     * statements.
     */
    AccountPrivileges privileges(Transaction t) {
        Accounts a = engine.privileges().at(t);
        if (t == txn && (explicit || !autocommit)) {
            // the snapshot of a transaction that spans statements may predate a REVOKE, which, as in
            // MySQL, holds from the next statement: the newer of its grants and the latest ones count.
            // "Latest" is what this CN has applied: a read barrier per statement would cost a log round each.
            Accounts latest = engine.users().applied();
            if (latest.version() > a.version()) {
                a = latest;
            }
        }
        if (a != accountsSeen) {
            privileges = a.privileges(a.account(account.user(), account.host())); // NONE once the account is dropped
            accountsSeen = a;
        }
        return privileges;
    }

    /** The session user's privileges as of the session's transaction, or a fresh snapshot. */
    AccountPrivileges privilegesNow() {
        if (txn != null) {
            return privileges(txn);
        }
        Transaction t = engine.node().begin(Isolation.REPEATABLE_READ);
        try {
            return privileges(t);
        } finally {
            t.rollback();
        }
    }

    /**
     * Checks what a compiled plan reads ({@link CompiledQuery#access()}) against the session user's
     * privileges, and the queries of SQL SECURITY DEFINER views against their definers' (1356 when a
     * definer lacks them, 1449 when it no longer exists). Runs at every execution: plans are shared
     * across sessions and users.
     */
    private void checkAccess(List<TableAccess> access, Transaction t) {
        if (access.isEmpty()) {
            return;
        }
        AccountPrivileges mine = privileges(t);
        for (TableAccess a : access) {
            if (a.via() == null) {
                AccessChecks.require(mine, a, user(), clientHost);
                continue;
            }
            Account definer = accountsSeen.account(a.via().definerUser(), a.via().definerHost());
            if (definer == null) {
                throw new SqlException(MysqlError.NO_SUCH_USER, a.via().definerUser(), a.via().definerHost());
            }
            if (!AccessChecks.allowed(accountsSeen.privileges(definer), a)) {
                throw new SqlException(MysqlError.VIEW_INVALID, a.via().database(), a.via().view());
            }
        }
    }

    private void runDdl(DdlStatement ddl) {
        if (ddl instanceof DdlStatement.CreateIndex c) {
            buildIndex(c.table(), c.index());
            return;
        }
        if (ddl instanceof DdlStatement.AlterTable a && a.actions().size() == 1
                && a.actions().get(0) instanceof DdlStatement.AddIndex add) {
            buildIndex(a.table(), add.index());
            return;
        }
        inDdlTransaction(x -> {
            x.execute(ddl);
            return null;
        });
        if (ddl instanceof DdlStatement.DropDatabase d && database != null && d.name().equalsIgnoreCase(database)) {
            database = null;
        }
    }

    /** ADD INDEX online: the index is added as building, filled in batches, then made readable ({@link IndexBuild}). */
    private void buildIndex(DdlStatement.Name table, DdlStatement.IndexSpec spec) {
        IndexDefinition index = inDdlTransaction(x -> x.startIndexBuild(table, spec));
        String db = table.database() != null ? table.database() : database;
        try {
            new IndexBuild(engine.node(), engine.store(), db, table.name(), index, cancel, s -> stage = s).run();
        } finally {
            stage = null;
        }
    }

    /** Runs {@code action} in a DDL transaction of its own, again against the new catalog when a concurrent DDL won. */
    private <T> T inDdlTransaction(Function<DdlExecutor, T> action) {
        WriteConflictException last = null;
        for (int attempt = 0; attempt < DDL_ATTEMPTS; attempt++) {
            if (attempt > 0) {
                pauseBeforeDdlRetry(attempt);
            }
            Transaction t = engine.node().begin(Isolation.REPEATABLE_READ);
            try {
                Catalog catalog = engine.store().load(t);
                List<SqlException> notes = new ArrayList<>();
                T result = action.apply(new DdlExecutor(t, catalog, engine.store(), database, notes::add,
                        view -> validateView(view, catalog, t)));
                commit(t);
                notes.forEach(this::note);
                return result;
            } catch (WriteConflictException e) {
                last = e; // a concurrent DDL committed first: run again against the new catalog
            } finally {
                t.rollback();
            }
        }
        throw last;
    }

    /**
     * Concurrent DDL all write the same catalog rows, so each round has one winner; a growing,
     * jittered pause spreads the losers out so that they do not collide again as a pack (about
     * 2 s over all attempts at most). (The TN answers a loser only once its winner is in the log,
     * so the retry's snapshot already sees it.)
     */
    private static void pauseBeforeDdlRetry(int attempt) {
        long bound = Math.min(200, 1L << Math.min(attempt + 1, 8));
        try {
            Thread.sleep(1 + ThreadLocalRandom.current().nextLong(bound));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SqlException(MysqlError.QUERY_INTERRUPTED);
        }
    }

    /**
     * Compiles a new view's query, which also checks that its creator may read what it reads (CREATE
     * VIEW needs SELECT on it, as in MySQL).
     */
    private void validateView(TableDefinition view, Catalog catalog, Transaction t) {
        SchemaPlus schema = CatalogSchemas.build(catalog, false);
        checkAccess(engine.compiler().compile(parseView(view), catalog, schema, view.database(), this::parseView, false)
                .access(), t);
    }

    SqlNode parseView(TableDefinition view) {
        List<Token> tokens = Lexer.tokenize(view.viewSql());
        return SqlParsing.parse(CalciteText.render(tokens, 0, tokens.size(), this));
    }

    // ------------------------------------------------------------------ queries

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

    private QueryResult runQuery(TokenCursor c) {
        List<Token> tokens = c.tokens();
        QueryEnd qe = queryEnd(tokens, c.end());
        int end = qe.end();
        LockMode lock = qe.lock();
        List<Token> query = HavingRewriter.rewrite(tokens, end);
        ShapedText text = StatementShaper.shape(query, 0, query.size(), this);
        List<String> labels = SelectLabels.of(c.sql(), tokens, end);
        boolean stream = mayStream && lock == null && statementDepth == 0;
        mayStream = false; // the command's own query only, never one it runs inside
        if (stream) {
            return streamQuery(text, labels);
        }
        try {
            return inStatement(lock, qe.noWait() ? Duration.ZERO : null, t -> {
                Env env = env();
                StatementEnv.Bound b = env.compile("query", text, SqlParsing::parse, false);
                // max_execution_time limits SELECTs (not locking ones), as in MySQL
                long limit = lock != null ? 0 : maxExecutionTime();
                List<Object[]> rows = QueryRunner.externalRows(b.query(), env.execContext(b.parameters(), lock, false, limit));
                foundRows = rows.size();
                return new QueryResult.Rows(QueryRunner.columns(b.query().rowType(), labels), rows, warningCount());
            });
        } catch (LockWaitTimeoutException e) {
            if (qe.noWait() && !e.cancelled()) {
                throw new SqlException(MysqlError.LOCK_NOWAIT);
            }
            throw e;
        }
    }

    /**
     * Refuses a statement in an XA transaction that is not active (XAER_RMFAIL), and begins an implicit
     * transaction when none is open; whether it began one.
     */
    private boolean openStatementTransaction() {
        if (xa != null && xa.state != XaStatements.State.ACTIVE) {
            throw new SqlException(MysqlError.XAER_RMFAIL, xa.state.name());
        }
        if (txn != null) {
            return false;
        }
        txn = engine.node().begin(takeIsolation(), concurrency());
        explicit = false;
        return true;
    }

    /**
     * Starts a non-locking query whose rows go to the client as they are produced ({@link StreamedQuery}):
     * the statement begins as in {@link #inStatement(LockMode, Duration, Function)} and stays open (and
     * under autocommit its transaction) until the stream finishes ({@link #streamFinished}) or is
     * abandoned ({@link #streamAbandoned}).
     */
    private QueryResult streamQuery(ShapedText text, List<String> labels) {
        boolean own = txn == null && autocommit;
        boolean fresh = openStatementTransaction();
        Transaction t = txn;
        statementDepth++;
        QueryRows rows = null;
        try {
            t.beginStatement(false, fresh);
            currentEnv = new Env(t);
            Env env = currentEnv;
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
        Transaction t = q.transaction();
        try {
            t.endStatement(lockWaitTimeout(), cancel::get); // not locking: never asks to run again
            statementDepth--;
            currentEnv = null;
            if (q.ownTransaction()) {
                txn = null;
                commit(t);
            }
        } catch (RuntimeException e) {
            throw streamFailed(q, e);
        }
        streaming = null;
        running = null;
        foundRows = q.count();
        rowCount = -1;
        return warningCount();
    }

    /** The streamed query failed in the middle: its statement ends as failed; the error for the client. */
    MysqlException streamFailed(StreamedQuery q, RuntimeException e) {
        endStreamedStatement(q.transaction(), q.ownTransaction(), e);
        return mapError(e);
    }

    /** The client stopped reading the streamed query (gone, cursor closed): its statement ends as failed. */
    void streamAbandoned(StreamedQuery q) {
        endStreamedStatement(q.transaction(), q.ownTransaction(), null);
    }

    /** The failure path of {@link #inStatement(LockMode, Duration, Function)} for a streamed statement. */
    private void endStreamedStatement(Transaction t, boolean own, RuntimeException failure) {
        streaming = null;
        running = null;
        currentEnv = null;
        if (statementDepth > 0) {
            statementDepth--;
            t.abortStatement();
        }
        if (own || (failure instanceof TransactionException && !(failure instanceof LockWaitTimeoutException))) {
            t.rollback();
            if (txn == t) {
                txn = null;
            }
        }
    }

    /** Before another command runs: an open cursor's remaining rows are read and its statement ends. */
    private void detachStream() {
        if (streaming != null) {
            streaming.detach();
        }
    }

    /** The session ends or resets: an open cursor's statement ends unread. */
    private void abandonStream() {
        if (streaming != null) {
            streaming.close();
        }
    }

    /** The session's max_execution_time in milliseconds (0: none). */
    private long maxExecutionTime() {
        Object v = variables.get("max_execution_time");
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
        String text = "SELECT " + CalciteText.render(tokens, from, to, this);
        return inStatement(t -> {
            Env env = new Env(t);
            StatementEnv.Bound b = env.compile("query", ShapedText.literal(text), SqlParsing::parse, false);
            List<Object[]> rows = QueryRunner.externalRows(b.query(), env.execContext(b.parameters(), null, false));
            return rows.isEmpty() ? null : rows.get(0)[0];
        });
    }

    /**
     * Runs INSERT/REPLACE/UPDATE/DELETE; {@link DmlExecutor} checks the privileges on its target table.
     *
     * <p>Under autocommit (pessimistic, outside XA) the statement first runs without row locks and
     * commits at once: the commit's conflict check refuses it when a row it wrote changed after it read
     * it or another transaction holds a lock on one. Only then does it run again the locking way (waiting
     * for those locks, as InnoDB would). Uncontended, that saves the lock round trip to the TN every
     * autocommit write paid (a bulk load's INSERTs: a fifth of the CN's time).
     */
    private QueryResult dml(Supplier<QueryResult.Ok> body) {
        if (statementDepth == 0 && txn == null && xa == null && autocommit
                && concurrency() == Concurrency.PESSIMISTIC) {
            try {
                return inStatement(null, null, t -> body.get());
            } catch (WriteConflictException e) {
                clearWarnings(); // nothing of the attempt was committed; the locking run's warnings count
            }
        }
        return inStatement(LockMode.EXCLUSIVE, null, t -> body.get());
    }

    private Env env() {
        return currentEnv;
    }

    private Env currentEnv;

    /** Runs {@code body}, which neither writes nor locks, as a statement ({@link #inStatement(LockMode, Duration, Function)}). */
    private <T> T inStatement(Function<Transaction, T> body) {
        return inStatement(null, null, body);
    }

    /** How many statements run inside each other now (an expression evaluated for SHOW, say): only the outermost is one. */
    private int statementDepth;

    /**
     * Runs {@code body} as one statement in the session's transaction, or in a transaction of its own
     * under autocommit. A locking statement ({@code lock} not null: writes, FOR UPDATE/SHARE) runs
     * again, from the start, when the rows it locked changed after it read them.
     *
     * @param lockWait how long the statement may wait for row locks; null for the session's
     *                 innodb_lock_wait_timeout
     */
    private <T> T inStatement(LockMode lock, Duration lockWait, Function<Transaction, T> body) {
        if (statementDepth > 0) {
            return body.apply(txn);
        }
        boolean own = txn == null && autocommit;
        boolean fresh = openStatementTransaction();
        Transaction t = txn;
        Env previous = currentEnv;
        statementDepth++;
        try {
            t.beginStatement(lock != null, fresh);
            T result;
            while (true) {
                currentEnv = new Env(t);
                result = body.apply(t);
                if (t.endStatement(lockWait != null ? lockWait : lockWaitTimeout(), cancel::get)) {
                    break;
                }
                clearWarnings(); // it runs again at a newer read point: only that run's warnings count
            }
            statementDepth--;
            if (own) {
                txn = null;
                commit(t);
            }
            return result;
        } catch (RuntimeException e) {
            if (statementDepth > 0) {
                statementDepth--;
                t.abortStatement();
            }
            if (own || (e instanceof TransactionException && !(e instanceof LockWaitTimeoutException))) {
                t.rollback();
                if (txn == t) {
                    txn = null;
                }
            }
            throw e;
        } finally {
            currentEnv = previous;
        }
    }

    /** The session's cairn_txn_mode. */
    private Concurrency concurrency() {
        return "optimistic".equalsIgnoreCase(String.valueOf(variables.get("cairn_txn_mode")))
                ? Concurrency.OPTIMISTIC : Concurrency.PESSIMISTIC;
    }

    /** The session's innodb_lock_wait_timeout. */
    private Duration lockWaitTimeout() {
        Object v = variables.get("innodb_lock_wait_timeout");
        return Duration.ofSeconds(v instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(v).trim()));
    }

    private Isolation takeIsolation() {
        Isolation i = nextIsolation != null ? nextIsolation : isolation;
        nextIsolation = null;
        return i;
    }

    // ------------------------------------------------------------------ transactions

    private QueryResult begin(TokenCursor c) {
        Token first = c.next();
        if (first.is("START")) {
            c.expect("TRANSACTION");
        } else {
            c.accept("WORK");
        }
        boolean ro = false;
        while (!c.atEnd()) {
            if (c.acceptAll("READ", "ONLY")) {
                ro = true;
            } else if (c.acceptAll("READ", "WRITE")) {
                ro = false;
            } else if (c.acceptAll("WITH", "CONSISTENT", "SNAPSHOT")) {
                continue;
            } else if (!c.acceptSymbol(",")) {
                throw c.error();
            }
        }
        commitImplicitly();
        txn = engine.node().begin(takeIsolation(), concurrency());
        explicit = true;
        readOnly = ro;
        return QueryResult.ok();
    }

    void commit() {
        Transaction t = txn;
        txn = null;
        explicit = false;
        readOnly = false;
        if (t != null) {
            try {
                commit(t);
            } finally {
                t.rollback();
            }
        }
    }

    /**
     * Commits {@code t}. A conflict or a too-old snapshot is a definite refusal (1213, run it again); any
     * other failure may come after the request reached the TN, so its outcome is reported as unknown.
     */
    private static void commit(Transaction t) {
        try {
            t.commit();
        } catch (WriteConflictException | SnapshotTooOldException | TransactionNodeUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CommitOutcomeUnknownException(e);
        }
    }

    /** DDL, BEGIN and account statements end an open transaction with a commit (MySQL's implicit commit). */
    void commitImplicitly() {
        checkNoXa();
        if (txn != null) {
            commit();
        }
    }

    void rollbackQuietly() {
        if (txn != null) {
            txn.rollback();
        }
        xa = null;
        txn = null;
        explicit = false;
        readOnly = false;
    }

    /** Local transaction control and implicit commits are refused while an XA branch is open, as in MySQL. */
    private void checkNoXa() {
        if (xa != null) {
            throw new SqlException(MysqlError.XAER_RMFAIL, xa.state.name());
        }
    }

    XaStatements.Branch xaBranch() {
        return xa;
    }

    boolean explicitTransaction() {
        return explicit;
    }

    /**
     * XA START: the branch's work runs in a transaction of its own. A read-only transaction that
     * autocommit=0 left open is ended first; one with work is outside any global transaction (1400).
     */
    void startXa(XaStatements.Branch branch) {
        if (txn != null) {
            if (explicit || txn.hasWrites()) {
                throw new SqlException(MysqlError.XAER_OUTSIDE);
            }
            rollbackQuietly();
        }
        txn = engine.node().begin(takeIsolation(), concurrency());
        explicit = true;
        xa = branch;
    }

    /** Ends the XA branch: commits (one phase) or rolls back its transaction. */
    void endXa(boolean commit) {
        xa = null;
        if (commit) {
            commit();
        } else {
            rollbackQuietly();
        }
    }

    private void checkWritable() {
        if (txn != null && readOnly) {
            throw new SqlException(MysqlError.CANT_EXECUTE_IN_READ_ONLY_TRANSACTION);
        }
    }

    void setAutocommit(boolean on) {
        if (on && !autocommit && txn != null && !explicit) {
            commit();
        }
        autocommit = on;
    }

    void setIsolation(Isolation level, boolean nextOnly) {
        if (nextOnly) {
            nextIsolation = level;
        } else {
            isolation = level;
        }
    }

    Isolation isolation() {
        return isolation;
    }

    void setReadOnlyDefault(boolean ro) {
        variables.set("transaction_read_only", ro ? 1L : 0L);
        variables.set("tx_read_only", ro ? 1L : 0L);
    }

    void use(String db) {
        boolean informationSchema = db.equalsIgnoreCase("information_schema");
        // privileges first, as in MySQL: an unprivileged user cannot tell a missing database from a hidden one
        if (!informationSchema && !privilegesNow().seesDatabase(db)) {
            throw new SqlException(MysqlError.DB_ACCESS_DENIED, user(), account.host(), db);
        }
        Catalog c = catalogNow();
        String actual = c.database(db);
        if (actual == null && !informationSchema) {
            throw new SqlException(MysqlError.BAD_DB, db);
        }
        database = actual != null ? actual : "information_schema";
    }

    /** The catalog as the session's transaction (or a fresh snapshot) sees it. */
    Catalog catalogNow() {
        if (txn != null) {
            return engine.catalogs().at(txn);
        }
        Transaction t = engine.node().begin(Isolation.REPEATABLE_READ);
        try {
            return engine.catalogs().at(t);
        } finally {
            t.rollback();
        }
    }

    /** Runs {@code body} with a read view (the session's transaction or a fresh one). */
    <T> T withReadTransaction(java.util.function.Function<Transaction, T> body) {
        return inStatement(body);
    }

    // ------------------------------------------------------------------ SessionContext

    @Override
    public Object systemVariable(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        String base = n.contains(".") ? n.substring(n.indexOf('.') + 1) : n;
        switch (base) {
            case "autocommit":
                return autocommit ? 1L : 0L;
            case "transaction_isolation", "tx_isolation":
                return isolation == Isolation.READ_COMMITTED ? "READ-COMMITTED" : "REPEATABLE-READ";
            case "last_insert_id", "identity":
                return lastInsertId;
            case "warning_count":
                return (long) warningCount();
            case "pseudo_thread_id":
                return info.connectionId();
            default:
                return variables.get(n);
        }
    }

    @Override
    public Object userVariable(String name) {
        return userVariables.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public Object sessionFunction(String upperName) {
        switch (upperName) {
            case "DATABASE", "SCHEMA":
                return database;
            case "VERSION":
                return SessionVariables.VERSION;
            case "LAST_INSERT_ID":
                return lastInsertId;
            case "ROW_COUNT":
                return rowCount;
            case "FOUND_ROWS":
                return foundRows;
            case "CONNECTION_ID":
                return info.connectionId();
            case "USER", "SESSION_USER", "SYSTEM_USER":
                return info.user() + "@" + clientHost;
            case "CURRENT_USER":
                return account.user() + "@" + account.host();
            case "NOW", "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP", "SYSDATE", "UTC_TIMESTAMP":
                return statementStart;
            case "CURDATE", "CURRENT_DATE", "UTC_DATE":
                return statementStart.toLocalDate();
            case "CURTIME", "CURRENT_TIME", "UTC_TIME":
                return statementStart.toLocalTime();
            default:
                return NOT_A_SESSION_FUNCTION;
        }
    }

    // ------------------------------------------------------------------ helpers

    private static List<String> splitStatements(String sql) {
        if (sql.indexOf(';') < 0) {
            return List.of(sql);
        }
        List<Token> tokens = Lexer.tokenize(sql);
        List<String> out = new ArrayList<>();
        int start = 0;
        for (Token t : tokens) {
            if (t.isSymbol(";")) {
                String s = sql.substring(start, t.start());
                if (!s.isBlank()) {
                    out.add(s);
                }
                start = t.end();
            }
        }
        String rest = sql.substring(start);
        if (!rest.isBlank() || out.isEmpty()) {
            out.add(rest);
        }
        return out;
    }

    /** A prepared statement: its text and tokens, lexed once. */
    private record PreparedStatement(String sql, List<Token> tokens) {
    }

    /** The {@link StatementEnv} of a statement running in transaction {@code t}. */
    private final class Env implements StatementEnv {
        private final Transaction t;
        private Catalog catalog;

        Env(Transaction t) {
            this.t = t;
        }

        @Override
        public Transaction transaction() {
            return t;
        }

        @Override
        public Catalog catalog() {
            if (catalog == null) {
                catalog = engine.catalogs().at(t);
            }
            return catalog;
        }

        @Override
        public String database() {
            return database;
        }

        @Override
        public DmlTarget dmlTarget(ShapedText text) {
            return engine.dmlTargets().of(text.text());
        }

        @Override
        public Bound compile(String kind, ShapedText text, Function<String, SqlNode> parse, boolean dml) {
            Catalog c = catalog();
            if (!text.values().isEmpty()) {
                PlanCache.Key key = key(c, kind, text.text());
                if (!engine.plans().literalOnly(key)) {
                    CompiledQuery q = null;
                    try {
                        q = compile(key, c, () -> parse.apply(text.text()), dml);
                    } catch (RuntimeException e) {
                        engine.plans().markLiteralOnly(key); // the literal text reports a genuine error
                    }
                    Map<String, Object> parameters = q == null ? null : ParameterBinder.bind(q.parameterTypes(), text.values());
                    if (parameters != null) {
                        return new Bound(checked(q), parameters);
                    }
                }
            }
            String literal = text.literalText();
            CompiledQuery q;
            try {
                q = compile(key(c, kind, literal), c, () -> parse.apply(literal), dml);
            } catch (RuntimeException e) {
                hideTables(literal, parse, c);
                throw e;
            }
            return new Bound(checked(q), Map.of());
        }

        /**
         * A statement that does not compile (an unknown column, say) is refused with 1142 first when it
         * names a table the user holds no privilege on, as MySQL checks privileges before columns: the
         * error must not tell that the table exists.
         */
        private void hideTables(String text, Function<String, SqlNode> parse, Catalog c) {
            SqlNode node;
            try {
                node = parse.apply(text);
            } catch (RuntimeException e) {
                return; // a syntax error says nothing about tables
            }
            AccountPrivileges p = privileges(t);
            for (String[] name : io.cairn.sql.plan.AccessAnalyzer.namedTables(node)) {
                String db = name[0] != null ? name[0] : database;
                if (db != null && c.table(db, name[1]) != null && !p.seesTable(db, name[1])) {
                    throw AccessChecks.tableDenied(Privilege.SELECT, user(), clientHost, name[1]);
                }
            }
        }

        /** The plan, once the session's user (and view definers) may run it. */
        private CompiledQuery checked(CompiledQuery q) {
            checkAccess(q.access(), t);
            return q;
        }

        @Override
        public void checkTable(TableDefinition table, Privilege privilege, java.util.Collection<String> columns) {
            AccessChecks.require(privileges(t), table.database(), table.name(), privilege, columns, false, user(), clientHost);
        }

        private PlanCache.Key key(Catalog c, String kind, String text) {
            return new PlanCache.Key(c.version(), database == null ? "" : database.toLowerCase(Locale.ROOT), kind, text);
        }

        private CompiledQuery compile(PlanCache.Key key, Catalog c, Supplier<SqlNode> parse, boolean dml) {
            return engine.plans().get(key, () -> engine.compiler().compile(parse.get(), c,
                    dml ? engine.schemas().dmlSchema(c) : engine.schemas().querySchema(c), database,
                    Session.this::parseView, dml));
        }

        @Override
        public ExecContext execContext(Map<String, Object> parameters, LockMode rowLock, boolean dml) {
            return execContext(parameters, rowLock, dml, 0);
        }

        @Override
        public ExecContext execContext(Map<String, Object> parameters, LockMode rowLock, boolean dml, long timeLimitMillis) {
            Catalog c = catalog();
            long deadline = timeLimitMillis > 0 ? System.nanoTime() + timeLimitMillis * 1_000_000L : Long.MAX_VALUE;
            return new ExecContext(dml ? engine.schemas().dmlSchema(c) : engine.schemas().querySchema(c), QueryCompiler.TYPE_FACTORY, t,
                    rowLock, parameters, cancel, statementStart.toInstant(ZoneOffset.UTC).toEpochMilli(), deadline,
                    Session.this::warn).withViewer(privileges(t)).withOperatorMemory(engine.maxOperatorMemory());
        }

        @Override
        public AutoIncrementAllocator autoIncrement() {
            return engine.autoIncrement();
        }

        @Override
        public LocalDateTime now() {
            return statementStart;
        }

        @Override
        public boolean foundRows() {
            return (info.clientCapabilities() & CLIENT_FOUND_ROWS) != 0;
        }

        @Override
        public int warningCount() {
            return Session.this.warningCount();
        }

        @Override
        public void warn(SqlException e) {
            addWarning(e.error().code(), e.getMessage());
        }
    }

}
