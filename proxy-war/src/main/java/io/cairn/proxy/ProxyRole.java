package io.cairn.proxy;

import io.cairn.node.ClusterView;
import io.cairn.node.HealthReport;
import io.cairn.node.MemberInfo;
import io.cairn.node.Role;
import io.cairn.node.RoleService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The proxy role on this server: the client-facing MySQL port, relaying each connection to a ready
 * compute node of the cluster ({@link ConnectionRelay}). Ready while it listens and some CN is
 * ready. CN groups, session migration and failover come with the proxy issue.
 */
public final class ProxyRole implements RoleService {
    private static final int MAX_CONNECTIONS = 4096;

    private final ClusterView cluster;
    private final String host;
    private final int port;
    private final ConnectionRelay.LocalBackend localCn;
    private volatile ConnectionRelay relay;

    /** @param localCn this server's CN, served in-process when picked ({@link ConnectionRelay.LocalBackend#NONE} if none) */
    public ProxyRole(ClusterView cluster, String host, int port, ConnectionRelay.LocalBackend localCn) {
        this.cluster = cluster;
        this.host = host;
        this.port = port;
        this.localCn = localCn;
    }

    @Override
    public Role role() {
        return Role.PROXY;
    }

    @Override
    public void start() throws InterruptedException {
        relay = new ConnectionRelay(host, port, this::readyComputeNodes, localCn, MAX_CONNECTIONS).start();
    }

    private List<String> readyComputeNodes() {
        return cluster.readyMembers(Role.CN).stream().map(MemberInfo::endpoints).map(MemberInfo.Endpoints::cnMysql)
                .filter(Objects::nonNull).toList();
    }

    @Override
    public void stop() {
        ConnectionRelay r = relay;
        if (r != null) {
            r.close();
        }
    }

    @Override
    public HealthReport readiness() {
        ConnectionRelay r = relay;
        Map<String, Object> data = new LinkedHashMap<>();
        int ready = readyComputeNodes().size();
        data.put("ready-cn-members", ready);
        boolean listening = r != null && r.listening();
        data.put("listening", listening);
        if (r != null) {
            data.put("connections", r.connections());
        }
        return HealthReport.of(listening && ready > 0, data);
    }

    @Override
    public HealthReport liveness() {
        ConnectionRelay r = relay;
        boolean listening = r != null && r.listening();
        return HealthReport.of(listening, Map.of("listening", listening));
    }
}
