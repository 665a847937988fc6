package io.cairn.compute;

import io.cairn.node.ClusterView;
import io.cairn.node.DependentRoleService;
import io.cairn.node.Role;

/**
 * The compute node role on this server. It commits through the active TN, so it is ready only while
 * a TN is ready in the cluster. The MySQL listener and the SQL engine come with their own issues.
 */
public final class ComputeNodeRole extends DependentRoleService {

    public ComputeNodeRole(ClusterView cluster) {
        super(cluster, Role.TN);
    }

    @Override
    public Role role() {
        return Role.CN;
    }

    @Override
    public void start() {
        // nothing to open yet: the MySQL listener comes with the protocol issue
    }

    @Override
    public void stop() {
        // nothing to release yet
    }
}
