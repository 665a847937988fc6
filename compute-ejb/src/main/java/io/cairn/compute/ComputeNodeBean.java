package io.cairn.compute;

import io.cairn.node.ClusterView;
import io.cairn.node.RoleService;
import jakarta.ejb.Singleton;

/** The EJB face of the compute node: the one place other modules get the CN role from. */
@Singleton
public class ComputeNodeBean {
    private ComputeNodeRole role;

    /** The CN role service of this server, created on first use. */
    public synchronized RoleService role(ClusterView cluster) {
        if (role == null) {
            role = new ComputeNodeRole(cluster);
        }
        return role;
    }
}
