package io.cairn.log.impl;

import io.cairn.log.AppendObserver;
import io.cairn.log.GroupInfo;
import io.cairn.log.Lease;
import io.cairn.log.LogAdmin;
import io.cairn.log.LogBatch;
import io.cairn.log.LogService;
import io.cairn.log.LogUnavailableException;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@link LogService} over Ratis.
 *
 * <p>Writes go through a {@link GroupCommitter}: straight to the co-located peer when there is one
 * (which appends while it leads, else names the leader, to which the same request is resent), else
 * to one ordered Ratis client (NotLeader and leader changes are retried inside Ratis). Every write is bounded by {@link LogConfig#appendTimeout()};
 * on timeout the write fails with {@link LogUnavailableException} and the Ratis client is replaced,
 * which abandons its retries, so a timed-out write is not retried in the background forever
 * ({@link LogWriter}).
 *
 * <p>Reads and long polls are served by the co-located peer when one is given (no RPC), otherwise
 * by the leader through a stale-read query (the leader is looked up through group info and checked
 * again once per election timeout; see {@link RemoteReadPeer}), by {@link LogReader}.
 * {@link #commitIndex()} and {@link #currentLease()} are linearizable read-only queries (Ratis
 * ReadIndex, answered at once by a leader within its lease), handed straight to the co-located peer
 * when there is one, else sent to that same leader ({@link LinearizableStatus}). {@link LogAdmin} is
 * {@link RatisGroupAdmin}'s.
 *
 * <p>Thread-safe. Owns three Ratis clients (writes, reads, probes) and one completion thread; {@link #close()} releases them.
 */
public final class RaftLogClient implements LogService, LogAdmin {
    /** An entry stops growing at this many record bytes (far below Ratis' message limits). */
    static final long MAX_BATCH_BYTES = 1 << 20;

    private final RaftLogPeer local;
    private final long timeoutMs;
    private final RatisClients clients;
    private final LogWriter writes;
    private final RemoteReadPeer readPeer;
    private final LogReader reads;
    private final LinearizableStatus status;
    private final RatisGroupAdmin admin;
    private final ExecutorService completionThread;
    private final GroupCommitter committer;

    /**
     * @param config the group and timeouts
     * @param local the peer running in this JVM, or {@code null}; reads are served from it when given
     */
    public RaftLogClient(LogConfig config, RaftLogPeer local) {
        Objects.requireNonNull(config);
        this.local = local;
        this.timeoutMs = config.appendTimeout().toMillis();
        this.clients = new RatisClients(config);
        this.writes = new LogWriter(clients, local, timeoutMs);
        this.readPeer = new RemoteReadPeer(clients, config);
        this.reads = new LogReader(clients, local, readPeer, timeoutMs);
        this.status = new LinearizableStatus(clients, local, readPeer, config);
        this.admin = new RatisGroupAdmin(clients, timeoutMs);
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
        this.committer = new GroupCommitter(
                (epoch, records) -> writes.write(LogCodec.encodeData(epoch, records), epoch), completions, MAX_BATCH_BYTES);
    }

    // ---- writes ----

    /**
     * Reports every append of this client ({@link #append}, {@link #appendAsync}: from the call until its
     * future completes) to {@code observer}; lease and truncation entries are not reported.
     */
    public void observeAppends(AppendObserver observer) {
        committer.observe(observer);
    }

    @Override
    public long append(long epoch, List<byte[]> records) {
        return RatisFailures.await(appendAsync(epoch, records), timeoutMs);
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
        return RatisFailures.await(writes.write(LogCodec.encodeLease(epoch, holder, payload), epoch), timeoutMs);
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
        return RatisFailures.await(writes.write(LogCodec.encodeTruncate(lsn), NO_EPOCH), timeoutMs);
    }

    // ---- reads ----

    @Override
    public LogBatch read(long fromLsn, int maxBytes) {
        return reads.read(fromLsn, maxBytes);
    }

    @Override
    public long awaitCommitted(long afterLsn, Duration timeout) {
        return reads.awaitCommitted(afterLsn, timeout);
    }

    @Override
    public long commitIndex() {
        return status.get().appliedIndex();
    }

    @Override
    public Lease currentLease() {
        return status.get().lease();
    }

    /**
     * The peer this client reads from: its co-located peer, else the leader as last found (empty before
     * the first read). For diagnostics and benchmarks.
     */
    public Optional<String> readPeer() {
        if (local != null) {
            return Optional.of(local.id());
        }
        return readPeer.current();
    }

    // ---- administration ----

    @Override
    public GroupInfo groupInfo() {
        return admin.groupInfo();
    }

    @Override
    public void transferLeadership(String peerId) {
        admin.transferLeadership(peerId);
    }

    @Override
    public void addPeer(String peerId, String address) {
        admin.addPeer(peerId, address);
    }

    @Override
    public void removePeer(String peerId) {
        admin.removePeer(peerId);
    }

    @Override
    public void close() {
        if (!clients.markClosed()) {
            return;
        }
        committer.close();
        writes.close();
        clients.close();
        completionThread.shutdown();
    }
}
