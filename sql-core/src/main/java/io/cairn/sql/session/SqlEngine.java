package io.cairn.sql.session;

import io.cairn.data.ActiveTransactionNode;
import io.cairn.data.DataNode;
import io.cairn.data.Isolation;
import io.cairn.data.Transaction;
import io.cairn.mysql.Authenticator;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.SessionHandler;
import io.cairn.mysql.SessionHandlerFactory;
import io.cairn.mysql.SessionInfo;
import io.cairn.sql.auth.Account;
import io.cairn.sql.auth.AccountStore;
import io.cairn.sql.auth.PrivilegeCache;
import io.cairn.sql.catalog.AutoIncrementAllocator;
import io.cairn.sql.catalog.CatalogCache;
import io.cairn.sql.catalog.CatalogStore;
import io.cairn.sql.exec.DmlTargets;
import io.cairn.sql.plan.PlanCache;
import io.cairn.sql.plan.QueryCompiler;
import io.cairn.sql.plan.SchemaCache;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The SQL engine of one compute node: the MySQL {@link SessionHandlerFactory} and
 * {@link Authenticator} that a {@code MysqlServer} on the CN port is built with. Holds what sessions
 * share: the catalog cache, the Calcite schemas of the current catalog, the plan cache, the
 * auto-increment allocator, the accounts and grants cache and the authenticator, all over the CN's
 * {@link DataNode}.
 *
 * <p>Thread-safe. Sessions are independent; each runs its statements on the wire layer's handler
 * threads, one at a time.
 */
public final class SqlEngine implements SessionHandlerFactory {
    /** Plan cache size (statement shapes). */
    public static final int PLAN_CACHE_SIZE = 4096;

    private final DataNode node;
    private final CatalogStore store = new CatalogStore();
    private final CatalogCache catalogs = new CatalogCache(store);
    private final SchemaCache schemas = new SchemaCache();
    private final PlanCache plans = new PlanCache(PLAN_CACHE_SIZE);
    private final DmlTargets dmlTargets = new DmlTargets(PLAN_CACHE_SIZE);
    private final QueryCompiler compiler = new QueryCompiler();
    private final AutoIncrementAllocator autoIncrement;
    private final PrivilegeCache privileges;
    private final Users users;
    private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    private final StatusCounters status = new StatusCounters();
    private final LongAdder connections = new LongAdder();
    private final AtomicInteger maxUsedConnections = new AtomicInteger();
    private final Clock clock;
    private final long startMillis;
    private final GlobalVariables globals;
    private final ClusterVariables clusterVariables;
    private final Object admission = new Object();
    private volatile java.util.function.LongPredicate connectionKiller = id -> false;
    private volatile TlsReloader tlsReloader;
    private volatile StatementObserver statementObserver = StatementObserver.NONE;
    private volatile SlowQueryLog slowQueryLog;

    /** ALTER INSTANCE RELOAD TLS: reads the key store of the client ports again. */
    @FunctionalInterface
    public interface TlsReloader {
        /**
         * @throws IllegalArgumentException when the key store cannot be read (the previous one stays in use)
         */
        void reload();
    }

    /** The operator memory of a statement when none is configured (cairn.sql.max-operator-memory). */
    public static final long DEFAULT_MAX_OPERATOR_MEMORY = 64L << 20;

    private final long maxOperatorMemory;

    /**
     * @param node         the CN's data layer (started)
     * @param rootPassword the password of {@code 'root'@'%'} while no row for it exists ("" for none)
     */
    public SqlEngine(DataNode node, String rootPassword) {
        this(node, rootPassword, Clock.systemUTC());
    }

    /**
     * @param clock the time failed-login blocks (PASSWORD_LOCK_TIME) are measured with
     */
    public SqlEngine(DataNode node, String rootPassword, Clock clock) {
        this(node, rootPassword, clock, Map.of());
    }

    /**
     * @param startupGlobals this server's start-up values of cluster-wide global variables, e.g.
     *                       {@code require_secure_transport} = 1; a value SET GLOBAL stored in the catalog
     *                       takes precedence
     */
    public SqlEngine(DataNode node, String rootPassword, Clock clock, Map<String, Long> startupGlobals) {
        this(node, rootPassword, clock, startupGlobals, DEFAULT_MAX_OPERATOR_MEMORY);
    }

    /**
     * @param maxOperatorMemory the bytes one statement's sorts and groupings may hold
     *                          ({@code cairn.sql.max-operator-memory}; past it: 1038), positive
     */
    public SqlEngine(DataNode node, String rootPassword, Clock clock, Map<String, Long> startupGlobals,
            long maxOperatorMemory) {
        if (maxOperatorMemory < 1) {
            throw new IllegalArgumentException("the operator memory limit must be positive, not " + maxOperatorMemory);
        }
        this.maxOperatorMemory = maxOperatorMemory;
        this.clock = clock;
        this.startMillis = clock.millis();
        this.node = node;
        this.globals = new GlobalVariables(() -> {
            ActiveTransactionNode tn = node.activeTransactionNode();
            return tn == null ? null : tn.writesRefused();
        });
        this.autoIncrement = new AutoIncrementAllocator(node, store);
        this.privileges = new PrivilegeCache(new AccountStore(), rootPassword);
        this.users = new Users(node, privileges, clock);
        this.clusterVariables = new ClusterVariables(node, globals, startupGlobals);
    }

    /**
     * Opens the session of an authenticated client; refuses locked, blocked and expired accounts, clients
     * without TLS where it is required ({@link Users}) and clients over the connection limits
     * ({@link ConnectionLimits}).
     */
    @Override
    public SessionHandler open(SessionInfo info) throws MysqlException {
        Account account;
        Transaction t = node.begin(Isolation.REPEATABLE_READ); // one snapshot for the variables and the account
        try {
            clusterVariables.refresh(t);
            account = users.loggedIn(info, t, globals);
        } finally {
            t.rollback();
        }
        Session s = new Session(this, info, account);
        synchronized (admission) { // counting and joining at once: two logins cannot both take the last place
            try {
                ConnectionLimits.admit(info, account, globals, sessions.values());
            } catch (MysqlException e) {
                s.close();
                throw e;
            }
            sessions.put(info.connectionId(), s);
            maxUsedConnections.accumulateAndGet(sessions.size(), Math::max);
        }
        connections.increment();
        return s;
    }

    /** What one statement's sorts and groupings may hold, in bytes. */
    long maxOperatorMemory() {
        return maxOperatorMemory;
    }

    /** The cluster-wide global variables. */
    ClusterVariables clusterVariables() {
        return clusterVariables;
    }

    /** Reports every statement of every session to {@code observer} (see {@link StatementObserver}); null: none. */
    public void observeStatements(StatementObserver observer) {
        this.statementObserver = observer == null ? StatementObserver.NONE : observer;
    }

    StatementObserver statementObserver() {
        return statementObserver;
    }

    /**
     * Where statements slower than {@code long_query_time} go while {@code slow_query_log} is ON (SET GLOBAL);
     * reported as {@code slow_query_log_file}. Without one, slow statements are only counted.
     */
    public void logSlowQueriesTo(SlowQueryLog log) {
        this.slowQueryLog = log;
        globals.set("slow_query_log_file", log.file().toString());
    }

    /** Closes the slow query log's file (the compute node stops). */
    public void closeSlowQueryLog() {
        SlowQueryLog log = slowQueryLog;
        if (log != null) {
            log.close();
        }
    }

    /** The slow query log if there is one and {@code slow_query_log} is ON, else null. */
    SlowQueryLog slowQueryLog() {
        Object on = globals.get("slow_query_log");
        return on instanceof Number n && n.longValue() != 0 ? slowQueryLog : null;
    }

    /** Sets what ALTER INSTANCE RELOAD TLS does; without it the statement fails (no TLS configured). */
    public void setTlsReloader(TlsReloader reloader) {
        this.tlsReloader = reloader;
    }

    TlsReloader tlsReloader() {
        return tlsReloader;
    }

    /** The values SET GLOBAL changed on this compute node. */
    GlobalVariables globals() {
        return globals;
    }

    /** The authenticator backed by the user table. */
    public Authenticator authenticator() {
        return users;
    }

    /**
     * Sets how KILL [CONNECTION] closes another connection, e.g. {@code id -> server.kill(id, false)};
     * without it KILL only interrupts the running statement.
     */
    public void setConnectionKiller(java.util.function.LongPredicate killer) {
        this.connectionKiller = killer;
    }

    boolean killConnection(long connectionId) {
        return connectionKiller.test(connectionId);
    }

    void closed(Session s) {
        sessions.remove(s.connectionId(), s);
    }

    /** This CN's statement counters ({@code SHOW GLOBAL STATUS}). */
    StatusCounters status() {
        return status;
    }

    /** Sessions opened since this CN started ({@code Connections}). */
    long connections() {
        return connections.sum();
    }

    /** The most sessions open at once since this CN started ({@code Max_used_connections}). */
    int maxUsedConnections() {
        return maxUsedConnections.get();
    }

    /** Seconds since this CN's SQL engine started ({@code Uptime}). */
    long uptimeSeconds() {
        return (clock.millis() - startMillis) / 1000;
    }

    Map<Long, Session> sessions() {
        return sessions;
    }

    DataNode node() {
        return node;
    }

    CatalogStore store() {
        return store;
    }

    CatalogCache catalogs() {
        return catalogs;
    }

    SchemaCache schemas() {
        return schemas;
    }

    /** The plan cache (hit/miss counters are useful in tests and benchmarks). */
    public PlanCache plans() {
        return plans;
    }

    DmlTargets dmlTargets() {
        return dmlTargets;
    }

    QueryCompiler compiler() {
        return compiler;
    }

    AutoIncrementAllocator autoIncrement() {
        return autoIncrement;
    }

    Users users() {
        return users;
    }

    /** Accounts and grants by snapshot. */
    PrivilegeCache privileges() {
        return privileges;
    }
}
