package io.cairn.log.impl;

import io.cairn.log.LogUnavailableException;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The read barrier: the log's status (applied index, lease in force) through a linearizable read-only
 * query (Ratis ReadIndex, answered at once by a leader within its lease), so that it reflects every
 * entry acknowledged before the call. Handed straight to the co-located peer when there is one, else
 * sent to the {@link RemoteReadPeer}; asked again within the append timeout when an attempt fails.
 *
 * <p>Thread-safe; holds no state of its own.
 */
final class LinearizableStatus {
    /** How often a waiting read index checks whether the co-located peer follows another leader. */
    private static final long LEADER_CHECK_MS = 20;

    private final RatisClients clients;
    private final RaftLogPeer local;
    private final RemoteReadPeer readPeer;
    private final long timeoutMs;
    /**
     * One attempt of a linearizable read: the longest election timeout, by when a follower of a
     * leader that stopped answering has started an election (and an attempt still waiting on that
     * leader is given up and asked again).
     */
    private final long readAttemptMs;

    /** @param local the peer running in this JVM, or {@code null} */
    LinearizableStatus(RatisClients clients, RaftLogPeer local, RemoteReadPeer readPeer, LogConfig config) {
        this.clients = clients;
        this.local = local;
        this.readPeer = readPeer;
        this.timeoutMs = config.appendTimeout().toMillis();
        this.readAttemptMs = Math.min(timeoutMs, 2 * config.electionTimeout().toMillis());
    }

    /**
     * The linearizable status query, repeated until {@link LogConfig#appendTimeout()}: each attempt
     * is bounded by {@link #readAttemptMs} and a failed one (no leader known during an election, a
     * read index asked of a leader that died or stopped answering) is simply asked again, which then
     * reaches whichever leader the peers know by then. Safe to repeat: a query changes nothing.
     * Without this, one read index sent to a dead or paused leader held every caller (each
     * transaction's begin, each compute node login) for the whole timeout and then failed, long after
     * a new leader was serving.
     */
    LogCodec.Status get() {
        Message query = Message.valueOf(ByteString.copyFrom(LogCodec.encodeStatusQuery()));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        Throwable last = null;
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0 || clients.isClosed()) {
                throw new LogUnavailableException(clients.isClosed() ? "the log client is closed"
                        : "no linearizable answer from the log group within " + timeoutMs + " ms", last);
            }
            String leaderAtStart = localLeader();
            CompletableFuture<RaftClientReply> f = readLocally(query)
                    .thenCompose(reply -> reply != null ? CompletableFuture.completedFuture(reply) : readThroughClient(query))
                    .orTimeout(Math.min(left, readAttemptMs), TimeUnit.MILLISECONDS);
            try {
                RaftClientReply reply = awaitUnlessLeaderChanges(f, leaderAtStart);
                if (reply == null) {
                    last = new LogUnavailableException("the leader changed from " + leaderAtStart + " to "
                            + localLeader() + " while a read index waited");
                    continue; // asked again at once, of the leader the co-located peer follows now
                }
                if (reply.isSuccess()) {
                    return LogCodec.decodeStatus(reply.getMessage().getContent().asReadOnlyByteBuffer());
                }
                last = reply.getException();
                readPeer.recheck(); // without a co-located peer: look the leader up again
            } catch (ExecutionException e) {
                last = RatisFailures.unwrap(e);
                readPeer.recheck();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LogUnavailableException("interrupted while waiting for the log", e);
            }
            try {
                Thread.sleep(Math.min(RatisClients.RETRY_PAUSE_MS, Math.max(1, left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LogUnavailableException("interrupted while waiting for the log", e);
            }
        }
    }

    /**
     * The query through the Ratis client: to the leader the co-located peer follows, when it knows one;
     * without a co-located peer, to the leader as last looked up ({@link RemoteReadPeer#target()}).
     * The client on its own sends to the leader it last heard of, and keeps doing so while that one is
     * paused or cut off and answers nothing, whatever leader the others have elected meanwhile (chaos
     * suite: reads on a follower failed for 5.6 s after a new leader was serving, until the paused old
     * leader came back). A client that only reads never hears of the leader at all (followers answer
     * linearizable reads too, by asking the leader for its commit index and waiting until they have
     * applied it: one more round trip on every read barrier).
     */
    private CompletableFuture<RaftClientReply> readThroughClient(Message query) {
        String leader = localLeader();
        RaftPeerId target = leader != null ? RaftPeerId.valueOf(leader) : local == null ? readPeer.target() : null;
        return target == null ? clients.reader().async().sendReadOnlyUnordered(query)
                : clients.reader().async().sendReadOnlyUnordered(query, target);
    }

    /**
     * The attempt's reply, or null as soon as the co-located peer knows a leader other than the one
     * it followed when the attempt began (itself included): a read index that went to a leader that
     * stopped answering is then given up at once rather than at the attempt's timeout.
     */
    private RaftClientReply awaitUnlessLeaderChanges(CompletableFuture<RaftClientReply> attempt, String leaderAtStart)
            throws ExecutionException, InterruptedException {
        while (true) {
            try {
                return attempt.get(LEADER_CHECK_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                String now = localLeader();
                if (local != null && now != null && !now.equals(leaderAtStart)) {
                    return null;
                }
            }
        }
    }

    /** The leader the co-located peer follows (or is), if there is such a peer and it knows one. */
    private String localLeader() {
        return local == null ? null : local.status().map(RaftLogPeer.PeerStatus::leaderId).orElse(null);
    }

    /**
     * A linearizable read-only query handed straight to the co-located peer, whatever its role (a
     * follower asks the leader for the read index; a leader within its lease answers at once), so
     * the barrier every transaction takes costs no gRPC round trip in this JVM. Completes with
     * null when there is no such peer or it could not answer; the caller then asks through the
     * Ratis client, which finds the leader. Safe to repeat: a query changes nothing.
     */
    private CompletableFuture<RaftClientReply> readLocally(Message query) {
        if (local == null) {
            return CompletableFuture.completedFuture(null);
        }
        RaftClientRequest request = clients.request(RaftPeerId.valueOf(local.id()), clients.nextCallId(), query,
                RaftClientRequest.readRequestType());
        try {
            return local.submit(request).handle((reply, error) -> error == null && reply.isSuccess() ? reply : null);
        } catch (IOException e) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
