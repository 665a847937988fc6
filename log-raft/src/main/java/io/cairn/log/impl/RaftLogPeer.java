package io.cairn.log.impl;

import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.ExitUtils;
import org.apache.ratis.util.LifeCycle;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One Ratis server peer of the log group: gRPC endpoint, segmented Raft log and snapshots under
 * {@link LogConfig#dataDir()}, one {@link LogStateMachine}.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} once (idempotent). A closed peer is not
 * restarted; create a new one on the same data directory to recover from disk. Status methods are
 * thread-safe and never block.
 */
public final class RaftLogPeer implements AutoCloseable {
    static {
        // Ratis ends the JVM when its gRPC server cannot bind; in a Liberty server (or a test fork) that
        // would take every other role down with it. Disabled, the same failure is an exception from start().
        ExitUtils.disableSystemExit();
    }

    private final LogConfig config;
    private final RaftGroup group;
    private final LogStateMachine stateMachine = new LogStateMachine();
    private volatile RaftServer server;
    private PeerReconnector reconnector;

    public RaftLogPeer(LogConfig config) {
        if (config.selfId() == null) {
            throw new IllegalArgumentException("a log peer needs " + LogConfig.SELF);
        }
        this.config = config;
        this.group = RatisSetup.group(config);
    }

    /** Starts the server; returns once it listens (leader election continues in the background). */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("peer " + config.selfId() + " already started");
        }
        Files.createDirectories(config.dataDir());
        RaftServer s = RaftServer.newBuilder()
                .setServerId(RaftPeerId.valueOf(config.selfId()))
                .setGroup(group)
                .setStateMachine(stateMachine)
                .setProperties(RatisSetup.server(config))
                .setParameters(RatisSetup.parameters(config))
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        server = s;
        try {
            s.start();
        } catch (RuntimeException e) {
            server = null;
            s.close();
            Throwable cause = e instanceof ExitUtils.ExitException && e.getCause() != null ? e.getCause() : e;
            throw new IOException("log peer " + config.selfId() + " could not start its endpoint "
                    + config.self().address() + ": " + cause.getMessage(), e);
        }
        reconnector = new PeerReconnector(this, config.electionTimeout().dividedBy(2));
    }

    public String id() {
        return config.selfId();
    }

    public LogConfig config() {
        return config;
    }

    public RaftGroupId groupId() {
        return group.getGroupId();
    }

    LogStateMachine stateMachine() {
        return stateMachine;
    }

    /** Whether the Ratis server is running (not starting, closing or failed). */
    public boolean isRunning() {
        RaftServer s = server;
        return s != null && s.getLifeCycleState() == LifeCycle.State.RUNNING;
    }

    Optional<RaftServer> server() {
        return Optional.ofNullable(server);
    }

    /** The division of the log group on this server, if it exists and runs. */
    Optional<RaftServer.Division> division() {
        RaftServer s = server;
        if (s == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(s.getDivision(group.getGroupId()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether this peer currently leads the group (and so can take writes without an RPC hop). */
    boolean isLeader() {
        return division().map(d -> d.getInfo().isLeader()).orElse(false);
    }

    /**
     * Hands a client request straight to this peer's division of the log group, on the calling
     * thread; fails with an {@link IOException} when the peer is not running.
     *
     * <p>Not through {@link RaftServer#submitClientRequestAsync}, which is what the gRPC service
     * calls: that one runs the submission on the server's client executor and blocks the caller
     * until it has run ({@code supplyAsync(..).join()}), two thread hand-offs on the latency path of
     * every append and read barrier for nothing (the caller waits either way). The division does the
     * same work here: checks, {@code startTransaction}, appending to the log; replication and the
     * reply stay asynchronous.
     */
    CompletableFuture<RaftClientReply> submit(RaftClientRequest request) throws IOException {
        RaftServer s = server;
        if (s == null) {
            throw new IOException("log peer " + config.selfId() + " is not started");
        }
        RaftServer.Division d = s.getDivision(request.getRaftGroupId());
        if (d instanceof RaftClientAsynchronousProtocol direct) {
            try {
                return direct.submitClientRequestAsync(request);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e); // as the executor path delivers it
            }
        }
        return s.submitClientRequestAsync(request);
    }

    /** This peer's view: role, leader, term, commit and applied index; empty when not in the group. */
    public Optional<PeerStatus> status() {
        return division().map(d -> {
            DivisionInfo info = d.getInfo();
            RaftPeerId leader = info.getLeaderId();
            var role = info.getRoleInfoProto();
            long contactMs = role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()
                    ? role.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs() : 0;
            return new PeerStatus(info.getCurrentRole(), leader == null ? null : leader.toString(),
                    info.getCurrentTerm(), d.getRaftLog().getLastCommittedIndex(), stateMachine.appliedIndex(),
                    contactMs, info.isAlive());
        });
    }

    /**
     * A peer's own view of the group.
     *
     * @param commitIndex this peer's commit index: the leader's, as carried by its last append or heartbeat
     * @param leaderContactMs time since the last RPC from the leader (0 on the leader itself)
     */
    public record PeerStatus(RaftPeerRole role, String leaderId, long term, long commitIndex,
                             long appliedIndex, long leaderContactMs, boolean alive) {
        /** How many committed log entries this peer still has to apply. */
        public long lag() {
            return Math.max(0, commitIndex - appliedIndex);
        }
    }

    /** How many times this peer learnt of a new leader since it started (its first leader included). */
    public long leaderChanges() {
        return stateMachine.leaderChanges();
    }

    /** The index of the first entry still in this peer's Raft log (it grows when the log is purged). */
    public long logStartIndex() {
        return division().map(d -> d.getRaftLog().getStartIndex()).orElse(-1L);
    }

    /** Stops the server and releases its port and files. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (reconnector != null) {
            reconnector.close();
        }
        RaftServer s = server;
        if (s != null) {
            s.close();
        }
    }
}
