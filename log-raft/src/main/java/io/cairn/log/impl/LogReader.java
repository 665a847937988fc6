package io.cairn.log.impl;

import io.cairn.log.LogBatch;
import io.cairn.log.LogTruncatedException;
import io.cairn.log.LogUnavailableException;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.io.grpc.StatusRuntimeException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads of committed entries and long polls on the tail: served by the co-located peer when there is
 * one (on the caller's thread, no RPC), otherwise by the {@link RemoteReadPeer} (the leader) through a
 * stale-read query, then by each other peer.
 *
 * <p>Thread-safe; holds no state of its own.
 */
final class LogReader {
    /** A remote read answers at most this many bytes (plus one entry). */
    static final int MAX_REMOTE_READ_BYTES = 4 << 20;

    private final RatisClients clients;
    private final RaftLogPeer local;
    private final RemoteReadPeer readPeer;
    private final long timeoutMs;

    /** @param local the peer running in this JVM, or {@code null} */
    LogReader(RatisClients clients, RaftLogPeer local, RemoteReadPeer readPeer, long timeoutMs) {
        this.clients = clients;
        this.local = local;
        this.readPeer = readPeer;
        this.timeoutMs = timeoutMs;
    }

    /** See {@link io.cairn.log.LogService#read}. */
    LogBatch read(long fromLsn, int maxBytes) {
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

    /** See {@link io.cairn.log.LogService#awaitCommitted}. */
    long awaitCommitted(long afterLsn, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (local != null) {
            return RatisFailures.await(local.stateMachine().awaitApplied(afterLsn, Math.max(0, timeout.toMillis())),
                    timeoutMs);
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

    /**
     * A query answered from one peer's applied state without a majority round (a stale read of
     * committed entries): the leader as last found first ({@link RemoteReadPeer#target()}), then each
     * other peer, once each.
     */
    private ByteBuffer staleQuery(byte[] query, long timeout) {
        List<RaftPeerId> candidates = new ArrayList<>();
        Optional.ofNullable(readPeer.target()).ifPresent(candidates::add);
        clients.group().getPeers().stream().map(RaftPeer::getId).filter(id -> !candidates.contains(id))
                .forEach(candidates::add);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        Exception lastError = null;
        for (RaftPeerId target : candidates) {
            if (System.nanoTime() > deadline) {
                break;
            }
            try {
                RaftClientReply reply = clients.probe().io().sendStaleRead(Message.valueOf(ByteString.copyFrom(query)),
                        0, target);
                if (reply.isSuccess()) {
                    return reply.getMessage().getContent().asReadOnlyByteBuffer();
                }
                lastError = reply.getException();
            } catch (IOException | StatusRuntimeException e) {
                lastError = e; // peer down or unreachable: ask the next one
            }
            readPeer.recheck(); // the read peer failed: look the leader up again next time
        }
        throw new LogUnavailableException("no log peer answered a read within " + timeout + " ms", lastError);
    }
}
