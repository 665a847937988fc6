package io.cairn.admin;

import io.cairn.log.AppendObserver;
import io.cairn.log.LogRole;
import io.cairn.log.impl.RaftLogPeer;
import io.cairn.node.Role;
import io.cairn.server.ServerAssembly;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The log peer's MicroProfile Metrics (application registry, {@code /metrics}): the latency of this server's
 * appends (the log role's {@link AppendObserver}, which {@link NodeBootstrap} installs), and, read from the
 * {@link LogRole} when scraped, its commit and applied index, term and the leader changes it saw.
 */
@ApplicationScoped
public class LogMetrics implements AppendObserver {
    private static final Metadata APPEND_LATENCY = Metadata.builder().withName("cairn.log.append.latency")
            .withDescription("Time from an append to this server's log client until it was durable on a majority"
                    + " (group-commit queueing included) or failed, by outcome: durable, failed")
            .withUnit(MetricUnits.SECONDS).build();

    @Inject
    MetricRegistry registry;

    private Timer durable;
    private Timer failed;

    @PostConstruct
    void register() {
        durable = registry.timer(APPEND_LATENCY, new Tag("outcome", "durable"));
        failed = registry.timer(APPEND_LATENCY, new Tag("outcome", "failed"));
        gauge("cairn.log.commit.index", "This log peer's commit index (the leader's, as its last append or heartbeat"
                + " carried it)", RaftLogPeer.PeerStatus::commitIndex);
        gauge("cairn.log.applied.index", "The last log entry this log peer has applied",
                RaftLogPeer.PeerStatus::appliedIndex);
        gauge("cairn.log.term", "This log peer's Raft term", RaftLogPeer.PeerStatus::term);
        gauge("cairn.log.leader", "1 while this log peer leads the group, else 0",
                s -> s.role() == org.apache.ratis.proto.RaftProtos.RaftPeerRole.LEADER ? 1 : 0);
        registry.gauge(Metadata.builder().withName("cairn.log.leader.changes")
                .withDescription("Times this log peer learnt of a new leader since it started (its first included)")
                .withUnit(MetricUnits.NONE).build(), this,
                m -> logRole().map(LogRole::leaderChanges).map(Long::doubleValue).orElse(Double.NaN));
    }

    /**
     * Observing the start makes the container create this bean then, so the gauges are listed from the start:
     * {@link NodeBootstrap} hands the assembly only a client proxy, which would create it at the first append.
     */
    void start(@Observes Startup startup) {
    }

    @Override
    public void appendEnded(long elapsedNanos, boolean wasDurable) {
        (wasDurable ? durable : failed).update(Duration.ofNanos(elapsedNanos));
    }

    private void gauge(String name, String description, ToDoubleFunction<RaftLogPeer.PeerStatus> read) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).withUnit(MetricUnits.NONE)
                .build(), this, m -> logRole().flatMap(LogRole::peerStatus).map(read::applyAsDouble).orElse(Double.NaN));
    }

    private static Optional<LogRole> logRole() {
        return ServerAssembly.shared().role(Role.LOG, LogRole.class);
    }
}
