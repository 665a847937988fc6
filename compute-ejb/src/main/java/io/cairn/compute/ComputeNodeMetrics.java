package io.cairn.compute;

import io.cairn.data.CommitObserver;
import io.cairn.data.DataNode;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The compute node's MicroProfile Metrics (application registry, {@code /metrics}): its statements by kind and
 * their latency (sql-core's statement hook), its commits by outcome and their latency (cn-data's commit hook),
 * how far it trails the log and how its block cache does (read from the {@link DataNode} when scraped).
 *
 * <p>The hooks run on session threads: one map lookup and one counter or timer update each, no lock. The
 * statement kinds are a bounded set (sql-core's {@code StatementObserver}), so the tags stay few.
 */
@ApplicationScoped
public class ComputeNodeMetrics {
    static final String STATEMENTS = "cairn.sql.statements";
    static final String STATEMENT_LATENCY = "cairn.sql.statement.latency";
    static final String COMMIT_LATENCY = "cairn.commit.latency";

    private static final Metadata STATEMENTS_META = Metadata.builder().withName(STATEMENTS)
            .withDescription("Statements clients ran on this compute node, by MySQL command (the Com_ counter's name;"
                    + " 'other' for the rest)").build();
    private static final Metadata STATEMENT_LATENCY_META = Metadata.builder().withName(STATEMENT_LATENCY)
            .withDescription("Time from a statement's arrival at this compute node until its answer was ready, by"
                    + " MySQL command").withUnit(MetricUnits.SECONDS).build();
    private static final Metadata COMMIT_LATENCY_META = Metadata.builder().withName(COMMIT_LATENCY)
            .withDescription("Time this compute node's commits took at the active transaction node (retries through a"
                    + " failover included), by outcome: committed, conflict, deadlock, snapshot_too_old, unknown"
                    + " (no answer: outcome unknown to the client), failed").withUnit(MetricUnits.SECONDS).build();

    @Inject
    MetricRegistry registry;

    private final AtomicReference<ComputeNodeRole> role = new AtomicReference<>();
    private final Map<String, Counter> statements = new ConcurrentHashMap<>();
    private final Map<String, Timer> statementLatency = new ConcurrentHashMap<>();
    private final Map<CommitObserver.Outcome, Timer> commitLatency = new ConcurrentHashMap<>();

    @PostConstruct
    void registerGauges() {
        gauge("cairn.cn.apply.lag", "Log entries committed but not yet applied by this compute node",
                MetricUnits.NONE, DataNode::applyLag);
        gauge("cairn.cn.applied.lsn", "The log position up to which this compute node has applied every entry",
                MetricUnits.NONE, DataNode::appliedLsn);
        gauge("cairn.cn.block.cache.hit.ratio", "Share of the block cache's lookups (checkpoint blocks and segment"
                + " indexes) answered from its heap since the start; NaN before the first lookup",
                MetricUnits.NONE, node -> hitRatio(node.blockCacheStats()));
        gauge("cairn.cn.block.cache.hits", "Block cache lookups answered from its heap since the start",
                MetricUnits.NONE, node -> cache(node, DataNode.BlockCacheStats::hits));
        gauge("cairn.cn.block.cache.misses", "Block cache lookups that read local disk or object storage since the"
                + " start", MetricUnits.NONE, node -> cache(node, DataNode.BlockCacheStats::misses));
        gauge("cairn.cn.block.cache.size", "Heap the block cache holds now", MetricUnits.BYTES,
                node -> cache(node, DataNode.BlockCacheStats::bytes));
    }

    /** Measures {@code cn}, this server's compute node: installs the hooks, and the gauges read it from now on. */
    void watch(ComputeNodeRole cn) {
        role.set(cn);
        cn.observe(this::statementEnded, this::commitEnded);
    }

    void statementEnded(String kind, long elapsedNanos) {
        statements.computeIfAbsent(kind, k -> registry.counter(STATEMENTS_META, new Tag("type", k))).inc();
        statementLatency.computeIfAbsent(kind, k -> registry.timer(STATEMENT_LATENCY_META, new Tag("type", k)))
                .update(Duration.ofNanos(elapsedNanos));
    }

    void commitEnded(CommitObserver.Outcome outcome, long elapsedNanos) {
        commitLatency.computeIfAbsent(outcome, o -> registry.timer(COMMIT_LATENCY_META,
                new Tag("outcome", o.name().toLowerCase(Locale.ROOT)))).update(Duration.ofNanos(elapsedNanos));
    }

    private void gauge(String name, String description, String unit, ToDoubleFunction<DataNode> read) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).withUnit(unit).build(), role,
                r -> {
                    ComputeNodeRole cn = r.get();
                    DataNode node = cn == null ? null : cn.data();
                    return node == null ? Double.NaN : read.applyAsDouble(node);
                });
    }

    private static double cache(DataNode node, ToDoubleFunction<DataNode.BlockCacheStats> field) {
        DataNode.BlockCacheStats stats = node.blockCacheStats();
        return stats == null ? Double.NaN : field.applyAsDouble(stats);
    }

    static double hitRatio(DataNode.BlockCacheStats stats) {
        if (stats == null || stats.hits() + stats.misses() == 0) {
            return Double.NaN;
        }
        return (double) stats.hits() / (stats.hits() + stats.misses());
    }
}
