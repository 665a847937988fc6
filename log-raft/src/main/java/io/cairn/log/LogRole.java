package io.cairn.log;

import io.cairn.log.impl.LogConfig;
import io.cairn.log.impl.RaftLogClient;
import io.cairn.log.impl.RaftLogPeer;
import io.cairn.node.HealthReport;
import io.cairn.node.Role;
import io.cairn.node.RoleService;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code log} role: runs this server's log peer and a {@link LogService} client bound to it.
 *
 * <p>{@link #start()} starts the peer and waits (bounded by the election timeout × 20, at least
 * 30 s) until the peer knows a leader; it fails with an exception otherwise. Readiness is UP when
 * the peer is in its group, a leader is known and was heard from within 4 election timeouts, and
 * the peer's lag (commit index learnt from the leader − applied index) is at most
 * {@link LogConfig#lagThreshold()}. Liveness is UP while the Ratis server runs.
 */
public final class LogRole implements RoleService {
    private final LogConfig config;
    private volatile RaftLogPeer peer;
    private volatile RaftLogClient client;
    private volatile AppendObserver appendObserver = AppendObserver.NONE;

    public LogRole(LogConfig config) {
        if (config.selfId() == null) {
            throw new io.cairn.node.ConfigException(LogConfig.SELF, "is required on a server with the log role");
        }
        this.config = config;
    }

    /** Builds the role from configuration properties (see {@link LogConfig}). */
    public static LogRole fromProperties(Function<String, Optional<String>> lookup) {
        return new LogRole(LogConfig.fromProperties(lookup));
    }

    @Override
    public Role role() {
        return Role.LOG;
    }

    @Override
    public void start() throws Exception {
        RaftLogPeer p = new RaftLogPeer(config);
        peer = p;
        p.start();
        RaftLogClient c = new RaftLogClient(config, p);
        c.observeAppends(appendObserver);
        client = c;
        long waitMs = Math.max(30_000, config.electionTimeout().toMillis() * 20);
        long deadline = System.nanoTime() + Duration.ofMillis(waitMs).toNanos();
        while (p.status().map(s -> s.leaderId() == null).orElse(true)) {
            if (System.nanoTime() > deadline) {
                throw new LogUnavailableException("log peer " + config.selfId() + " found no leader within "
                        + waitMs + " ms; is a majority of " + LogConfig.PEERS + " running?");
            }
            // Polling a local in-memory status; Ratis offers no leader-change callback on the server side.
            Thread.sleep(50);
        }
    }

    /**
     * Reports every append through this server's {@link #logService()} to {@code observer} (see
     * {@link AppendObserver}); may be called before or after {@link #start()}.
     */
    public void observeAppends(AppendObserver observer) {
        appendObserver = observer == null ? AppendObserver.NONE : observer;
        RaftLogClient c = client;
        if (c != null) {
            c.observeAppends(appendObserver);
        }
    }

    /** This peer's view of the group (role, leader, term, commit and applied index); empty before it runs in it. */
    public Optional<RaftLogPeer.PeerStatus> peerStatus() {
        RaftLogPeer p = peer;
        return p == null ? Optional.empty() : p.status();
    }

    /** How many times this peer learnt of a new leader since it started; 0 before {@link #start()}. */
    public long leaderChanges() {
        RaftLogPeer p = peer;
        return p == null ? 0 : p.leaderChanges();
    }

    /** The log service of this server; available once {@link #start()} returned. */
    public LogService logService() {
        RaftLogClient c = client;
        if (c == null) {
            throw new IllegalStateException("the log role is not started");
        }
        return c;
    }

    /** The operations on this server's log group (leadership, peers); available once {@link #start()} returned. */
    public LogAdmin logAdmin() {
        RaftLogClient c = client;
        if (c == null) {
            throw new IllegalStateException("the log role is not started");
        }
        return c;
    }

    @Override
    public void stop() {
        RaftLogClient c = client;
        if (c != null) {
            c.close();
        }
        RaftLogPeer p = peer;
        if (p != null) {
            try {
                p.close();
            } catch (IOException e) {
                java.util.logging.Logger.getLogger(LogRole.class.getName())
                        .warning("closing log peer " + config.selfId() + " failed: " + e);
            }
        }
    }

    @Override
    public HealthReport readiness() {
        RaftLogPeer p = peer;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("peer", config.selfId());
        if (p == null || !p.isRunning()) {
            data.put("reason", "peer not running");
            return HealthReport.down(data);
        }
        Optional<RaftLogPeer.PeerStatus> status = p.status();
        if (status.isEmpty()) {
            data.put("reason", "peer not in its group");
            return HealthReport.down(data);
        }
        RaftLogPeer.PeerStatus s = status.get();
        data.put("role", s.role().name());
        data.put("term", s.term());
        data.put("appliedIndex", s.appliedIndex());
        data.put("lag", s.lag());
        if (s.leaderId() == null) {
            data.put("reason", "no leader known");
            return HealthReport.down(data);
        }
        data.put("leader", s.leaderId());
        long contactLimit = 4 * config.electionTimeout().toMillis();
        if (s.leaderContactMs() > contactLimit) {
            data.put("reason", "no contact with the leader for " + s.leaderContactMs() + " ms");
            return HealthReport.down(data);
        }
        if (s.lag() > config.lagThreshold()) {
            data.put("reason", "lag " + s.lag() + " above threshold " + config.lagThreshold());
            return HealthReport.down(data);
        }
        return HealthReport.up(data);
    }

    @Override
    public HealthReport liveness() {
        RaftLogPeer p = peer;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("peer", config.selfId());
        boolean running = p != null && p.isRunning();
        data.put("running", running);
        return HealthReport.of(running, data);
    }
}
