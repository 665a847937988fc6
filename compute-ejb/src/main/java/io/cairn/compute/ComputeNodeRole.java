package io.cairn.compute;


import io.cairn.data.ActiveTransactionNode;
import io.cairn.data.CommitCalls;
import io.cairn.data.CommitObserver;
import io.cairn.data.DataNode;
import io.cairn.mysql.server.ClusterCertificates;
import io.cairn.mysql.server.MysqlServer;
import io.cairn.mysql.server.MysqlServerConfig;
import io.cairn.mysql.server.TlsUpgrader;
import io.cairn.sql.session.SlowQueryLog;
import io.cairn.sql.session.SqlEngine;
import io.cairn.sql.session.StatementObserver;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.log.LogService;
import io.cairn.node.ByteSize;
import io.cairn.node.ConfigException;
import io.cairn.node.HealthReport;
import io.cairn.node.NodeConfig;
import io.cairn.node.Role;
import io.cairn.node.tls.ClusterTls;
import io.cairn.node.RoleService;
import io.cairn.server.ClientTls;
import io.cairn.server.LocalComputeNode;
import io.cairn.server.ServerContext;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.TransactionService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The compute node role on this server: its {@link DataNode} follows the shared log, and its MySQL
 * port serves SQL sessions ({@link SqlEngine} over {@link MysqlServer}). Ready while it listens and
 * follows the log with an apply lag under {@link #MAX_LAG} entries.
 */
public final class ComputeNodeRole implements RoleService, LocalComputeNode {
    static final long MAX_LAG = 1000;

    /**
     * How long one commit call waits for a remote TN. Shorter than the TN lease (3 s): a call to a TN
     * that stopped answering (paused, partitioned) times out and is repeated — same txn id, so at most
     * once — at whichever TN the log names by then, instead of waiting out a takeover (chaos finding).
     */
    private static final Duration COMMIT_CALL_TIMEOUT = Duration.ofMillis(1500);
    /** How often a waiting commit call checks whether another TN took the lease meanwhile. */
    private static final Duration LEASE_CHECK = Duration.ofMillis(50);

    /**
     * @param name          this server's name
     * @param host          the address the MySQL port binds to
     * @param mysqlPort     the CN's MySQL port
     * @param rootPassword  the password of {@code root} when no user catalog exists yet ("" for none)
     * @param clusterSecret authenticates commit calls to a TN on another server; null when unset
     * @param proxySecret   lets proxies log in on their clients' behalf (the cluster secret, or without
     *                      one a secret only this JVM's proxy knows)
     * @param clientTls     TLS for clients of the MySQL port (shared with this server's proxy port), or null
     * @param requireSecureTransport the start-up value of {@code require_secure_transport} (a value set
     *                      with SET GLOBAL, kept in the catalog, takes precedence)
     * @param clusterTls    the cluster PKI: calls to a remote TN go over HTTPS with it, and the MySQL port
     *                      offers TLS with it (instead of clientTls's certificate); null on a loopback-only
     *                      server without one
     * @param checkpointCache how the CN caches checkpoint blocks ({@code cairn.cn.block-cache})
     * @param limits        the memory bounds of transactions and statements
     * @param slowQueryLog  the slow query log's file ({@code cairn.sql.slow-query-log-file}), written while
     *                      {@code slow_query_log} is ON
     */
    public record Settings(String name, String host, int mysqlPort, String rootPassword, String clusterSecret,
            byte[] proxySecret, TlsUpgrader clientTls, boolean requireSecureTransport, ClusterTls clusterTls,
            DataNode.CacheSettings checkpointCache, ComputeNodeLimits limits, Path slowQueryLog) {
    }

    /** The slow query log's file; unset: {@code slow-query.log} in the data directory. */
    public static final String SLOW_QUERY_LOG_FILE = "cairn.sql.slow-query-log-file";

    private final Supplier<LogService> log;
    private final Supplier<TransactionService> localActiveTn;
    private final CheckpointStore checkpoints;
    private final Settings settings;
    private final String name;
    private final String clusterSecret;
    private volatile MysqlServer mysql;
    private final Map<String, RemoteTransactionNode> remoteTns = new ConcurrentHashMap<>();
    /**
     * Runs commit calls to a remote TN, so the caller can give one up when the lease moves; with the
     * application's context class loader (the one the REST client was built under), whichever thread
     * happens to create a pool thread.
     */
    private final ExecutorService remoteCalls;
    private volatile DataNode data;
    private volatile SqlEngine engine;
    private final CommitCalls commitCalls;
    private volatile StatementObserver statementObserver = StatementObserver.NONE;
    private volatile CommitObserver commitObserver = CommitObserver.NONE;

    /**
     * @param log           the shared log, available once the log role has started
     * @param localActiveTn this server's TN when it is the active one, else null
     * @param checkpoints   where checkpoints are, or null when they are off
     * @param commitCalls   how commits reach the active TN through a failover; null: the data layer's
     *                      plain {@link io.cairn.data.RetryingCommitCalls}
     */
    public ComputeNodeRole(Supplier<LogService> log, Supplier<TransactionService> localActiveTn,
            CheckpointStore checkpoints, Settings settings, CommitCalls commitCalls) {
        this.commitCalls = commitCalls;
        this.log = log;
        this.localActiveTn = localActiveTn;
        this.checkpoints = checkpoints;
        this.settings = settings;
        this.name = settings.name();
        this.clusterSecret = settings.clusterSecret();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        this.remoteCalls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cairn-cn-commit-call");
            t.setDaemon(true);
            t.setContextClassLoader(loader != null ? loader : ComputeNodeRole.class.getClassLoader());
            return t;
        });
    }

    /**
     * This server's CN as the server's configuration describes it.
     *
     * @param commitCalls how commits reach the active TN through a failover
     */
    public static ComputeNodeRole create(ServerContext context, CommitCalls commitCalls) {
        NodeConfig config = context.config();
        Function<String, Optional<String>> settings = context.settings();
        Settings cn = new Settings(config.name(), config.host(), config.ports().cnMysql(),
                settings.apply(NodeConfig.ROOT_PASSWORD).orElse(""), context.clusterSecret(), context.proxySecret(),
                context.clientTls(), ClientTls.requireSecureTransport(settings), config.clusterTls().orElse(null),
                cacheSettings(config, settings), ComputeNodeLimits.load(settings),
                settings.apply(SLOW_QUERY_LOG_FILE).filter(f -> !f.isBlank()).map(Path::of)
                        .orElse(config.dataDir().resolve("slow-query.log")));
        return new ComputeNodeRole(context.log(), context.localActiveTn(), context.checkpoints(), cn, commitCalls);
    }

    /** The block cache: heap ({@code cairn.cn.block-cache}) and local disk ({@code cairn.cn.block-cache-disk}). */
    private static DataNode.CacheSettings cacheSettings(NodeConfig config, Function<String, Optional<String>> settings) {
        long heap = ByteSize.parse(NodeConfig.BLOCK_CACHE, settings.apply(NodeConfig.BLOCK_CACHE)
                .orElse(String.valueOf(DataNode.CacheSettings.defaultBlockCacheBytes())), 1 << 20, Long.MAX_VALUE);
        String diskValue = settings.apply(NodeConfig.BLOCK_CACHE_DISK).filter(v -> !v.isBlank()).orElse("0");
        long disk = "0".equals(diskValue.trim()) ? 0
                : ByteSize.parse(NodeConfig.BLOCK_CACHE_DISK, diskValue, 1 << 20, Long.MAX_VALUE);
        return new DataNode.CacheSettings(heap, checkpointPoll(settings),
                disk == 0 ? null : config.dataDir().resolve("block-cache"), disk);
    }

    /** {@code cairn.cn.checkpoint-poll-ms}: how often the CN looks for a newer checkpoint. */
    static Duration checkpointPoll(Function<String, Optional<String>> settings) {
        Optional<String> value = settings.apply(NodeConfig.CHECKPOINT_POLL_MS).map(String::trim).filter(v -> !v.isEmpty());
        if (value.isEmpty()) {
            return DataNode.CacheSettings.defaults().followEvery();
        }
        try {
            long ms = Long.parseLong(value.get());
            if (ms >= 100 && ms <= 600_000) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ConfigException(NodeConfig.CHECKPOINT_POLL_MS,
                "'" + value.get() + "' is not a number of milliseconds from 100 to 600000");
    }

    @Override
    public Role role() {
        return Role.CN;
    }

    /**
     * Reports this CN's statements and commits (see {@link StatementObserver}, {@link CommitObserver}); may be
     * called before or after {@link #start()}.
     */
    public void observe(StatementObserver statements, CommitObserver commits) {
        statementObserver = statements == null ? StatementObserver.NONE : statements;
        commitObserver = commits == null ? CommitObserver.NONE : commits;
        DataNode node = data;
        if (node != null) {
            node.observeCommits(commitObserver);
        }
        SqlEngine e = engine;
        if (e != null) {
            e.observeStatements(statementObserver);
        }
    }

    @Override
    public void start() throws InterruptedException {
        DataNode node = new DataNode(log.get(), this::activeTransactionNode,
                new DataNode.Settings(name, Duration.ofSeconds(10), Duration.ofSeconds(10),
                        settings.limits().maxWriteSetBytes()), checkpoints, settings.checkpointCache());
        if (commitCalls != null) {
            node.commitThrough(commitCalls);
        }
        node.observeCommits(commitObserver);
        node.start();
        data = node;
        SqlEngine engine = new SqlEngine(node, settings.rootPassword(), Clock.systemUTC(),
                settings.requireSecureTransport() ? Map.of("require_secure_transport", 1L) : Map.of(),
                settings.limits().maxOperatorMemory());
        engine.observeStatements(statementObserver);
        engine.logSlowQueriesTo(new SlowQueryLog(settings.slowQueryLog()));
        this.engine = engine;
        // the in-JVM address lets this server's proxy reach the CN without a socket
        MysqlServer server = new MysqlServer(MysqlServerConfig.builder().host(settings.host())
                .port(settings.mysqlPort()).proxySecret(settings.proxySecret()).localName("cairn-cn-" + name)
                .tls(settings.clientTls()).clusterCertificates(clusterCertificates()).build(),
                engine.authenticator(), engine).start();
        engine.setConnectionKiller(id -> server.kill(id, false));
        if (settings.clientTls() != null) {
            engine.setTlsReloader(settings.clientTls()::reload);
        }
        mysql = server;
    }

    /**
     * This server's TN when it is active; otherwise the lease holder named in the log, over HTTP,
     * given up as soon as the log names a later lease ({@link LeaseBoundCalls}). A stale choice is
     * harmless: a TN that is not active refuses, and the commit is repeated.
     */
    private TransactionService activeTransactionNode() {
        TransactionService local = localActiveTn.get();
        if (local != null) {
            return local;
        }
        ActiveTransactionNode lease = data.activeTransactionNode();
        if (lease == null) {
            throw new TransactionNodeUnavailableException("no transaction node has taken the lease yet", null);
        }
        if (clusterSecret == null) {
            throw new TransactionNodeUnavailableException("the active transaction node " + lease.holder()
                    + " is on another server and cairn.cluster.secret is not set", null);
        }
        RemoteTransactionNode remote = remoteTns.computeIfAbsent(lease.endpoint(),
                endpoint -> new RemoteTransactionNode(endpoint, clusterSecret,
                        settings.clusterTls() == null ? null : settings.clusterTls().material().sslContext(),
                        COMMIT_CALL_TIMEOUT));
        return new LeaseBoundCalls(remote, lease, data::activeTransactionNode, remoteCalls, LEASE_CHECK);
    }

    /** The cluster PKI as the MySQL port uses it (TLS offered, proxies' certificates checked), or null. */
    private ClusterCertificates clusterCertificates() {
        ClusterTls tls = settings.clusterTls();
        return tls == null ? null : new ClusterCertificates(tls.material().keyManager(), tls.material().trustManager());
    }

    @Override
    public String endpoint() {
        return settings.host() + ":" + settings.mysqlPort();
    }

    /** The MySQL server of this CN; null before {@link #start()} and after {@link #stop()}. */
    @Override
    public MysqlServer mysqlServer() {
        return mysql;
    }

    /** The data layer of this CN; null before {@link #start()}. */
    public DataNode data() {
        return data;
    }

    @Override
    public void stop() {
        MysqlServer server = mysql;
        if (server != null) {
            server.close();
        }
        DataNode node = data;
        if (node != null) {
            node.close();
        }
        SqlEngine sql = engine;
        if (sql != null) {
            sql.closeSlowQueryLog();
        }
        remoteCalls.shutdownNow();
        remoteTns.values().forEach(RemoteTransactionNode::close);
    }

    @Override
    public HealthReport readiness() {
        DataNode node = data;
        if (node == null) {
            return HealthReport.down(Map.of("state", "not started"));
        }
        Map<String, Object> report = new LinkedHashMap<>();
        String failure = node.failure();
        if (failure != null) {
            report.put("error", failure);
            return HealthReport.down(report);
        }
        MysqlServer server = mysql;
        if (server == null) {
            report.put("error", "the MySQL port is not open");
            return HealthReport.down(report);
        }
        long applied = node.appliedLsn();
        // The local view of the log's progress, answered without a network round trip.
        long lag = node.applyLag();
        report.put("appliedLsn", applied);
        report.put("lag", lag);
        return HealthReport.of(lag <= MAX_LAG, report);
    }

    @Override
    public HealthReport liveness() {
        DataNode node = data;
        boolean following = node != null && node.failure() == null;
        return HealthReport.of(following, Map.of("following", following));
    }
}
