package io.cairn.compute;

import io.cairn.log.LogService;
import io.cairn.txn.TransactionService;
import io.cairn.txn.checkpoint.CheckpointStore;
import jakarta.ejb.Singleton;
import java.util.function.Supplier;

/** The EJB face of the compute node: the one place other modules get this server's CN from. */
@Singleton
public class ComputeNodeBean {
    private ComputeNodeRole role;

    /** The CN role of this server, created on first use. */
    public synchronized ComputeNodeRole role(Supplier<LogService> log, Supplier<TransactionService> localActiveTn,
            CheckpointStore checkpoints, ComputeNodeRole.Settings settings) {
        if (role == null) {
            role = new ComputeNodeRole(log, localActiveTn, checkpoints, settings);
        }
        return role;
    }
}
