package io.cairn.log.impl;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the parts of one {@link RaftLogClient} share to reach the log group: the group, new Ratis
 * clients for it, the client for linearizable reads and administration ({@link #reader()}), the client
 * that asks one named peer once ({@link #probe()}), the identity of the requests handed straight to the
 * co-located peer, and whether the log client is closed.
 *
 * <p>Thread-safe: Ratis clients are, call ids are atomic, the closed flag is volatile.
 */
final class RatisClients implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RatisClients.class);
    /** Pause between attempts to find the leader (for a redirected write, after a failed read barrier). */
    static final long RETRY_PAUSE_MS = 20;

    private final RaftGroup group;
    private final RaftProperties properties;
    /** The cluster's mutual TLS for every channel, when configured (see {@link RatisSetup#parameters}). */
    private final Parameters parameters;
    private final long timeoutMs;
    private final RaftClient reader;
    /** Asks one named peer once (group info): a down peer must not cost a whole retry budget. */
    private final RaftClient probe;
    /*
     * One client id and one sequence of call ids for every request to the co-located peer, writes and
     * read barriers alike; a redirected write keeps its call id, so Ratis' retry cache knows it again.
     */
    private final ClientId localClientId = ClientId.randomId();
    private final AtomicLong localCallIds = new AtomicLong();
    private volatile boolean closed;

    RatisClients(LogConfig config) {
        this.group = RatisSetup.group(config);
        this.properties = RatisSetup.common(config);
        this.parameters = RatisSetup.parameters(config);
        this.timeoutMs = config.appendTimeout().toMillis();
        int attempts = (int) Math.max(1, timeoutMs / 100);
        this.reader = newClient(RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts, RatisSetup.ms(100)));
        this.probe = newClient(RetryPolicies.noRetry());
    }

    RaftGroup group() {
        return group;
    }

    /** A new Ratis client of the group, with its own client id. */
    RaftClient newClient(RetryPolicy retry) {
        return RaftClient.newBuilder().setClientId(ClientId.randomId()).setRaftGroup(group)
                .setProperties(properties).setParameters(parameters).setRetryPolicy(retry).build();
    }

    /** Sends linearizable reads and administrative requests; retries within the append timeout. */
    RaftClient reader() {
        return reader;
    }

    /** Sends one request to a named peer, once, without retries. */
    RaftClient probe() {
        return probe;
    }

    /** The call id of a new request to the co-located peer. */
    long nextCallId() {
        return localCallIds.incrementAndGet();
    }

    /** A request of this log client's own client id to {@code target}, bounded by the append timeout. */
    RaftClientRequest request(RaftPeerId target, long callId, Message message, RaftClientRequest.Type type) {
        return RaftClientRequest.newBuilder()
                .setClientId(localClientId)
                .setServerId(target)
                .setGroupId(group.getGroupId())
                .setCallId(callId)
                .setMessage(message)
                .setType(type)
                .setTimeoutMs(timeoutMs)
                .build();
    }

    /** Whether the log client is closed: loops that retry stop asking. */
    boolean isClosed() {
        return closed;
    }

    /**
     * Marks the log client closed, before anything is released, so that calls in progress stop retrying.
     *
     * @return false when it was closed already
     */
    boolean markClosed() {
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }

    /** Closes the reading and the probing client. */
    @Override
    public void close() {
        closeQuietly(reader);
        closeQuietly(probe);
    }

    static void closeQuietly(RaftClient c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.warn("closing a Ratis client failed: {}", e.toString());
        }
    }
}
