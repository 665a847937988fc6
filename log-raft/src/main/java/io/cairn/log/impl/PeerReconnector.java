package io.cairn.log.impl;

import org.apache.ratis.grpc.server.GrpcServerProtocolClient;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerRpcWithProxy;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps this peer's gRPC channels to the other peers trying to connect at least once per period.
 *
 * <p>A gRPC channel whose connection attempts fail waits longer and longer before the next one (up to
 * two minutes) and fails every call in between at once. Ratis resets that back-off only for the
 * leader's appends. A follower whose vote requests had failed while another peer was down for a minute
 * kept failing them for up to ~30 s after that peer came back; when the leader then failed, the
 * follower could not be elected (chaos long run 3, a pause of the leader right after a restart). The
 * reset only acts on a channel that is waiting out a back-off; a connected channel ignores it.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
final class PeerReconnector implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PeerReconnector.class.getName());

    private final RaftLogPeer peer;
    private final ScheduledExecutorService timer;

    PeerReconnector(RaftLogPeer peer, Duration period) {
        this.peer = peer;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-log-reconnect-" + peer.id());
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, period.toMillis());
        timer.scheduleWithFixedDelay(this::resetBackoffs, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Lets every channel to another peer of the current configuration that is backing off try again now. */
    private void resetBackoffs() {
        try {
            RaftServer server = peer.server().orElse(null);
            if (server == null || !(server.getServerRpc() instanceof RaftServerRpcWithProxy<?, ?> rpc)) {
                return;
            }
            RaftServer.Division division = peer.division().orElse(null);
            if (division == null) {
                return;
            }
            for (RaftPeer other : division.getRaftConf().getAllPeers()) {
                RaftPeerId id = other.getId();
                if (!id.equals(server.getId())) {
                    Closeable proxy = rpc.getProxies().getProxy(id);
                    if (proxy instanceof GrpcServerProtocolClient client) {
                        client.resetConnectBackoff();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // The server is closing, or the configuration changed under us: the next round tries again.
            LOG.log(Level.FINE, "resetting connection back-off failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
