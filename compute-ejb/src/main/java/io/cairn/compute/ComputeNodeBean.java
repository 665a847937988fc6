package io.cairn.compute;

import io.cairn.log.LogService;
import io.cairn.txn.TransactionService;
import jakarta.ejb.Singleton;
import java.util.function.Supplier;

/** The EJB face of the compute node: the one place other modules get this server's CN from. */
@Singleton
public class ComputeNodeBean {
    private ComputeNodeRole role;

    /** The CN role of this server, created on first use. */
    public synchronized ComputeNodeRole role(Supplier<LogService> log, Supplier<TransactionService> localActiveTn,
            String name, String clusterSecret) {
        if (role == null) {
            role = new ComputeNodeRole(log, localActiveTn, name, clusterSecret);
        }
        return role;
    }
}
