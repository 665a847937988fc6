package io.cairn.proxy;

import io.cairn.node.ClusterView;
import io.cairn.node.DependentRoleService;
import io.cairn.node.Role;

/**
 * The proxy role on this server. It routes client sessions to compute nodes, so it is ready only
 * while a CN is ready in the cluster. The client-facing MySQL endpoint, CN groups and session
 * migration come with the proxy issue.
 */
public final class ProxyRole extends DependentRoleService {

    public ProxyRole(ClusterView cluster) {
        super(cluster, Role.CN);
    }

    @Override
    public Role role() {
        return Role.PROXY;
    }

    @Override
    public void start() {
        // nothing to open yet: the MySQL endpoint comes with the proxy issue
    }

    @Override
    public void stop() {
        // nothing to release yet
    }
}
