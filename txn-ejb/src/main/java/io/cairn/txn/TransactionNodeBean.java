package io.cairn.txn;

import io.cairn.log.LogAdmin;
import io.cairn.log.LogService;
import io.cairn.txn.checkpoint.CheckpointStore;
import jakarta.ejb.Singleton;
import java.util.function.Supplier;

/** The EJB face of the transaction node: the one place other modules get this server's TN from. */
@Singleton
public class TransactionNodeBean {
    private TransactionNodeRole role;

    /** The TN role of this server, created on first use. */
    public synchronized TransactionNodeRole role(Supplier<LogService> log, Supplier<LogAdmin> logAdmin,
            CheckpointStore checkpoints, String name, String endpoint, long memtableBytes) {
        if (role == null) {
            role = new TransactionNodeRole(log, logAdmin, checkpoints, name, endpoint, memtableBytes);
        }
        return role;
    }

    /** This server's TN, or null when it runs none or it has not started. */
    public synchronized TransactionService service() {
        return role == null ? null : role.service();
    }
}
