package io.cairn.proxy;

import io.cairn.mysql.server.MysqlServer;
import io.cairn.node.ClusterView;
import io.cairn.node.HealthReport;
import io.cairn.node.MemberInfo;
import io.cairn.node.Role;
import io.cairn.node.NodeConfig;
import io.cairn.node.RoleService;
import io.cairn.server.LocalComputeNode;
import io.cairn.server.ProxySessions;
import io.cairn.server.ServerContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The proxy role on this server: the client-facing MySQL port ({@link ProxyServer}), sending each
 * session to a compute node of its group as membership lists them. Ready while it listens and every
 * group it knows (from the compute nodes' membership and the user rules) has a usable compute node.
 */
public final class ProxyRole implements RoleService, ProxySessions {
    private final ClusterView cluster;
    private final ProxySettings settings;
    private final ProxyServer.LocalCn localCn;
    private volatile ProxyServer server;

    /** @param localCn this server's CN, reached in-JVM ({@link ProxyServer.LocalCn#NONE} if none) */
    public ProxyRole(ClusterView cluster, ProxySettings settings, ProxyServer.LocalCn localCn) {
        this.cluster = cluster;
        this.settings = settings;
        this.localCn = localCn;
    }

    /**
     * This server's proxy as the server's configuration describes it, reaching this server's CN, if any,
     * without a socket.
     */
    public static ProxyRole create(ServerContext context) {
        NodeConfig config = context.config();
        ProxySettings settings = ProxySettings.load(config.host(), config.ports().proxyMysql(),
                context.clusterSecret(), context.jvmSecret(), context.clientTls(), context.settings());
        if (context.clusterCertificates() != null) {
            settings = settings.withClusterTls(context.clusterCertificates());
        }
        ProxyServer.LocalCn localCn = context.localComputeNode().map(ProxyRole::localCn).orElse(ProxyServer.LocalCn.NONE);
        return new ProxyRole(context.cluster(), settings, localCn);
    }

    private static ProxyServer.LocalCn localCn(LocalComputeNode cn) {
        return new ProxyServer.LocalCn(cn.endpoint(), () -> {
            MysqlServer server = cn.mysqlServer();
            return server == null ? null : server.localAddress();
        }, () -> {
            MysqlServer server = cn.mysqlServer();
            return server == null ? null : server.eventLoops();
        });
    }

    @Override
    public Role role() {
        return Role.PROXY;
    }

    @Override
    public void start() throws InterruptedException {
        ComputeNodes nodes = new ComputeNodes(this::computeNodes, new CircuitBreaker(System::nanoTime));
        server = new ProxyServer(settings, nodes, localCn).start();
    }

    private List<ComputeNodes.Cn> computeNodes() {
        String cn = Role.CN.configName();
        return cluster.members().stream()
                .filter(m -> m.roles().contains(cn) && m.endpoints().cnMysql() != null)
                .map(m -> new ComputeNodes.Cn(m.name(), m.endpoints().cnMysql(), m.cnGroup(), m.draining(),
                        m.readyRoles().contains(cn)))
                .toList();
    }

    @Override
    public void stop() {
        ProxyServer s = server;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public HealthReport readiness() {
        ProxyServer s = server;
        Map<String, Object> data = new LinkedHashMap<>();
        long ready = computeNodes().stream().filter(ComputeNodes.Cn::ready).count();
        data.put("ready-cn-members", ready);
        boolean listening = s != null && s.listening();
        data.put("listening", listening);
        Set<String> unserved = s == null ? Set.of() : s.groupsWithoutCn();
        if (s != null) {
            data.put("connections", s.connections());
            data.put("sessions", s.sessionsPerComputeNode());
            if (!unserved.isEmpty()) {
                data.put("groups-without-cn", String.join(",", unserved));
            }
        }
        return HealthReport.of(listening && ready > 0 && unserved.isEmpty(), data);
    }

    @Override
    public HealthReport liveness() {
        ProxyServer s = server;
        boolean listening = s != null && s.listening();
        return HealthReport.of(listening, Map.of("listening", listening));
    }

    /** The proxy's logged-in sessions, empty before it started. */
    @Override
    public List<SessionView> sessionViews() {
        ProxyServer s = server;
        return s == null ? List.of() : s.sessionViews();
    }

    @Override
    public boolean kill(long id) {
        ProxyServer s = server;
        return s != null && s.kill(id);
    }

    /** The proxy's sessions per compute node endpoint, empty before it started. */
    @Override
    public Map<String, Integer> sessions() {
        ProxyServer s = server;
        return s == null ? Map.of() : s.sessionsPerComputeNode();
    }

    /** Sessions moved to another compute node since this proxy started; 0 before it started. */
    public long sessionMoves() {
        ProxyServer s = server;
        return s == null ? 0 : s.sessionMoves();
    }

    /** Sessions per compute node and group ({@link ProxyServer#sessionsByPlacement()}), empty before it started. */
    public Map<ProxyServer.Placement, Integer> sessionsByPlacement() {
        ProxyServer s = server;
        return s == null ? Map.of() : s.sessionsByPlacement();
    }

    /** Client connections open now; 0 before it started. */
    public int connections() {
        ProxyServer s = server;
        return s == null ? 0 : s.connections();
    }
}
