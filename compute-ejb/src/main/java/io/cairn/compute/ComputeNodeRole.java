package io.cairn.compute;

import io.cairn.data.DataNode;
import io.cairn.log.LogService;
import io.cairn.node.HealthReport;
import io.cairn.node.Role;
import io.cairn.node.RoleService;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.TransactionService;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The compute node role on this server: its {@link DataNode} follows the shared log. Ready while
 * it follows the log with an apply lag under {@link #MAX_LAG} entries. The MySQL listener and the
 * SQL engine come with the protocol issue.
 */
public final class ComputeNodeRole implements RoleService {
    static final long MAX_LAG = 1000;

    private final Supplier<LogService> log;
    private final Supplier<TransactionService> transactionNode;
    private final String name;
    private volatile DataNode data;

    /**
     * @param log             the shared log, available once the log role has started
     * @param transactionNode the TN to commit through; null while none is known
     */
    public ComputeNodeRole(Supplier<LogService> log, Supplier<TransactionService> transactionNode, String name) {
        this.log = log;
        this.transactionNode = transactionNode;
        this.name = name;
    }

    @Override
    public Role role() {
        return Role.CN;
    }

    @Override
    public void start() {
        DataNode node = new DataNode(log.get(), this::activeTransactionNode,
                new DataNode.Settings(name, Duration.ofSeconds(10), Duration.ofSeconds(10)));
        node.start();
        data = node;
    }

    private TransactionService activeTransactionNode() {
        TransactionService tn = transactionNode.get();
        if (tn == null) {
            throw new TransactionNodeUnavailableException("no transaction node is reachable from " + name, null);
        }
        return tn;
    }

    /** The data layer of this CN; null before {@link #start()}. */
    public DataNode data() {
        return data;
    }

    @Override
    public void stop() {
        DataNode node = data;
        if (node != null) {
            node.close();
        }
    }

    @Override
    public HealthReport readiness() {
        DataNode node = data;
        if (node == null) {
            return HealthReport.down(Map.of("state", "not started"));
        }
        Map<String, Object> report = new LinkedHashMap<>();
        String failure = node.failure();
        if (failure != null) {
            report.put("error", failure);
            return HealthReport.down(report);
        }
        long applied = node.appliedLsn();
        // The local view of the log's progress, answered without a network round trip.
        long available = log.get().awaitCommitted(Long.MAX_VALUE, Duration.ZERO);
        long lag = Math.max(0, available - applied);
        report.put("appliedLsn", applied);
        report.put("lag", lag);
        return HealthReport.of(lag <= MAX_LAG, report);
    }

    @Override
    public HealthReport liveness() {
        DataNode node = data;
        boolean following = node != null && node.failure() == null;
        return HealthReport.of(following, Map.of("following", following));
    }
}
