package io.cairn.txn;

import io.cairn.node.ClusterView;
import io.cairn.node.RoleService;
import jakarta.ejb.Singleton;

/** The EJB face of the transaction node: the one place other modules get the TN role from. */
@Singleton
public class TransactionNodeBean {
    private TransactionNodeRole role;

    /** The TN role service of this server, created on first use. */
    public synchronized RoleService role(ClusterView cluster) {
        if (role == null) {
            role = new TransactionNodeRole(cluster);
        }
        return role;
    }
}
