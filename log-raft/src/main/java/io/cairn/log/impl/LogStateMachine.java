package io.cairn.log.impl;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cairn.log.Lease;
import io.cairn.log.LogBatch;
import io.cairn.log.LogEntry;
import io.cairn.log.LogService;
import io.cairn.log.LogTruncatedException;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.apache.ratis.io.MD5Hash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The replicated state machine of the log. The records themselves stay in the Raft log; the state
 * machine holds only what fencing and reads need:
 * <ul>
 *   <li>the highest lease (epoch, holder, LSN) and its recent history,</li>
 *   <li>the LSNs of committed-but-rejected entries (stale epoch), so reads skip them,</li>
 *   <li>the truncation point.</li>
 * </ul>
 *
 * <p><b>Determinism.</b> Every verdict depends only on the entries applied before it. A DATA entry
 * with an epoch below the highest lease epoch, or a LEASE entry that is not higher (or a renewal
 * by the same holder), is rejected: it stays in the Raft log but is never visible.
 *
 * <p><b>Snapshots.</b> A snapshot is taken at index {@code T = truncationPoint - 1}, not at the
 * applied index, so that Ratis purges only entries before the truncation point. Its content is the
 * state as of {@code T} (the lease in force at {@code T}), derived from the lease history; the
 * entries after {@code T} are replayed from the log on restart or after installation, which
 * re-derives every later verdict identically.
 *
 * <p><b>Threading.</b> Ratis calls {@code applyTransaction}, {@code takeSnapshot} and
 * {@code reinitialize} from its single state-machine updater thread; they mutate under
 * {@code lock}. Reads, status and long polls come from RPC threads and see only published state:
 * {@link #appliedIndex} is raised after the entry's verdict is recorded and before Ratis counts the
 * entry as applied.
 */
public final class LogStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(LogStateMachine.class);
    private static final int SNAPSHOT_VERSION = 1;
    /** A read examines at most this many log entries, to bound its cost. */
    static final int MAX_SCAN = 10_000;
    /** The record bytes of the entries {@link #recentReads} keeps. */
    static final long RECENT_READ_BYTES = 16L << 20;

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final Object lock = new Object();
    /** Lease changes by LSN; the last one is the lease in force. Guarded by lock. */
    private final NavigableMap<Long, Lease> leaseHistory = new TreeMap<>();
    private final ConcurrentSkipListSet<Long> rejected = new ConcurrentSkipListSet<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private final AtomicLong snapshotCallIds = new AtomicLong();
    private final ClientId snapshotClientId = ClientId.randomId();

    private volatile Lease lease = Lease.NONE;
    private volatile long truncatedBefore = 0;
    private volatile long appliedIndex = -1;
    private volatile RaftLog raftLog;
    /**
     * The entries reads decoded last, by LSN: a server's TN follower and CN tailer read the same entries moments
     * apart and so get the same objects, whose records are then decoded once for both ({@code
     * CommitRecord.decodeShared}): the rows the TN keeps for its next checkpoint and the rows the CN keeps until
     * it moves onto one are one copy, not two. An applied entry never changes.
     */
    private final Cache<Long, LogEntry> recentReads = Caffeine.newBuilder().maximumWeight(RECENT_READ_BYTES)
            .weigher((Long lsn, LogEntry e) -> (int) Math.min(Integer.MAX_VALUE, 64 + e.byteSize()))
            .executor(Runnable::run).build();

    private record Waiter(long afterLsn, CompletableFuture<Long> future) {
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        getLifeCycle().startAndTransition(() -> load(storage.getLatestSnapshot()), IOException.class);
    }

    /** Before a snapshot from the leader is installed: Ratis stops applying until {@link #reinitialize()}. */
    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    /** After a snapshot from the leader was installed: state = that snapshot. */
    @Override
    public void reinitialize() throws IOException {
        recentReads.invalidateAll();
        getLifeCycle().startAndTransition(() -> load(storage.loadLatestSnapshot()), IOException.class);
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    /** Checks the command's format before it is logged, so a malformed command is never applied. */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        try {
            LogCodec.decodeHeader(request.getMessage().getContent().asReadOnlyByteBuffer());
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed log command: " + e.getMessage(), e);
        }
        return super.startTransaction(request);
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long index = entry.getIndex();
        LogCodec.Header h = LogCodec.decodeHeader(
                entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
        byte[] reply;
        boolean truncated = false;
        synchronized (lock) {
            Lease current = lease;
            switch (h.type()) {
                case LogCodec.DATA:
                    if (h.epoch() != LogService.NO_EPOCH && h.epoch() < current.epoch()) {
                        rejected.add(index);
                        reply = LogCodec.encodeReply(LogCodec.STALE, current.epoch());
                    } else {
                        reply = LogCodec.encodeReply(LogCodec.OK, index);
                    }
                    break;
                case LogCodec.LEASE:
                    boolean renewal = h.epoch() == current.epoch() && h.holder().equals(current.holder());
                    if (h.epoch() > current.epoch() || renewal) {
                        lease = new Lease(h.epoch(), h.holder(), index);
                        leaseHistory.put(index, lease);
                        reply = LogCodec.encodeReply(LogCodec.OK, index);
                    } else {
                        rejected.add(index);
                        reply = LogCodec.encodeReply(LogCodec.STALE, current.epoch());
                    }
                    break;
                case LogCodec.TRUNCATE:
                    long point = Math.min(h.lsn(), index);
                    if (point > truncatedBefore) {
                        truncatedBefore = point;
                        rejected.headSet(point).clear();
                        truncated = true;
                    }
                    reply = LogCodec.encodeReply(LogCodec.OK, truncatedBefore);
                    break;
                default:
                    throw new IllegalStateException("unknown command type " + h.type() + " at index " + index);
            }
            raiseAppliedIndex(index);
            updateLastAppliedTermIndex(entry.getTerm(), index);
        }
        wakeWaiters(index);
        if (truncated) {
            requestLocalSnapshot();
        }
        return CompletableFuture.completedFuture(message(reply));
    }

    /** Leader changes this peer has seen, for monitoring (Ratis tells it on its server's threads). */
    private final LongAdder leaderChanges = new LongAdder();

    /** Counts a change of leader as this peer learns it: a new leader elected, or none known during an election. */
    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        if (newLeaderId != null) {
            leaderChanges.increment();
        }
    }

    /** How many times this peer learnt of a new leader since it started. */
    long leaderChanges() {
        return leaderChanges.sum();
    }

    /** Configuration and leader no-op entries advance the applied index too. */
    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        synchronized (lock) {
            raiseAppliedIndex(index);
            super.notifyTermIndexUpdated(term, index);
        }
        wakeWaiters(index);
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        ByteBuffer b = request.getContent().asReadOnlyByteBuffer();
        try {
            byte type = b.get();
            switch (type) {
                case LogCodec.Q_READ: {
                    long from = b.getLong();
                    int max = b.getInt();
                    try {
                        return CompletableFuture.completedFuture(message(LogCodec.encodeBatch(read(from, max))));
                    } catch (LogTruncatedException e) {
                        return CompletableFuture.completedFuture(
                                message(LogCodec.encodeTruncated(e.requestedLsn(), e.firstAvailableLsn())));
                    }
                }
                case LogCodec.Q_AWAIT: {
                    long after = b.getLong();
                    long timeoutMs = b.getLong();
                    return awaitApplied(after, timeoutMs)
                            .thenApply(i -> message(LogCodec.encodeReply(LogCodec.OK, i)));
                }
                case LogCodec.Q_STATUS:
                    return CompletableFuture.completedFuture(message(LogCodec.encodeStatus(status())));
                default:
                    return CompletableFuture.failedFuture(new IllegalArgumentException("unknown query type " + type));
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The applied index, truncation point and lease as published on this peer. */
    LogCodec.Status status() {
        return new LogCodec.Status(appliedIndex, truncatedBefore, lease);
    }

    long appliedIndex() {
        return appliedIndex;
    }

    long truncatedBefore() {
        return truncatedBefore;
    }

    /**
     * Reads visible entries from this peer's log, see {@link LogService#read(long, int)}.
     *
     * @throws LogTruncatedException {@code fromLsn} is before the truncation point or already purged
     */
    LogBatch read(long fromLsn, int maxBytes) {
        long from = Math.max(fromLsn, 0);
        long first = truncatedBefore;
        if (from < first) {
            throw new LogTruncatedException(fromLsn, first);
        }
        long last = appliedIndex;
        RaftLog log = raftLog();
        List<LogEntry> out = new ArrayList<>();
        long bytes = 0;
        long i = from;
        for (long end = Math.min(last, from + MAX_SCAN - 1); i <= end; i++) {
            if (rejected.contains(i)) {
                continue;
            }
            // one decode per entry even when both readers ask at once: the second waits for the first's
            LogEntry e = recentReads.get(i, lsn -> decode(log, lsn));
            if (e == null) {
                continue;
            }
            long size = e.byteSize();
            if (!out.isEmpty() && bytes + size > maxBytes) {
                break;
            }
            out.add(e);
            bytes += size;
        }
        return new LogBatch(out, i);
    }

    /** Entry {@code i} decoded, or null when it carries no entry of ours (a Raft configuration or no-op entry). */
    private LogEntry decode(RaftLog log, long i) {
        LogEntryProto proto = get(log, i);
        if (!proto.hasStateMachineLogEntry()) {
            return null;
        }
        return LogCodec.decodeEntry(i, proto.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
    }

    private LogEntryProto get(RaftLog log, long i) {
        LogEntryProto proto;
        try {
            proto = log.get(i);
        } catch (IOException e) {
            throw new io.cairn.log.LogException("cannot read log index " + i + " on " + getId(), e);
        }
        if (proto == null) {
            // Purged concurrently (a snapshot just completed) or installed from a snapshot.
            throw new LogTruncatedException(i, Math.max(truncatedBefore, log.getStartIndex()));
        }
        return proto;
    }

    /**
     * Completes with the applied index once it exceeds {@code afterLsn}, or with the current
     * applied index when {@code timeoutMs} passes first. Never completes exceptionally.
     */
    CompletableFuture<Long> awaitApplied(long afterLsn, long timeoutMs) {
        long now = appliedIndex;
        if (now > afterLsn || timeoutMs <= 0) {
            return CompletableFuture.completedFuture(now);
        }
        CompletableFuture<Long> f = new CompletableFuture<>();
        synchronized (waiters) {
            waiters.removeIf(w -> w.future().isDone());
            waiters.add(new Waiter(afterLsn, f));
        }
        // re-check: the index may have moved between the first read and the registration
        if (appliedIndex > afterLsn) {
            f.complete(appliedIndex);
        }
        return f.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).exceptionally(e -> {
            if (e instanceof TimeoutException) {
                return appliedIndex;
            }
            throw new IllegalStateException(e);
        });
    }

    /**
     * Raised before Ratis hears that {@code index} is applied: Ratis answers a linearizable read once
     * its applied index reaches the read index, and the status query then reports this field. Raised
     * after, a read on a follower could run in between and report one entry less than an append
     * already acknowledged (LogServiceIT, 24 against 25 on CI).
     */
    private void raiseAppliedIndex(long index) {
        if (index > appliedIndex) {
            appliedIndex = index;
        }
    }

    private void wakeWaiters(long index) {
        List<CompletableFuture<Long>> ready = new ArrayList<>();
        synchronized (waiters) {
            waiters.removeIf(w -> {
                if (w.afterLsn() < index || w.future().isDone()) {
                    ready.add(w.future());
                    return true;
                }
                return false;
            });
        }
        for (CompletableFuture<Long> f : ready) {
            f.complete(index);
        }
    }

    /**
     * Writes a snapshot at {@code truncationPoint - 1} holding the lease in force there. Called by
     * Ratis on its updater thread; an I/O failure propagates (Ratis then keeps the whole log).
     *
     * @return the snapshot index, or -1 when there is nothing to truncate
     */
    @Override
    public long takeSnapshot() throws IOException {
        synchronized (lock) {
            long t = truncatedBefore - 1;
            SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
            long latestIndex = latest == null ? -1 : latest.getIndex();
            if (t <= latestIndex) {
                return latestIndex;
            }
            TermIndex ti = raftLog().getTermIndex(t);
            if (ti == null) {
                throw new IOException("cannot snapshot at index " + t + ": not in the log of " + getId());
            }
            Map.Entry<Long, Lease> at = leaseHistory.floorEntry(t);
            Lease leaseAtT = at == null ? Lease.NONE : at.getValue();
            File file = storage.getSnapshotFile(ti.getTerm(), ti.getIndex());
            writeSnapshot(file.toPath(), ti, leaseAtT);
            MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
            storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), ti));
            // Lease changes before T are no longer needed, except the one in force at T.
            if (at != null) {
                leaseHistory.headMap(at.getKey(), false).clear();
            }
            LOG.info("{}: snapshot at index {} (truncation point {}, lease epoch {})",
                    getId(), t, truncatedBefore, leaseAtT.epoch());
            return t;
        }
    }

    private static void writeSnapshot(Path file, TermIndex ti, Lease l) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream os = Channels.newOutputStream(ch);
            DataOutputStream out = new DataOutputStream(os);
            out.writeInt(SNAPSHOT_VERSION);
            out.writeLong(ti.getTerm());
            out.writeLong(ti.getIndex());
            out.writeLong(l.epoch());
            out.writeBoolean(l.holder() != null);
            out.writeUTF(l.holder() == null ? "" : l.holder());
            out.writeLong(l.lsn());
            out.flush();
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void load(SingleFileSnapshotInfo snapshot) throws IOException {
        synchronized (lock) {
            leaseHistory.clear();
            rejected.clear();
            if (snapshot == null) {
                lease = Lease.NONE;
                truncatedBefore = 0;
                return;
            }
            File file = snapshot.getFile().getPath().toFile();
            MD5Hash stored = MD5FileUtil.readStoredMd5ForFile(file);
            MD5Hash actual = MD5FileUtil.computeMd5ForFile(file);
            if (stored != null && !stored.equals(actual)) {
                throw new IOException("snapshot " + file + " is corrupt: MD5 " + actual + " != stored " + stored);
            }
            try (InputStream is = Files.newInputStream(file.toPath()); DataInputStream in = new DataInputStream(is)) {
                int version = in.readInt();
                if (version != SNAPSHOT_VERSION) {
                    throw new IOException("snapshot " + file + " has unknown version " + version);
                }
                long term = in.readLong();
                long index = in.readLong();
                long epoch = in.readLong();
                boolean hasHolder = in.readBoolean();
                String holder = in.readUTF();
                long leaseLsn = in.readLong();
                lease = new Lease(epoch, hasHolder ? holder : null, leaseLsn);
                if (leaseLsn >= 0) {
                    leaseHistory.put(leaseLsn, lease);
                }
                truncatedBefore = index + 1;
                setLastAppliedTermIndex(TermIndex.valueOf(term, index));
                appliedIndex = Math.max(appliedIndex, index);
                LOG.info("{}: loaded snapshot at index {} (lease epoch {})", getId(), index, epoch);
            }
        }
    }

    /** Asks the local server to take a snapshot, which lets Ratis purge the truncated log. */
    private void requestLocalSnapshot() {
        RaftServer server = getServer().getNow(null);
        if (server == null) {
            return;
        }
        SnapshotManagementRequest request = SnapshotManagementRequest.newCreate(snapshotClientId, server.getId(),
                getGroupId(), snapshotCallIds.incrementAndGet(), 30_000, 1);
        try {
            server.snapshotManagementAsync(request).whenComplete((reply, error) -> {
                if (error != null || !reply.isSuccess()) {
                    LOG.warn("{}: snapshot after truncation failed; the log is purged at the next truncation: {}",
                            getId(), error != null ? error : reply.getException());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("{}: could not request a snapshot after truncation: {}", getId(), e.toString());
        }
    }

    private RaftLog raftLog() {
        RaftLog log = raftLog;
        if (log == null) {
            try {
                log = getServer().get(10, TimeUnit.SECONDS).getDivision(getGroupId()).getRaftLog();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.cairn.log.LogException("interrupted while opening the Raft log of " + getId(), e);
            } catch (IOException | java.util.concurrent.ExecutionException | TimeoutException e) {
                throw new io.cairn.log.LogException("the Raft log of " + getId() + " is not available", e);
            }
            raftLog = log;
        }
        return log;
    }

    private static Message message(byte[] bytes) {
        return Message.valueOf(org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(bytes));
    }
}
