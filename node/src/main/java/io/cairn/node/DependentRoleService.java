package io.cairn.node;

import java.util.Map;

/**
 * A role that, until its own machinery lands, is ready exactly when the role it depends on is
 * ready somewhere in the cluster: a TN needs a log with a leader, a CN needs an active TN, a proxy
 * needs a CN. Its liveness is that this server still sees the cluster.
 */
public abstract class DependentRoleService implements RoleService {
    private final ClusterView cluster;
    private final Role dependency;

    protected DependentRoleService(ClusterView cluster, Role dependency) {
        this.cluster = cluster;
        this.dependency = dependency;
    }

    @Override
    public HealthReport readiness() {
        int ready = cluster.readyMembers(dependency).size();
        return HealthReport.of(ready > 0, Map.of("ready-" + dependency.configName() + "-members", ready));
    }

    @Override
    public HealthReport liveness() {
        int members = cluster.members().size();
        return HealthReport.of(members > 0, Map.of("members", members));
    }
}
