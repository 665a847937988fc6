package io.cairn.sql.session;

import io.cairn.data.Transaction;
import io.cairn.sql.SqlException;
import io.cairn.sql.auth.AccessChecks;
import io.cairn.sql.auth.AccountPrivileges;
import io.cairn.sql.auth.Privilege;
import io.cairn.sql.catalog.AutoIncrementAllocator;
import io.cairn.sql.catalog.Catalog;
import io.cairn.sql.catalog.TableDefinition;
import io.cairn.sql.exec.DmlTarget;
import io.cairn.sql.exec.ExecContext;
import io.cairn.sql.exec.StatementEnv;
import io.cairn.sql.frontend.ShapedText;
import io.cairn.sql.plan.AccessAnalyzer;
import io.cairn.sql.plan.CompiledQuery;
import io.cairn.sql.plan.LenientGrouping;
import io.cairn.sql.plan.ParameterBinder;
import io.cairn.sql.plan.PlanCache;
import io.cairn.sql.plan.QueryCompiler;
import io.cairn.txn.LockMode;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.calcite.sql.SqlNode;

/**
 * The {@link StatementEnv} of a statement the session runs in transaction {@code t}, one per run (a
 * statement that runs again gets a new one, with the catalog of its new read point): compiles through
 * the plan cache with the session's privileges checked, and makes execution contexts that report to the
 * session's {@link Diagnostics}.
 */
final class SessionStatementEnv implements StatementEnv {
    private final Session session;
    private final Transaction t;
    private Catalog catalog;

    SessionStatementEnv(Session session, Transaction t) {
        this.session = session;
        this.t = t;
    }

    @Override
    public Transaction transaction() {
        return t;
    }

    @Override
    public Catalog catalog() {
        if (catalog == null) {
            catalog = session.engine().catalogs().at(t);
        }
        return catalog;
    }

    @Override
    public String database() {
        return session.database();
    }

    @Override
    public DmlTarget dmlTarget(ShapedText text) {
        return session.engine().dmlTargets().of(text.text());
    }

    @Override
    public Bound compile(String kind, ShapedText text, Function<String, SqlNode> parse, boolean dml) {
        if (!onlyFullGroupBy()) { // a plan of its own: the statement means something else without it
            return compileParsed(kind + "/lenient-grouping", text, parse.andThen(LenientGrouping::rewrite), dml);
        }
        return compileParsed(kind, text, parse, dml);
    }

    private Bound compileParsed(String kind, ShapedText text, Function<String, SqlNode> parse, boolean dml) {
        Catalog c = catalog();
        if (!text.values().isEmpty()) {
            PlanCache.Key key = key(c, kind, text.text());
            if (!session.engine().plans().literalOnly(key)) {
                CompiledQuery q = null;
                try {
                    q = compile(key, c, () -> parse.apply(text.text()), dml);
                } catch (RuntimeException e) {
                    session.engine().plans().markLiteralOnly(key); // the literal text reports a genuine error
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

    /** Whether the session's {@code sql_mode} holds ONLY_FULL_GROUP_BY (itself, or through ANSI). */
    private boolean onlyFullGroupBy() {
        for (String mode : String.valueOf(session.variables().get("sql_mode")).toUpperCase(java.util.Locale.ROOT).split(",")) {
            if (mode.trim().equals("ONLY_FULL_GROUP_BY") || mode.trim().equals("ANSI")) {
                return true;
            }
        }
        return false;
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
        AccountPrivileges p = session.privileges().at(t);
        for (String[] name : AccessAnalyzer.namedTables(node)) {
            String db = name[0] != null ? name[0] : session.database();
            if (db != null && c.table(db, name[1]) != null && !p.seesTable(db, name[1])) {
                throw AccessChecks.tableDenied(Privilege.SELECT, session.user(), session.clientHost(), name[1]);
            }
        }
    }

    /** The plan, once the session's user (and view definers) may run it. */
    private CompiledQuery checked(CompiledQuery q) {
        session.privileges().checkAccess(q.access(), t);
        return q;
    }

    @Override
    public void checkTable(TableDefinition table, Privilege privilege, Collection<String> columns) {
        AccessChecks.require(session.privileges().at(t), table.database(), table.name(), privilege, columns, false,
                session.user(), session.clientHost());
    }

    private PlanCache.Key key(Catalog c, String kind, String text) {
        String database = session.database();
        return new PlanCache.Key(c.version(), database == null ? "" : database.toLowerCase(Locale.ROOT), kind, text);
    }

    private CompiledQuery compile(PlanCache.Key key, Catalog c, Supplier<SqlNode> parse, boolean dml) {
        SqlEngine engine = session.engine();
        return engine.plans().get(key, () -> engine.compiler().compile(parse.get(), c,
                dml ? engine.schemas().dmlSchema(c) : engine.schemas().querySchema(c), session.database(),
                session.environment()::parseView, dml));
    }

    @Override
    public ExecContext execContext(Map<String, Object> parameters, LockMode rowLock, boolean dml) {
        return execContext(parameters, rowLock, dml, 0);
    }

    @Override
    public ExecContext execContext(Map<String, Object> parameters, LockMode rowLock, boolean dml, long timeLimitMillis) {
        SqlEngine engine = session.engine();
        Catalog c = catalog();
        long deadline = timeLimitMillis > 0 ? System.nanoTime() + timeLimitMillis * 1_000_000L : Long.MAX_VALUE;
        return new ExecContext(dml ? engine.schemas().dmlSchema(c) : engine.schemas().querySchema(c), QueryCompiler.TYPE_FACTORY, t,
                rowLock, parameters, session.cancelFlag(), now().toInstant(ZoneOffset.UTC).toEpochMilli(), deadline,
                session.diagnostics()::warn).withViewer(session.privileges().at(t)).withOperatorMemory(engine.maxOperatorMemory());
    }

    @Override
    public AutoIncrementAllocator autoIncrement() {
        return session.engine().autoIncrement();
    }

    @Override
    public LocalDateTime now() {
        return session.environment().statementStart();
    }

    @Override
    public boolean foundRows() {
        return session.environment().clientFoundRows();
    }

    @Override
    public int warningCount() {
        return session.diagnostics().warningCount();
    }

    @Override
    public void warn(SqlException e) {
        session.diagnostics().addWarning(e.error().code(), e.getMessage());
    }
}
