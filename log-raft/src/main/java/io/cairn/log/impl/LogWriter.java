package io.cairn.log.impl;

import io.cairn.log.LogUnavailableException;
import io.cairn.log.StaleEpochException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.thirdparty.io.grpc.StatusRuntimeException;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends the commands that become log entries (data, leases, truncate markers), each bounded by
 * {@link LogConfig#appendTimeout()}: straight to the co-located peer when there is one (which appends
 * while it leads, else names the leader, to which the same request is resent), else through one
 * ordered Ratis client (NotLeader and leader changes are retried inside Ratis). On timeout a write
 * fails with {@link LogUnavailableException} and the Ratis client is replaced, which abandons its
 * retries, so a timed-out write is not retried in the background forever.
 *
 * <p>Thread-safe. Owns the writing Ratis client and the redirect threads; {@link #close()} releases them.
 */
final class LogWriter implements AutoCloseable {
    private final RatisClients clients;
    private final RaftLogPeer local;
    private final long timeoutMs;
    private final AtomicReference<RaftClient> writer = new AtomicReference<>();
    /** Where writes refused by the co-located peer are sent again (rare: leader changes). */
    private final ExecutorService redirects = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cairn-log-redirect");
        t.setDaemon(true);
        return t;
    });

    /** @param local the peer running in this JVM, or {@code null} */
    LogWriter(RatisClients clients, RaftLogPeer local, long timeoutMs) {
        this.clients = clients;
        this.local = local;
        this.timeoutMs = timeoutMs;
        this.writer.set(clients.newClient(RetryPolicies.retryForeverWithSleep(RatisSetup.ms(50))));
    }

    /** Sends one command, bounded by the append timeout; completes with the reply's value. */
    CompletableFuture<Long> write(byte[] command, long epoch) {
        if (clients.isClosed()) {
            return CompletableFuture.failedFuture(new LogUnavailableException("log client is closed"));
        }
        Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(command));
        RaftClient client = writer.get();
        // With a co-located peer, every write starts there: while it leads, it appends; while it
        // follows, it refuses with the leader it knows, and resend() repeats the same request (same
        // client and call id) there, through leader changes and a leader's stepping down (which the
        // Ratis client does not retry: an active TN's appends failed each time it pulled the
        // leadership to its own peer, and it stepped down).
        CompletableFuture<RaftClientReply> sent = local != null ? writeLocally(message) : client.async().send(message);
        return sent.orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .handle((reply, error) -> {
                    if (error != null) {
                        Throwable cause = RatisFailures.unwrap(error);
                        if (cause instanceof TimeoutException) {
                            replaceWriter(client);
                            throw new LogUnavailableException("no majority of the log group committed the entry within "
                                    + timeoutMs + " ms; outcome unknown", cause);
                        }
                        throw RatisFailures.toLogException(cause);
                    }
                    LogCodec.Reply r = decodeWriteReply(reply);
                    if (r.status() == LogCodec.STALE) {
                        throw new StaleEpochException(epoch, r.value());
                    }
                    return r.value();
                });
    }

    /**
     * A write handed straight to the co-located peer (no gRPC hop when it leads). If it answers that
     * it does not lead (any more), or cannot be asked, the entry may or may not be in the log: the
     * same request, with the same client and call id, then goes to the peer that leads, found by
     * asking (see {@link #resend}).
     */
    private CompletableFuture<RaftClientReply> writeLocally(Message message) {
        RaftClientRequest request = clients.request(RaftPeerId.valueOf(local.id()), clients.nextCallId(), message,
                RaftClientRequest.writeRequestType());
        CompletableFuture<RaftClientReply> answered;
        try {
            answered = local.submit(request);
        } catch (IOException e) {
            answered = CompletableFuture.failedFuture(e);
        }
        return answered.handle((reply, error) -> error == null && !redirected(reply)
                        ? CompletableFuture.completedFuture(reply)
                        : CompletableFuture.supplyAsync(() -> resend(request, reply), redirects))
                .thenCompose(f -> f);
    }

    /**
     * Sends {@code first} again, unchanged but for its target, until a peer that leads answers or the
     * append timeout passes. Safe against double appends: Ratis' retry cache answers a (client id,
     * call id) it has already applied instead of appending it again, and a new leader takes requests
     * only once it has applied every entry of its predecessors. Blocking; runs on {@link #redirects}.
     */
    private RaftClientReply resend(RaftClientRequest first, RaftClientReply firstReply) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        List<RaftPeerId> peers = clients.group().getPeers().stream().map(RaftPeer::getId).toList();
        RaftPeerId target = suggestedLeader(firstReply);
        int next = 0;
        while (System.nanoTime() < deadline && !clients.isClosed()) {
            if (target == null) {
                target = peers.get(next++ % peers.size());
            }
            try {
                RaftClientReply reply = clients.probe().getClientRpc().sendRequest(
                        clients.request(target, first.getCallId(), first.getMessage(), first.getType()));
                if (!redirected(reply)) {
                    return reply;
                }
                target = suggestedLeader(reply);
            } catch (IOException | StatusRuntimeException e) {
                target = null; // down or unreachable: ask the next peer
            }
            try {
                Thread.sleep(RatisClients.RETRY_PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new LogUnavailableException("no log peer took the entry as leader within " + timeoutMs
                + " ms; outcome unknown");
    }

    /** Whether a peer refused a request because it does not lead, is not ready yet, or steps down. */
    private static boolean redirected(RaftClientReply reply) {
        return reply == null || reply.getNotLeaderException() != null || reply.getLeaderNotReadyException() != null
                || reply.getLeaderSteppingDownException() != null || reply.getAlreadyClosedException() != null;
    }

    private static RaftPeerId suggestedLeader(RaftClientReply reply) {
        if (reply == null || reply.getNotLeaderException() == null) {
            return null;
        }
        RaftPeer leader = reply.getNotLeaderException().getSuggestedLeader();
        return leader == null ? null : leader.getId();
    }

    /** Abandons a Ratis client whose request timed out: closing it stops its retries. */
    private void replaceWriter(RaftClient timedOut) {
        if (clients.isClosed()) {
            return;
        }
        RaftClient fresh = clients.newClient(RetryPolicies.retryForeverWithSleep(RatisSetup.ms(50)));
        if (writer.compareAndSet(timedOut, fresh)) {
            RatisClients.closeQuietly(timedOut);
        } else {
            RatisClients.closeQuietly(fresh);
        }
    }

    private static LogCodec.Reply decodeWriteReply(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw RatisFailures.toLogException(reply.getException());
        }
        return LogCodec.decodeReply(reply.getMessage().getContent().asReadOnlyByteBuffer());
    }

    /** Closes the writing client and lets the redirect threads end once their resends do. */
    @Override
    public void close() {
        RatisClients.closeQuietly(writer.get());
        redirects.shutdown();
    }
}
