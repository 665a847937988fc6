package io.cairn.sql.session;

import io.cairn.data.DataNode;
import io.cairn.mysql.Authenticator;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.SessionHandler;
import io.cairn.mysql.SessionHandlerFactory;
import io.cairn.mysql.SessionInfo;
import io.cairn.sql.auth.AccountStore;
import io.cairn.sql.auth.PrivilegeCache;
import io.cairn.sql.catalog.AutoIncrementAllocator;
import io.cairn.sql.catalog.CatalogCache;
import io.cairn.sql.catalog.CatalogStore;
import io.cairn.sql.plan.PlanCache;
import io.cairn.sql.plan.QueryCompiler;
import io.cairn.sql.plan.SchemaCache;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    private final QueryCompiler compiler = new QueryCompiler();
    private final AutoIncrementAllocator autoIncrement;
    private final PrivilegeCache privileges;
    private final Users users;
    private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    private final GlobalVariables globals = new GlobalVariables();
    private volatile java.util.function.LongPredicate connectionKiller = id -> false;

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
        this.node = node;
        this.autoIncrement = new AutoIncrementAllocator(node, store);
        this.privileges = new PrivilegeCache(new AccountStore(), rootPassword);
        this.users = new Users(node, privileges, clock);
    }

    /** Opens the session of an authenticated client; refuses locked, blocked and expired accounts (see {@link Users}). */
    @Override
    public SessionHandler open(SessionInfo info) throws MysqlException {
        Session s = new Session(this, info, users.loggedIn(info));
        sessions.put(info.connectionId(), s);
        return s;
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
