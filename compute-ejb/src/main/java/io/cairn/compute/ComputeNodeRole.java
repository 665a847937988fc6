package io.cairn.compute;

import io.cairn.data.ActiveTransactionNode;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The compute node role on this server: its {@link DataNode} follows the shared log. Ready while
 * it follows the log with an apply lag under {@link #MAX_LAG} entries. The MySQL listener and the
 * SQL engine come with the protocol issue.
 */
public final class ComputeNodeRole implements RoleService {
    static final long MAX_LAG = 1000;

    private static final Duration COMMIT_CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Supplier<LogService> log;
    private final Supplier<TransactionService> localActiveTn;
    private final String name;
    private final String clusterSecret;
    private final Map<String, RemoteTransactionNode> remoteTns = new ConcurrentHashMap<>();
    private volatile DataNode data;

    /**
     * @param log           the shared log, available once the log role has started
     * @param localActiveTn this server's TN when it is the active one, else null
     * @param clusterSecret authenticates commit calls to a TN on another server; null when unset
     */
    public ComputeNodeRole(Supplier<LogService> log, Supplier<TransactionService> localActiveTn, String name,
            String clusterSecret) {
        this.log = log;
        this.localActiveTn = localActiveTn;
        this.name = name;
        this.clusterSecret = clusterSecret;
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

    /**
     * This server's TN when it is active; otherwise the lease holder named in the log, over HTTP.
     * A stale choice is harmless: a TN that is not active refuses, and the commit is repeated.
     */
    private TransactionService activeTransactionNode() {
        TransactionService local = localActiveTn.get();
        if (local != null) {
            return local;
        }
        ActiveTransactionNode lease = data.activeTransactionNode();
        if (lease == null) {
            throw new TransactionNodeUnavailableException("no transaction node has taken the lease yet", null);
        }
        if (clusterSecret == null) {
            throw new TransactionNodeUnavailableException("the active transaction node " + lease.holder()
                    + " is on another server and cairn.cluster.secret is not set", null);
        }
        return remoteTns.computeIfAbsent(lease.endpoint(),
                endpoint -> new RemoteTransactionNode(endpoint, clusterSecret, COMMIT_CALL_TIMEOUT));
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
        remoteTns.values().forEach(RemoteTransactionNode::close);
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
