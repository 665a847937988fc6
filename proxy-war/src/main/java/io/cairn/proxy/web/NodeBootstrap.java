package io.cairn.proxy.web;

import io.cairn.compute.ComputeNodeBean;
import io.cairn.compute.ComputeNodeLimits;
import io.cairn.compute.ComputeNodeRole;
import io.cairn.data.DataNode;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.log.LogRole;
import io.cairn.log.LogService;
import io.cairn.log.impl.LogConfig;
import io.cairn.node.ConfigException;
import io.cairn.node.HealthReport;
import io.cairn.node.Node;
import io.cairn.node.ByteSize;
import io.cairn.node.NodeConfig;
import io.cairn.node.Probe;
import io.cairn.node.Role;
import io.cairn.node.RoleService;
import io.cairn.proxy.ClientTls;
import io.cairn.proxy.ProxyRole;
import io.cairn.proxy.ProxyServer;
import io.cairn.proxy.ProxySettings;
import io.cairn.txn.TransactionNodeBean;
import io.cairn.txn.node.CheckpointSettings;
import io.cairn.txn.TransactionNodeRole;
import io.cairn.txn.TransactionService;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import io.cairn.mysql.server.ClusterCertificates;
import io.cairn.mysql.server.MysqlServer;
import io.cairn.mysql.server.TlsUpgrader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Starts this server's {@link Node} when the application starts and stops it with the application.
 * A bad configuration is logged as one {@code CAIRN0001E} line naming the property (no stack
 * trace), the node is not started, and every health check answers DOWN with the error, so
 * {@code bin/cairn} and Kubernetes both see why.
 */
@ApplicationScoped
public class NodeBootstrap {
    private static final Logger LOG = Logger.getLogger(NodeBootstrap.class.getName());

    /** The password of {@code root} until the user catalog says otherwise; empty by default (embedded use). */

    @Inject
    Config config;

    @Inject
    StorageAccess storage;

    @Inject
    TransactionNodeBean transactionNode;

    @Inject
    ComputeNodeBean computeNode;

    private volatile Node node;
    private volatile ProxyRole proxyRole;
    private volatile LogRole logRole;
    private volatile String configError;

    void onStart(@Observes Startup startup) {
        Function<String, Optional<String>> lookup = key -> config.getOptionalValue(key, String.class);
        Node candidate = null;
        try {
            NodeConfig nodeConfig = NodeConfig.load(lookup);
            candidate = new Node(nodeConfig);
            candidate.start(roleServices(nodeConfig, candidate, lookup));
            node = candidate;
            LOG.info(() -> "CAIRN0000I: Cairn server " + nodeConfig.name() + " is starting roles " + nodeConfig.roles());
        } catch (ConfigException e) {
            configError = e.getMessage();
            LOG.severe("CAIRN0001E: Bad configuration, Cairn is not started: " + e.getMessage());
            if (candidate != null) {
                candidate.close();
            }
        }
    }

    /** The CN's block cache: heap ({@code cairn.cn.block-cache}) and local disk ({@code cairn.cn.block-cache-disk}). */
    private static DataNode.CacheSettings cacheSettings(NodeConfig nodeConfig, Function<String, Optional<String>> lookup) {
        long heap = ByteSize.parse(NodeConfig.BLOCK_CACHE, lookup.apply(NodeConfig.BLOCK_CACHE)
                .orElse(String.valueOf(DataNode.CacheSettings.defaultBlockCacheBytes())),
                1 << 20, Long.MAX_VALUE);
        String diskValue = lookup.apply(NodeConfig.BLOCK_CACHE_DISK).filter(v -> !v.isBlank()).orElse("0");
        long disk = "0".equals(diskValue.trim()) ? 0
                : ByteSize.parse(NodeConfig.BLOCK_CACHE_DISK, diskValue, 1 << 20, Long.MAX_VALUE);
        return new DataNode.CacheSettings(heap, DataNode.CacheSettings.defaults().followEvery(),
                disk == 0 ? null : nodeConfig.dataDir().resolve("block-cache"), disk);
    }

    private List<RoleService> roleServices(NodeConfig nodeConfig, Node cluster,
            Function<String, Optional<String>> lookup) {
        LogRole logRole = nodeConfig.runs(Role.LOG) ? LogRole.fromProperties(withLogDefaults(nodeConfig, lookup)) : null;
        // TN and CN use this server's log peer; servers without one need a remote log client (not yet).
        Supplier<LogRole> localLog = () -> {
            if (logRole == null) {
                throw new IllegalStateException("the tn and cn roles need the log role on the same server for now");
            }
            return logRole;
        };
        Supplier<LogService> log = () -> localLog.get().logService();
        String rootPassword = lookup.apply(NodeConfig.ROOT_PASSWORD).orElse("");
        String endpoint = nodeConfig.internalHttpAddress();
        CheckpointStore checkpoints = storage.checkpointStore();
        String clusterSecret = lookup.apply(ClusterAuthFilter.SECRET).filter(v -> !v.isBlank()).orElse(null);
        // without a cluster secret, this server's proxy and CN still trust each other through a JVM-only one
        byte[] jvmSecret = new byte[32];
        new SecureRandom().nextBytes(jvmSecret);
        ClusterCertificates clusterCertificates = nodeConfig.clusterTls()
                .map(tls -> new ClusterCertificates(tls.material().keyManager(), tls.material().trustManager()))
                .orElse(null);
        // one key store for both client ports, so one reload (file change, ALTER INSTANCE RELOAD TLS) covers both
        TlsUpgrader clientTls = ClientTls.load(lookup);
        ProxySettings proxySettings = nodeConfig.runs(Role.PROXY) ? ProxySettings.load(nodeConfig.host(),
                nodeConfig.ports().proxyMysql(), clusterSecret, jvmSecret, clientTls, lookup) : null;
        if (proxySettings != null && clusterCertificates != null) {
            proxySettings = proxySettings.withClusterTls(clusterCertificates);
        }
        byte[] proxySecret = clusterSecret != null ? clusterSecret.getBytes(StandardCharsets.UTF_8) : jvmSecret;
        ComputeNodeRole.Settings cnSettings = new ComputeNodeRole.Settings(nodeConfig.name(), nodeConfig.host(),
                nodeConfig.ports().cnMysql(), rootPassword, clusterSecret, proxySecret, clientTls,
                ClientTls.requireSecureTransport(lookup), nodeConfig.clusterTls().orElse(null),
                cacheSettings(nodeConfig, lookup),
                ComputeNodeLimits.load(lookup));
        TransactionNodeRole tnRole = nodeConfig.roles().contains(Role.TN)
                ? transactionNode.role(log, () -> localLog.get().logAdmin(), checkpoints,
                        nodeConfig.name(), endpoint,
                        ByteSize.parse(NodeConfig.MEMTABLE_MAX, lookup.apply(NodeConfig.MEMTABLE_MAX)
                                .orElse(String.valueOf(CheckpointSettings.defaultMemtableBytes())), 1 << 20, Long.MAX_VALUE))
                : null;
        // the CN asks on every commit: a plain call, not one through the EJB container's singleton lock
        Supplier<TransactionService> localActiveTn = tnRole == null ? () -> null : tnRole::activeService;
        ComputeNodeRole cnRole = nodeConfig.roles().contains(Role.CN)
                ? computeNode.role(log, localActiveTn, checkpoints, cnSettings) : null;
        ProxyServer.LocalCn localCn = cnRole == null ? ProxyServer.LocalCn.NONE
                : new ProxyServer.LocalCn(nodeConfig.host() + ":" + nodeConfig.ports().cnMysql(), () -> {
                    MysqlServer server = cnRole.mysqlServer();
                    return server == null ? null : server.localAddress();
                }, () -> {
                    MysqlServer server = cnRole.mysqlServer();
                    return server == null ? null : server.eventLoops();
                });
        List<RoleService> services = new ArrayList<>();
        for (Role role : nodeConfig.roles()) {
            services.add(switch (role) {
                case LOG -> this.logRole = logRole;
                case TN -> tnRole;
                case CN -> cnRole;
                case PROXY -> proxyRole = new ProxyRole(cluster, proxySettings, localCn);
            });
        }
        return services;
    }

    /**
     * A single log peer named after this server, on its log port, keeping its files under the data
     * folder: what an all-in-one server needs without any log setting.
     */
    private static Function<String, Optional<String>> withLogDefaults(NodeConfig nodeConfig,
            Function<String, Optional<String>> lookup) {
        Map<String, String> defaults = Map.of(
                LogConfig.PEERS, nodeConfig.name() + "=" + nodeConfig.host() + ":" + nodeConfig.ports().log(),
                LogConfig.SELF, nodeConfig.name(),
                LogConfig.DIR, nodeConfig.dataDir().resolve("log").toString());
        return key -> lookup.apply(key).filter(v -> !v.isBlank()).or(() -> Optional.ofNullable(defaults.get(key)));
    }

    @PreDestroy
    void stop() {
        Node current = node;
        if (current != null) {
            current.close();
        }
    }

    /** This server's proxy role, or empty when it runs none. */
    public Optional<ProxyRole> proxy() {
        return Optional.ofNullable(proxyRole);
    }

    /** This server's log role, or empty when it runs none. */
    public Optional<LogRole> log() {
        return Optional.ofNullable(logRole);
    }

    /** The running node, or empty when the configuration kept it from starting. */
    public Optional<Node> node() {
        return Optional.ofNullable(node);
    }

    HealthReport health(Role role, Probe probe) {
        Node current = node;
        if (current == null) {
            return HealthReport.down(Map.of("error", String.valueOf(configError)));
        }
        return current.health(role, probe);
    }

    HealthReport membershipHealth(Probe probe) {
        Node current = node;
        if (current == null) {
            return HealthReport.down(Map.of("error", String.valueOf(configError)));
        }
        return current.membershipHealth(probe);
    }
}
