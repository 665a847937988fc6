package io.cairn.log;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The shared log: an append-only, replicated sequence of opaque records, the source of truth for
 * commits and transaction-node leases.
 *
 * <h2>LSNs</h2>
 * An LSN is the Raft log index of the entry holding the records. Concurrent appends are
 * group-committed: the records of several callers may share one entry and so one LSN. Within an
 * entry, each caller's records are contiguous and in the order given; callers enqueued earlier
 * come first. LSNs grow strictly but are not contiguous.
 *
 * <h2>Durability and visibility</h2>
 * An append returns only after the entry is committed: written and fsync'ed by a majority of the
 * peers. A committed entry is visible to {@link #read} on every peer once that peer has applied
 * it. Entries refused by epoch fencing are committed in the Raft log but never visible.
 *
 * <h2>Epoch fencing</h2>
 * {@link #appendLease} records a lease; it is accepted when its epoch is higher than the highest
 * lease epoch in the log, or equal to it with the same holder (a renewal). A conditional
 * {@link #append(long, List)} is accepted only when its epoch is at least the highest lease epoch.
 * The check is made by the replicated state machine when the entry is applied, so every peer
 * reaches the same verdict; epochs start at 1.
 *
 * <h2>Threading and errors</h2>
 * Implementations are thread-safe. Every call is bounded: when no majority answers within the
 * configured timeout the call fails with {@link LogUnavailableException} instead of hanging.
 * Leader changes are handled inside the implementation (the call is retried on the new leader).
 * Blocking methods throw the {@link LogException} subclasses directly; the asynchronous variants
 * complete their future exceptionally with them.
 *
 * <p>Changing the group itself (leadership, peers) is {@link LogAdmin}'s.
 */
public interface LogService extends AutoCloseable {

    /** The epoch of an unconditional append, never fenced. */
    long NO_EPOCH = -1;

    /**
     * The most record bytes one append may carry, counting each record's length plus 4: an append is one
     * log entry, and the log refuses larger entries (Ratis' {@code raft.server.log.appender.buffer.byte-limit},
     * set to this plus room for the entry's framing). Writers that batch split their batches below it; a
     * larger append fails and its outcome is not unknown but certain: nothing is written.
     */
    int MAX_APPEND_BYTES = (8 << 20) - (64 << 10);

    /**
     * Appends records unconditionally; see {@link #append(long, List)}.
     */
    default long append(List<byte[]> records) {
        return append(NO_EPOCH, records);
    }

    /**
     * Appends records atomically (all or none become visible), if {@code epoch} is not stale.
     * Blocks until the records are committed.
     *
     * @param epoch the writer's lease epoch, or {@link #NO_EPOCH} for an unconditional append
     * @param records one or more records, not modified by the caller afterwards
     * @return the LSN of the entry that holds the records
     * @throws StaleEpochException the log holds a higher lease epoch; the records are not visible
     * @throws LogUnavailableException no majority within the append timeout; outcome unknown
     */
    long append(long epoch, List<byte[]> records);

    /**
     * Asynchronous {@link #append(long, List)}: the future is completed within the append timeout,
     * possibly on an RPC thread of the implementation; chain heavy work with {@code *Async} stages.
     */
    CompletableFuture<Long> appendAsync(long epoch, List<byte[]> records);

    /**
     * Records a lease for {@code holder} at {@code epoch}, raising the fencing epoch. Leases are
     * never group-committed with data. The lease is visible to readers as a
     * {@link LogEntry.Kind#LEASE} entry carrying {@code payload} (e.g. an expiry time and the
     * holder's endpoint; the log does not interpret it).
     *
     * @return the LSN of the lease record
     * @throws StaleEpochException a higher epoch exists, or the same epoch is held by another holder
     * @throws LogUnavailableException no majority within the append timeout; outcome unknown
     */
    long appendLease(long epoch, String holder, byte[] payload);

    /**
     * Reads visible committed entries with LSN ≥ {@code fromLsn} from the peer this client reads
     * from (its own peer when co-located, otherwise the leader, or another peer when the leader is
     * unreachable; any peer serves only entries it has applied, all of them committed). Returns at least one entry when one
     * is available, and stops before the records would exceed {@code maxBytes}. Does not wait: an
     * empty batch means nothing visible has been applied there yet; see {@link #awaitCommitted}.
     *
     * @throws LogTruncatedException {@code fromLsn} is before the truncation point
     * @throws LogUnavailableException the peer could not be reached in time
     */
    LogBatch read(long fromLsn, int maxBytes);

    /**
     * Long poll for the tail: waits until the reading peer has applied a log index greater than
     * {@code afterLsn}, or until the timeout passes.
     *
     * @return the reading peer's applied index; ≤ {@code afterLsn} only when the timeout passed
     * @throws LogUnavailableException the peer could not be reached
     */
    long awaitCommitted(long afterLsn, Duration timeout);

    /**
     * A linearizable read barrier: confirms leadership with a majority (Raft ReadIndex) and returns
     * the leader's applied index. Every append acknowledged before this call has an LSN ≤ the
     * result; a reader that has applied up to the result has seen all of them.
     *
     * @throws LogUnavailableException no majority within the timeout
     */
    long commitIndex();

    /** The highest lease recorded, read linearizably from the leader. */
    Lease currentLease();

    /**
     * Declares the entries before {@code lsn} unneeded (they are covered by a checkpoint). Once
     * this returns, reads before {@code lsn} fail with {@link LogTruncatedException} on the leader, and
     * on each other peer once it has applied the truncation (a moment later: until then it may still
     * serve those entries, which are committed and correct); reads from {@code lsn} keep working
     * everywhere. Each peer then takes a snapshot and Ratis purges the log segments before it in the
     * background. Idempotent; a lower {@code lsn} than a previous call is a no-op.
     *
     * @param lsn at most {@link #commitIndex()}
     * @return the truncation point in force afterwards
     */
    long truncateBefore(long lsn);

    /** Releases the client's connections and threads; pending appends fail. Idempotent. */
    @Override
    void close();
}
