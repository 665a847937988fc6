package io.cairn.log.impl;

import io.cairn.log.LogBatch;
import io.cairn.log.LogEntry;
import io.cairn.log.LogAdmin;
import io.cairn.log.LogService;
import io.cairn.node.testing.Wait;
import io.cairn.node.tls.ClusterTls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * In-process log group for tests: N Ratis peers on free loopback ports, each with its own temporary
 * data directory, in this JVM. Peers can be killed and restarted with their data kept or wiped.
 * Waits poll a condition against a deadline; nothing sleeps for a fixed time.
 */
public final class LogCluster implements AutoCloseable {
    private final Path root;
    private static final AtomicInteger NEXT_PORT =
            new AtomicInteger(java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000));

    private final LogConfig base;
    private final RaftLogPeer[] peers;
    private final List<RaftLogClient> clients = new ArrayList<>();
    private final Duration waitTimeout;

    private LogCluster(Builder b) throws IOException {
        if (b.baseDir != null) {
            Files.createDirectories(b.baseDir);
        }
        this.root = b.baseDir == null ? Files.createTempDirectory("cairn-log-cluster")
                : Files.createTempDirectory(b.baseDir, "cairn-log-cluster");
        StringBuilder spec = new StringBuilder();
        for (int i = 0; i < b.peers; i++) {
            spec.append(i == 0 ? "" : ",").append(id(i)).append("=127.0.0.1:").append(freePort());
        }
        this.base = new LogConfig(LogConfig.parsePeers(spec.toString()), null, null, "test-" + root.getFileName(),
                b.appendTimeout, 100, b.electionTimeout, b.segmentSizeBytes, b.tls);
        this.peers = new RaftLogPeer[b.peers];
        this.waitTimeout = b.waitTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder; defaults suit tests on a busy 2-core machine. */
    public static final class Builder {
        private int peers = 3;
        private Duration electionTimeout = Duration.ofMillis(300);
        private Duration appendTimeout = Duration.ofSeconds(3);
        private long segmentSizeBytes = LogConfig.DEFAULT_SEGMENT_SIZE;
        private Duration waitTimeout = Duration.ofSeconds(30);
        private Path baseDir;
        private ClusterTls tls;

        /** Mutual TLS on every Raft channel: peers and the cluster's clients present {@code tls}. */
        public Builder tls(ClusterTls tls) {
            this.tls = tls;
            return this;
        }

        /** Where the peers' data directories are created (default: the system temp directory). */
        public Builder baseDir(Path dir) {
            this.baseDir = dir;
            return this;
        }

        public Builder peers(int n) {
            this.peers = n;
            return this;
        }

        public Builder electionTimeout(Duration d) {
            this.electionTimeout = d;
            return this;
        }

        public Builder appendTimeout(Duration d) {
            this.appendTimeout = d;
            return this;
        }

        public Builder segmentSizeBytes(long bytes) {
            this.segmentSizeBytes = bytes;
            return this;
        }

        /** Bound of every {@code waitFor...} call. */
        public Builder waitTimeout(Duration d) {
            this.waitTimeout = d;
            return this;
        }

        /** Starts all peers and waits for a leader. */
        public LogCluster build() throws IOException {
            LogCluster c = new LogCluster(this);
            try {
                for (int i = 0; i < peers; i++) {
                    c.start(i);
                }
                c.waitForLeader();
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
            return c;
        }
    }

    public static String id(int i) {
        return "p" + (i + 1);
    }

    public int size() {
        return peers.length;
    }

    public LogConfig config() {
        return base;
    }

    public Path dataDir(int i) {
        return root.resolve(id(i));
    }

    /** The running peer {@code i}; fails if it is killed. */
    public RaftLogPeer peer(int i) {
        RaftLogPeer p = peers[i];
        if (p == null) {
            throw new IllegalStateException(id(i) + " is not running");
        }
        return p;
    }

    public boolean isRunning(int i) {
        return peers[i] != null;
    }

    /** A new client without a local peer (reads go to the leader); closed with the cluster. */
    public synchronized RaftLogClient newClient() {
        RaftLogClient c = new RaftLogClient(base, null);
        clients.add(c);
        return c;
    }

    /**
     * A new client without a local peer that presents other TLS material than the cluster's (or none,
     * {@code null}): what an outsider could try. Closed with the cluster.
     */
    public synchronized RaftLogClient newClientWithTls(ClusterTls tls) {
        RaftLogClient c = new RaftLogClient(base.withTls(tls), null);
        clients.add(c);
        return c;
    }

    /** A new client bound to peer {@code i} (reads served by it); closed with the cluster. */
    public synchronized RaftLogClient newClientOn(int i) {
        RaftLogClient c = new RaftLogClient(base.withSelf(id(i), dataDir(i)), peer(i));
        clients.add(c);
        return c;
    }

    private void start(int i) throws IOException {
        RaftLogPeer p = new RaftLogPeer(base.withSelf(id(i), dataDir(i)));
        p.start();
        peers[i] = p;
    }

    /** Stops peer {@code i} (its port and files are released; data stays on disk). */
    public void kill(int i) throws IOException {
        RaftLogPeer p = peers[i];
        peers[i] = null;
        if (p != null) {
            p.close();
        }
    }

    /** Starts peer {@code i} again, from its data directory or from an empty one. */
    public void restart(int i, boolean keepData) throws IOException {
        kill(i);
        if (!keepData) {
            deleteTree(dataDir(i));
        }
        start(i);
    }

    /**
     * Replaces peer {@code i} by an empty one with the same id, the way an operator rebuilds a peer
     * whose disk was lost: stop it, remove it from the group, wipe its data, start it empty and add it
     * back, upon which the leader feeds it a snapshot and the log. (Restarting a wiped peer without
     * the membership change would let it vote again in a term it already voted in, which Raft forbids;
     * Ratis' leader also refuses to move its next index below the old match index.)
     */
    public void replaceWithEmpty(int i, LogAdmin admin) throws IOException {
        kill(i);
        deleteTree(dataDir(i));
        admin.removePeer(id(i));
        start(i);
        admin.addPeer(id(i), base.peers().get(i).address());
    }

    /** Waits until a running peer is leader and ready to serve; returns its index. */
    public int waitForLeader() {
        int[] found = {-1};
        waitUntil("a leader is elected", () -> {
            for (int i = 0; i < peers.length; i++) {
                RaftLogPeer p = peers[i];
                if (p != null && p.division().map(d -> d.getInfo().isLeader() && d.getInfo().isLeaderReady()).orElse(false)) {
                    found[0] = i;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Waits until every running peer has applied {@code lsn}. */
    public void waitUntilApplied(long lsn) {
        waitUntil("all running peers applied " + lsn, () -> {
            for (RaftLogPeer p : peers) {
                if (p != null && p.stateMachine().appliedIndex() < lsn) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Polls {@code condition} until it holds, failing with {@code what} after the wait timeout. */
    public void waitUntil(String what, BooleanSupplier condition) {
        Wait.until(what, waitTimeout, condition);
    }

    /** Every visible entry on peer {@code i} from {@code fromLsn} up to its applied index. */
    public List<LogEntry> readAll(int i, long fromLsn) {
        LogStateMachine sm = peer(i).stateMachine();
        List<LogEntry> all = new ArrayList<>();
        long next = fromLsn;
        long end = sm.appliedIndex();
        while (next <= end) {
            LogBatch b = sm.read(next, 1 << 20);
            all.addAll(b.entries());
            next = b.nextLsn();
        }
        return all;
    }

    @Override
    public void close() {
        synchronized (this) {
            clients.forEach(RaftLogClient::close);
            clients.clear();
        }
        for (int i = 0; i < peers.length; i++) {
            try {
                kill(i);
            } catch (IOException e) {
                throw new UncheckedIOException("closing " + id(i), e);
            }
        }
        deleteTree(root);
    }

    /**
     * The next free port below the kernel's ephemeral range (32768 and up on Linux): a port the kernel hands
     * out for {@code bind(0)} is also one it hands to outgoing connections. Ports go out in turn from a
     * random start, never twice in one JVM, so two peers (of one group, or of a group still closing) never
     * share one; a port taken between this check and the peer's start fails that start.
     */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 2_000; attempt++) {
            int port = 20_000 + Math.floorMod(NEXT_PORT.getAndIncrement(), 12_000);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // try the next
            }
        }
        throw new IOException("no free port in 20000-31999");
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
