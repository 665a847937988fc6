package io.cairn.node;

import java.util.List;

/**
 * What the cluster knows about one server, as listed by {@code GET /api/cluster/members}.
 *
 * @param name       the server's configured name ({@code cairn.node.name})
 * @param uuid       the Hazelcast member id; new on every start
 * @param address    the Hazelcast member address, host:port
 * @param roles      the roles the server runs
 * @param cnGroup    the CN group of its compute node (as configured, or as set through the admin API)
 * @param draining   whether its compute node is being drained (proxies move its sessions away)
 * @param state      {@code starting}, {@code ready} or {@code not-ready}; see {@link Node}
 * @param readyRoles the roles whose readiness check is UP right now
 * @param endpoints  where the server's roles listen
 * @param local      whether this is the server that answered
 */
public record MemberInfo(
        String name,
        String uuid,
        String address,
        List<String> roles,
        String cnGroup,
        boolean draining,
        String state,
        List<String> readyRoles,
        Endpoints endpoints,
        boolean local) {

    /** host:port of each endpoint of a server; an endpoint of a role it does not run is null. */
    public record Endpoints(String mysql, String cnMysql, String http, String log) {
    }
}
