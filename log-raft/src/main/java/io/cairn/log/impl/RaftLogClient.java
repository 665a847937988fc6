package io.cairn.log.impl;

import io.cairn.log.GroupInfo;
import io.cairn.log.Lease;
import io.cairn.log.LogAdmin;
import io.cairn.log.LogBatch;
import io.cairn.log.LogException;
import io.cairn.log.LogService;
import io.cairn.log.LogTruncatedException;
import io.cairn.log.LogUnavailableException;
import io.cairn.log.StaleEpochException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.thirdparty.io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link LogService} over Ratis.
 *
 * <p>Writes go through a {@link GroupCommitter}: straight to the co-located peer when there is one
 * (which appends while it leads, else names the leader, to which the same request is resent), else
 * to one ordered Ratis client (NotLeader and leader changes are retried inside Ratis). Every write is bounded by {@link LogConfig#appendTimeout()};
 * on timeout the write fails with {@link LogUnavailableException} and the Ratis client is replaced,
 * which abandons its retries, so a timed-out write is not retried in the background forever.
 *
 * <p>Reads and long polls are served by the co-located peer when one is given (no RPC), otherwise
 * by the leader through a stale-read query (the leader is looked up through group info and checked
 * again once per election timeout; see {@link #readTarget()}). {@link #commitIndex()} and
 * {@link #currentLease()} are linearizable read-only queries (Ratis ReadIndex, answered at once by a
 * leader within its lease), handed straight to the co-located peer when there is one, else sent to
 * that same leader.
 *
 * <p>Thread-safe. Owns three Ratis clients (writes, reads, probes) and one completion thread; {@link #close()} releases them.
 */
public final class RaftLogClient implements LogService, LogAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(RaftLogClient.class);
    /** An entry stops growing at this many record bytes (far below Ratis' message limits). */
    static final long MAX_BATCH_BYTES = 1 << 20;
    /** Pause between attempts to find the leader for a redirected write. */
    private static final long RESEND_PAUSE_MS = 20;
    /** A remote read answers at most this many bytes (plus one entry). */
    static final int MAX_REMOTE_READ_BYTES = 4 << 20;

    private final LogConfig config;
    private final RaftGroup group;
    private final RaftProperties properties;
    /** The cluster's mutual TLS for every channel, when configured (see {@link RatisSetup#parameters}). */
    private final Parameters parameters;
    private final RaftLogPeer local;
    private final long timeoutMs;
    /**
     * One attempt of a linearizable read: the longest election timeout, by when a follower of a
     * leader that stopped answering has started an election (and an attempt still waiting on that
     * leader is given up and asked again).
     */
    private final long readAttemptMs;
    private final AtomicReference<RaftClient> writer = new AtomicReference<>();
    private final RaftClient reader;
    /** Asks one named peer once (group info): a down peer must not cost a whole retry budget. */
    private final RaftClient probe;
    private final ClientId localClientId = ClientId.randomId();
    private final AtomicLong localCallIds = new AtomicLong();
    /** Where writes refused by the co-located peer are sent again (rare: leader changes). */
    private final ExecutorService redirects = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cairn-log-redirect");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService completionThread;
    private final GroupCommitter committer;
    private volatile boolean closed;
    /**
     * Without a co-located peer: the peer that stale reads and long polls go to first, the leader as last
     * found through group info (null before the first read). See {@link #readTarget()}.
     */
    private volatile RaftPeerId readPeer;
    /** When {@link #readPeer} was last looked up ({@code System.nanoTime()}); 0 forces a look-up. */
    private volatile long readPeerCheckedNanos;
    /** How long a looked-up read peer is used before asking again whether it still leads. */
    private final long readPeerRecheckNanos;
    private final AtomicBoolean lookingUpReadPeer = new AtomicBoolean();

    /**
     * @param config the group and timeouts
     * @param local the peer running in this JVM, or {@code null}; reads are served from it when given
     */
    public RaftLogClient(LogConfig config, RaftLogPeer local) {
        this.config = Objects.requireNonNull(config);
        this.local = local;
        this.group = RatisSetup.group(config);
        this.properties = RatisSetup.common(config);
        this.parameters = RatisSetup.parameters(config);
        this.timeoutMs = config.appendTimeout().toMillis();
        this.readAttemptMs = Math.min(timeoutMs, 2 * config.electionTimeout().toMillis());
        this.readPeerRecheckNanos = config.electionTimeout().toNanos();
        this.writer.set(newClient(RetryPolicies.retryForeverWithSleep(RatisSetup.ms(50))));
        int attempts = (int) Math.max(1, timeoutMs / 100);
        this.reader = newClient(RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts, RatisSetup.ms(100)));
        this.probe = newClient(RetryPolicies.noRetry());
        this.completionThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cairn-log-commit");
            t.setDaemon(true);
            return t;
        });
        Executor completions = task -> {
            try {
                completionThread.execute(task);
            } catch (RejectedExecutionException e) {
                task.run(); // closing: finish the callers' futures on this thread
            }
        };
        this.committer = new GroupCommitter(this::sendData, completions, MAX_BATCH_BYTES);
    }

    private RaftClient newClient(RetryPolicy retry) {
        return RaftClient.newBuilder().setClientId(ClientId.randomId()).setRaftGroup(group)
                .setProperties(properties).setParameters(parameters).setRetryPolicy(retry).build();
    }

    // ---- writes ----

    @Override
    public long append(long epoch, List<byte[]> records) {
        return await(appendAsync(epoch, records));
    }

    @Override
    public CompletableFuture<Long> appendAsync(long epoch, List<byte[]> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("an append needs at least one record");
        }
        if (epoch < NO_EPOCH) {
            throw new IllegalArgumentException("epoch must be >= 0 or NO_EPOCH, was " + epoch);
        }
        long bytes = 0;
        for (byte[] r : records) {
            bytes += 4 + r.length;
        }
        if (bytes > MAX_APPEND_BYTES) {
            // refused here, certainly not written, rather than by Ratis after the entry was handed over
            throw new IllegalArgumentException("an append of " + bytes + " record bytes exceeds the log's "
                    + MAX_APPEND_BYTES);
        }
        return committer.submit(epoch, records);
    }

    @Override
    public long appendLease(long epoch, String holder, byte[] payload) {
        if (epoch < 1) {
            throw new IllegalArgumentException("lease epochs start at 1, was " + epoch);
        }
        Objects.requireNonNull(holder, "holder");
        return await(write(LogCodec.encodeLease(epoch, holder, payload), epoch));
    }

    @Override
    public long truncateBefore(long lsn) {
        if (lsn < 0) {
            throw new IllegalArgumentException("lsn must be >= 0, was " + lsn);
        }
        long commit = commitIndex();
        if (lsn > commit) {
            throw new IllegalArgumentException("cannot truncate before " + lsn + ": commit index is " + commit);
        }
        return await(write(LogCodec.encodeTruncate(lsn), NO_EPOCH));
    }

    private CompletableFuture<Long> sendData(long epoch, List<byte[]> records) {
        return write(LogCodec.encodeData(epoch, records), epoch);
    }

    /** Sends one command, bounded by the append timeout; completes with the reply's value. */
    private CompletableFuture<Long> write(byte[] command, long epoch) {
        if (closed) {
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
                        Throwable cause = unwrap(error);
                        if (cause instanceof TimeoutException) {
                            replaceWriter(client);
                            throw new LogUnavailableException("no majority of the log group committed the entry within "
                                    + timeoutMs + " ms; outcome unknown", cause);
                        }
                        throw toLogException(cause);
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
        RaftClientRequest request = request(RaftPeerId.valueOf(local.id()), localCallIds.incrementAndGet(), message,
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
        List<RaftPeerId> peers = group.getPeers().stream().map(RaftPeer::getId).toList();
        RaftPeerId target = suggestedLeader(firstReply);
        int next = 0;
        while (System.nanoTime() < deadline && !closed) {
            if (target == null) {
                target = peers.get(next++ % peers.size());
            }
            try {
                RaftClientReply reply = probe.getClientRpc().sendRequest(
                        request(target, first.getCallId(), first.getMessage(), first.getType()));
                if (!redirected(reply)) {
                    return reply;
                }
                target = suggestedLeader(reply);
            } catch (IOException | StatusRuntimeException e) {
                target = null; // down or unreachable: ask the next peer
            }
            try {
                Thread.sleep(RESEND_PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new LogUnavailableException("no log peer took the entry as leader within " + timeoutMs
                + " ms; outcome unknown");
    }

    private RaftClientRequest request(RaftPeerId target, long callId, Message message, RaftClientRequest.Type type) {
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
        if (closed) {
            return;
        }
        RaftClient fresh = newClient(RetryPolicies.retryForeverWithSleep(RatisSetup.ms(50)));
        if (writer.compareAndSet(timedOut, fresh)) {
            closeQuietly(timedOut);
        } else {
            closeQuietly(fresh);
        }
    }

    private static LogCodec.Reply decodeWriteReply(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw toLogException(reply.getException());
        }
        return LogCodec.decodeReply(reply.getMessage().getContent().asReadOnlyByteBuffer());
    }

    // ---- reads ----

    @Override
    public LogBatch read(long fromLsn, int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        if (local != null) {
            return local.stateMachine().read(fromLsn, maxBytes);
        }
        ByteBuffer b = staleQuery(LogCodec.encodeReadQuery(fromLsn, Math.min(maxBytes, MAX_REMOTE_READ_BYTES)), timeoutMs);
        byte status = b.get();
        if (status == LogCodec.TRUNCATED) {
            throw new LogTruncatedException(b.getLong(), b.getLong());
        }
        return LogCodec.decodeBatch(b);
    }

    @Override
    public long awaitCommitted(long afterLsn, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (local != null) {
            return await(local.stateMachine().awaitApplied(afterLsn, Math.max(0, timeout.toMillis())));
        }
        // Remote: poll in slices shorter than the RPC timeout.
        long applied;
        do {
            long slice = Math.min(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()), timeoutMs / 2);
            ByteBuffer b = staleQuery(LogCodec.encodeAwaitQuery(afterLsn, Math.max(0, slice)), timeoutMs);
            applied = LogCodec.decodeReply(b).value();
        } while (applied <= afterLsn && System.nanoTime() < deadline);
        return applied;
    }

    @Override
    public long commitIndex() {
        return status().appliedIndex();
    }

    @Override
    public Lease currentLease() {
        return status().lease();
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
    private LogCodec.Status status() {
        Message query = Message.valueOf(ByteString.copyFrom(LogCodec.encodeStatusQuery()));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        Throwable last = null;
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0 || closed) {
                throw new LogUnavailableException(closed ? "the log client is closed"
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
                readPeerCheckedNanos = 0; // without a co-located peer: look the leader up again
            } catch (ExecutionException e) {
                last = unwrap(e);
                readPeerCheckedNanos = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LogUnavailableException("interrupted while waiting for the log", e);
            }
            try {
                Thread.sleep(Math.min(RESEND_PAUSE_MS, Math.max(1, left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LogUnavailableException("interrupted while waiting for the log", e);
            }
        }
    }

    /**
     * The query through the Ratis client: to the leader the co-located peer follows, when it knows one;
     * without a co-located peer, to the leader as last looked up ({@link #readTarget()}).
     * The client on its own sends to the leader it last heard of, and keeps doing so while that one is
     * paused or cut off and answers nothing, whatever leader the others have elected meanwhile (chaos
     * suite: reads on a follower failed for 5.6 s after a new leader was serving, until the paused old
     * leader came back). A client that only reads never hears of the leader at all (followers answer
     * linearizable reads too, by asking the leader for its commit index and waiting until they have
     * applied it: one more round trip on every read barrier).
     */
    private CompletableFuture<RaftClientReply> readThroughClient(Message query) {
        String leader = localLeader();
        RaftPeerId target = leader != null ? RaftPeerId.valueOf(leader) : local == null ? readTarget() : null;
        return target == null ? reader.async().sendReadOnlyUnordered(query)
                : reader.async().sendReadOnlyUnordered(query, target);
    }

    /** How often a waiting read index checks whether the co-located peer follows another leader. */
    private static final long LEADER_CHECK_MS = 20;

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
        RaftClientRequest request = request(RaftPeerId.valueOf(local.id()), localCallIds.incrementAndGet(), query,
                RaftClientRequest.readRequestType());
        try {
            return local.submit(request).handle((reply, error) -> error == null && reply.isSuccess() ? reply : null);
        } catch (IOException e) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * A query answered from one peer's applied state without a majority round (a stale read of
     * committed entries): the leader as last found first ({@link #readTarget()}), then each other peer,
     * once each.
     */
    private ByteBuffer staleQuery(byte[] query, long timeout) {
        List<RaftPeerId> candidates = new ArrayList<>();
        Optional.ofNullable(readTarget()).ifPresent(candidates::add);
        group.getPeers().stream().map(RaftPeer::getId).filter(id -> !candidates.contains(id)).forEach(candidates::add);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        Exception lastError = null;
        for (RaftPeerId target : candidates) {
            if (System.nanoTime() > deadline) {
                break;
            }
            try {
                RaftClientReply reply = probe.io().sendStaleRead(Message.valueOf(ByteString.copyFrom(query)), 0, target);
                if (reply.isSuccess()) {
                    return reply.getMessage().getContent().asReadOnlyByteBuffer();
                }
                lastError = reply.getException();
            } catch (IOException | StatusRuntimeException e) {
                lastError = e; // peer down or unreachable: ask the next one
            }
            readPeerCheckedNanos = 0; // the read peer failed: look the leader up again next time
        }
        throw new LogUnavailableException("no log peer answered a read within " + timeout + " ms", lastError);
    }

    /**
     * Where a client without a co-located peer reads: the leader, found by asking the peers for their
     * group info, and asked again whether it still leads once per election timeout (and after it failed
     * to answer). Reading from the leader matters for latency: a follower applies an entry only after the
     * leader has told it the entry is committed, one more round trip (see {@link PromptCommitRpcType}).
     * Before, reads went to the leader the Ratis client had heard of, which for a client that only reads
     * was the first peer of the group or whatever another client in this JVM had last been redirected
     * to, so a remote compute node read from a follower in some runs and from the leader in others.
     * One thread looks up at a time; the others meanwhile use the previous answer.
     *
     * @return the peer to read from first, or null when none is known yet (then every peer in order)
     */
    private RaftPeerId readTarget() {
        RaftPeerId current = readPeer;
        if ((current == null || System.nanoTime() - readPeerCheckedNanos > readPeerRecheckNanos)
                && lookingUpReadPeer.compareAndSet(false, true)) {
            try {
                current = findLeader(current);
                readPeer = current;
                readPeerCheckedNanos = System.nanoTime();
            } finally {
                lookingUpReadPeer.set(false);
            }
        }
        return current;
    }

    /**
     * The leader as the peers report it: {@code hint} first, then the leader a peer names, then the
     * others, each asked at most once, until one says it leads; {@code hint} when none does.
     */
    private RaftPeerId findLeader(RaftPeerId hint) {
        Deque<RaftPeerId> toAsk = new ArrayDeque<>();
        Optional.ofNullable(hint).ifPresent(toAsk::add);
        group.getPeers().forEach(p -> toAsk.add(p.getId()));
        Set<RaftPeerId> asked = new HashSet<>();
        while (!toAsk.isEmpty() && !closed) {
            RaftPeerId id = toAsk.poll();
            if (!asked.add(id)) {
                continue;
            }
            try {
                GroupInfo info = toGroupInfo(probe.getGroupManagementApi(id).info(group.getGroupId()));
                if (id.toString().equals(info.leaderId())) {
                    return id;
                }
                if (info.leaderId() != null) {
                    toAsk.addFirst(RaftPeerId.valueOf(info.leaderId()));
                }
            } catch (IOException | StatusRuntimeException e) {
                // down or unreachable: ask the next one
            }
        }
        return hint;
    }

    /**
     * The peer this client reads from: its co-located peer, else the leader as last found (empty before
     * the first read). For diagnostics and benchmarks.
     */
    public Optional<String> readPeer() {
        if (local != null) {
            return Optional.of(local.id());
        }
        return Optional.ofNullable(readPeer).map(RaftPeerId::toString);
    }

    // ---- administration ----

    @Override
    public GroupInfo groupInfo() {
        List<RaftPeerId> candidates = new ArrayList<>();
        Optional.ofNullable(reader.getLeaderId()).ifPresent(candidates::add);
        group.getPeers().forEach(p -> candidates.add(p.getId()));
        GroupInfo fallback = null;
        Exception lastError = null;
        for (RaftPeerId id : candidates) {
            try {
                GroupInfoReply info = probe.getGroupManagementApi(id).info(group.getGroupId());
                GroupInfo gi = toGroupInfo(info);
                if (id.toString().equals(gi.leaderId())) {
                    return gi;
                }
                if (fallback == null) {
                    fallback = gi;
                }
            } catch (IOException | StatusRuntimeException e) {
                lastError = e; // this peer is down or unreachable: ask the next one
            }
        }
        if (fallback != null) {
            return fallback;
        }
        throw new LogUnavailableException("no log peer answered a group info request", lastError);
    }

    private static GroupInfo toGroupInfo(GroupInfoReply info) {
        var role = info.getRoleInfoProto();
        String self = RaftPeerId.valueOf(role.getSelf().getId()).toString();
        String leader = null;
        long term = 0;
        if (role.getRole() == RaftPeerRole.LEADER) {
            leader = self;
            term = role.getLeaderInfo().getTerm();
        } else if (role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()
                && !role.getFollowerInfo().getLeaderInfo().getId().getId().isEmpty()) { // empty while no leader is known
            leader = RaftPeerId.valueOf(role.getFollowerInfo().getLeaderInfo().getId().getId()).toString();
        }
        long commit = -1;
        for (CommitInfoProto ci : info.getCommitInfos()) {
            if (RaftPeerId.valueOf(ci.getServer().getId()).toString().equals(self)) {
                commit = ci.getCommitIndex();
            }
        }
        List<GroupInfo.PeerInfo> peers = new ArrayList<>();
        for (RaftPeer p : info.getGroup().getPeers()) {
            long pc = -1;
            for (CommitInfoProto ci : info.getCommitInfos()) {
                if (RaftPeerId.valueOf(ci.getServer().getId()).equals(p.getId())) {
                    pc = ci.getCommitIndex();
                }
            }
            peers.add(new GroupInfo.PeerInfo(p.getId().toString(), p.getAddress(), pc,
                    pc < 0 || commit < 0 ? -1 : Math.max(0, commit - pc)));
        }
        return new GroupInfo(leader, term, commit, peers);
    }

    @Override
    public void transferLeadership(String peerId) {
        try {
            RaftClientReply reply = reader.admin().transferLeadership(RaftPeerId.valueOf(peerId), timeoutMs);
            if (!reply.isSuccess()) {
                throw toLogException(reply.getException());
            }
        } catch (IOException e) {
            throw toLogException(e);
        }
    }

    @Override
    public void addPeer(String peerId, String address) {
        List<RaftPeer> peers = new ArrayList<>(currentPeers());
        if (peers.stream().anyMatch(p -> p.getId().toString().equals(peerId))) {
            return;
        }
        peers.add(RatisSetup.peer(peerId, address));
        setConfiguration(peers);
    }

    @Override
    public void removePeer(String peerId) {
        List<RaftPeer> peers = new ArrayList<>(currentPeers());
        if (!peers.removeIf(p -> p.getId().toString().equals(peerId))) {
            return;
        }
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("cannot remove the last peer " + peerId);
        }
        setConfiguration(peers);
    }

    private List<RaftPeer> currentPeers() {
        GroupInfo gi = groupInfo();
        List<RaftPeer> peers = new ArrayList<>();
        for (GroupInfo.PeerInfo p : gi.peers()) {
            peers.add(RatisSetup.peer(p.id(), p.address()));
        }
        return peers;
    }

    private void setConfiguration(List<RaftPeer> peers) {
        try {
            RaftClientReply reply = reader.admin().setConfiguration(peers);
            if (!reply.isSuccess()) {
                throw toLogException(reply.getException());
            }
        } catch (IOException e) {
            throw toLogException(e);
        }
    }

    // ---- plumbing ----

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        committer.close();
        closeQuietly(writer.get());
        closeQuietly(reader);
        closeQuietly(probe);
        completionThread.shutdown();
        redirects.shutdown();
    }

    private <T> T await(CompletableFuture<T> f) {
        try {
            // The future is bounded by the append timeout already; the extra margin only guards bugs.
            return f.get(2 * timeoutMs + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw toLogException(e.getCause());
        } catch (TimeoutException e) {
            throw new LogUnavailableException("log call did not complete within " + (2 * timeoutMs + 1000) + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogUnavailableException("interrupted while waiting for the log", e);
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Maps Ratis and JDK failures to the contract's exceptions. */
    static LogException toLogException(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof LogException le) {
            return le;
        }
        if (cause instanceof StateMachineException) {
            return new LogException("the log state machine refused the request: " + cause.getMessage(), cause);
        }
        if (cause instanceof IllegalArgumentException iae) {
            throw iae;
        }
        if (cause instanceof IOException || cause instanceof RaftException || cause instanceof TimeoutException) {
            return new LogUnavailableException("log group unavailable: " + cause, cause);
        }
        return new LogException("unexpected log failure: " + cause, cause);
    }

    private static void closeQuietly(RaftClient c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.warn("closing a Ratis client failed: {}", e.toString());
        }
    }
}
