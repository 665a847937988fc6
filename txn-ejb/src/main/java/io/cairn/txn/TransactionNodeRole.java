package io.cairn.txn;

import io.cairn.node.ClusterView;
import io.cairn.node.DependentRoleService;
import io.cairn.node.Role;

/**
 * The transaction node role on this server. It cannot commit anything without the shared log, so
 * it is ready only while a log peer is ready in the cluster. Commit timestamps, conflict detection,
 * the lease and checkpoints come with the transactions issue.
 */
public final class TransactionNodeRole extends DependentRoleService {

    public TransactionNodeRole(ClusterView cluster) {
        super(cluster, Role.LOG);
    }

    @Override
    public Role role() {
        return Role.TN;
    }

    @Override
    public void start() {
        // nothing to open yet: the TN's state lives in the log
    }

    @Override
    public void stop() {
        // nothing to release yet
    }
}
