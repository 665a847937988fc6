package io.cairn.server;

import io.cairn.log.AppendObserver;
import io.cairn.log.LogAdmin;
import io.cairn.log.LogRole;
import io.cairn.log.LogService;
import io.cairn.log.impl.LogConfig;
import io.cairn.log.impl.RaftLogClient;
import io.cairn.mysql.server.ClusterCertificates;
import io.cairn.node.ConfigException;
import io.cairn.node.HealthReport;
import io.cairn.node.Node;
import io.cairn.node.NodeConfig;
import io.cairn.node.Probe;
import io.cairn.node.Role;
import io.cairn.node.RoleService;
import io.cairn.txn.TransactionService;
import io.cairn.txn.checkpoint.CheckpointStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The composition root of one server: reads its configuration, makes the secrets and key stores its
 * roles share, builds one service per configured role and starts them as one {@link Node}.
 *
 * <p>The log role is built here. The TN, CN and proxy live in the EAR's EJB and web modules, whose classes
 * this library cannot see; each gives its {@link RoleFactory} ({@link #provide}) when its module starts.
 * The node starts once {@link #start} has been called and every configured role has its factory, in
 * whichever order the modules come up.
 *
 * <p>A bad configuration is logged as one {@code CAIRN0001E} line naming the setting (no stack trace), the
 * node is not started, and every health answer is DOWN with the error, so {@code bin/cairn} and Kubernetes
 * both see why.
 *
 * <p>One instance per application ({@link #shared()}): the modules of the EAR find each other through it.
 */
public final class ServerAssembly {
    private static final Logger LOG = Logger.getLogger(ServerAssembly.class.getName());
    private static final ServerAssembly SHARED = new ServerAssembly();
    /** The roles whose factories come from the application's modules. */
    private static final Set<Role> PROVIDED = EnumSet.of(Role.TN, Role.CN, Role.PROXY);

    private final Map<Role, RoleFactory> factories = new EnumMap<>(Role.class);
    private final Map<Role, RoleService> services = new EnumMap<>(Role.class);
    private Function<String, Optional<String>> settings;
    private CheckpointStore checkpoints;
    private NodeConfig config;
    private volatile Node node;
    private volatile String notStarted = "the application has not started yet";
    private RaftLogClient remoteLog;
    private AppendObserver appendObserver = AppendObserver.NONE;

    /** An assembly of its own, for a test or an embedding; the application's modules use {@link #shared()}. */
    public ServerAssembly() {
    }

    /** The assembly of this application's server. */
    public static ServerAssembly shared() {
        return SHARED;
    }

    /** Gives the factory of a role run by one of the application's modules; a later call replaces it. */
    public synchronized void provide(Role role, RoleFactory factory) {
        if (!PROVIDED.contains(role)) {
            throw new IllegalArgumentException("role " + role + " is built by the assembly itself");
        }
        factories.put(role, factory);
        startIfComplete();
    }

    /**
     * Reports the appends of this server's log role (see {@link AppendObserver}); before {@link #start}, or it
     * applies from the next start.
     */
    public synchronized void observeLogAppends(AppendObserver observer) {
        appendObserver = observer == null ? AppendObserver.NONE : observer;
    }

    /**
     * Reads the configuration and starts the node as soon as every configured role has its factory.
     *
     * @param settings    every setting by name
     * @param checkpoints where checkpoints go; null turns them off
     */
    public synchronized void start(Function<String, Optional<String>> settings, CheckpointStore checkpoints) {
        if (this.settings != null) {
            throw new IllegalStateException("the server has been started already");
        }
        this.settings = settings;
        this.checkpoints = checkpoints;
        try {
            config = NodeConfig.load(settings);
        } catch (ConfigException e) {
            refuse(e);
            return;
        }
        startIfComplete();
    }

    private void startIfComplete() {
        if (config == null || node != null) {
            return;
        }
        List<String> missing = config.roles().stream().filter(PROVIDED::contains)
                .filter(role -> !factories.containsKey(role)).map(Role::configName).toList();
        if (!missing.isEmpty()) {
            notStarted = "waiting for the application's modules of roles " + missing;
            return;
        }
        Node candidate = new Node(config);
        try {
            candidate.start(createServices(candidate));
            node = candidate;
            LOG.info(() -> "CAIRN0000I: Cairn server " + config.name() + " is starting roles " + config.roles());
        } catch (ConfigException e) {
            candidate.close();
            services.clear();
            refuse(e);
        }
    }

    private void refuse(ConfigException e) {
        config = null;
        notStarted = e.getMessage();
        LOG.severe("CAIRN0001E: Bad configuration, Cairn is not started: " + e.getMessage());
    }

    /** Builds the services in start order, so that a factory may look at the roles before it. */
    private List<RoleService> createServices(Node cluster) {
        LogRole logRole = config.runs(Role.LOG) ? LogRole.fromProperties(withLogDefaults()) : null;
        if (logRole == null && config.runs(Role.TN)) {
            throw new ConfigException(NodeConfig.ROLES, "the tn role needs the log role on the same server: the"
                    + " active TN keeps the log's leadership on its own peer");
        }
        Supplier<LogService> log = logRole != null ? logRole::logService : this::remoteLog;
        Supplier<LogAdmin> logAdmin = () -> {
            if (logRole == null) {
                throw new IllegalStateException("this server runs no log peer");
            }
            return logRole.logAdmin();
        };
        byte[] jvmSecret = new byte[32];
        new SecureRandom().nextBytes(jvmSecret);
        ClusterCertificates clusterCertificates = config.clusterTls()
                .map(tls -> new ClusterCertificates(tls.material().keyManager(), tls.material().trustManager()))
                .orElse(null);
        String clusterSecret = settings.apply(NodeConfig.CLUSTER_SECRET).filter(v -> !v.isBlank()).orElse(null);
        // the CN asks on every commit: a plain call to the role, not one through a container or a lock
        AtomicReference<ActiveTransactionService> tn = new AtomicReference<>();
        Supplier<TransactionService> localActiveTn = () -> {
            ActiveTransactionService local = tn.get();
            return local == null ? null : local.activeService();
        };
        ServerContext context = new ServerContext(config, settings, cluster, clusterSecret, jvmSecret,
                ClientTls.load(settings), clusterCertificates, checkpoints, log, logAdmin, localActiveTn, Optional.empty());
        if (logRole != null) {
            logRole.observeAppends(appendObserver);
            services.put(Role.LOG, logRole);
        }
        for (Role role : List.of(Role.TN, Role.CN, Role.PROXY)) {
            if (config.runs(role)) {
                ServerContext forRole = role == Role.PROXY && services.get(Role.CN) instanceof LocalComputeNode cn
                        ? withLocalComputeNode(context, cn) : context;
                RoleService service = factories.get(role).create(forRole);
                services.put(role, service);
                if (service instanceof ActiveTransactionService active) {
                    tn.set(active);
                }
            }
        }
        return new ArrayList<>(services.values());
    }

    private static ServerContext withLocalComputeNode(ServerContext c, LocalComputeNode cn) {
        return new ServerContext(c.config(), c.settings(), c.cluster(), c.clusterSecret(), c.jvmSecret(),
                c.clientTls(), c.clusterCertificates(), c.checkpoints(), c.log(), c.logAdmin(), c.localActiveTn(),
                Optional.of(cn));
    }

    /**
     * The log of a server without a log peer (a compute node or proxy server): a client of the peers named in
     * {@code cairn.log.peers}, which reads from and appends through the leader. Made when a role first asks.
     */
    private synchronized LogService remoteLog() {
        if (remoteLog == null) {
            remoteLog = new RaftLogClient(LogConfig.fromProperties(settings), null);
        }
        return remoteLog;
    }

    /**
     * A single log peer named after this server, on its log port, keeping its files under the data
     * folder: what an all-in-one server needs without any log setting.
     */
    private Function<String, Optional<String>> withLogDefaults() {
        Map<String, String> defaults = Map.of(
                LogConfig.PEERS, config.name() + "=" + config.host() + ":" + config.ports().log(),
                LogConfig.SELF, config.name(),
                LogConfig.DIR, config.dataDir().resolve("log").toString());
        return key -> settings.apply(key).filter(v -> !v.isBlank()).or(() -> Optional.ofNullable(defaults.get(key)));
    }

    /** Stops the node, its roles in reverse start order, and forgets the factories it was given. */
    public synchronized void stop() {
        Node current = node;
        node = null;
        services.clear();
        factories.clear();
        settings = null;
        config = null;
        notStarted = "the server has stopped";
        if (current != null) {
            current.close();
        }
        if (remoteLog != null) {
            remoteLog.close();
            remoteLog = null;
        }
    }

    /** The running node, or empty while it has not started (configuration error, modules missing). */
    public Optional<Node> node() {
        return Optional.ofNullable(node);
    }

    /** This server's service of {@code role} as a {@code type}, or empty when it runs none of that type. */
    public synchronized <T> Optional<T> role(Role role, Class<T> type) {
        return Optional.ofNullable(services.get(role)).filter(type::isInstance).map(type::cast);
    }

    /** One probe's answer for one configured role; DOWN with the reason while the node has not started. */
    public HealthReport health(Role role, Probe probe) {
        Node current = node;
        return current == null ? notStarted() : current.health(role, probe);
    }

    /** One probe's answer for the cluster membership; DOWN with the reason while the node has not started. */
    public HealthReport membershipHealth(Probe probe) {
        Node current = node;
        return current == null ? notStarted() : current.membershipHealth(probe);
    }

    private HealthReport notStarted() {
        return HealthReport.down(Map.of("error", notStarted));
    }
}
