package io.cairn.data;

import io.cairn.log.LogException;
import io.cairn.log.LogService;
import io.cairn.txn.CommitRequest;
import io.cairn.txn.CommitResult;
import io.cairn.txn.LockRequest;
import io.cairn.txn.LockResult;
import io.cairn.txn.TransactionNodeBusyException;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.TransactionService;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.SegmentIndex;
import io.cairn.txn.record.CommitRecord;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The data layer of one compute node: it follows the shared log into its {@link MvccStore} and runs
 * transactions over it, committing through the transaction node.
 *
 * <p>Freshness: a snapshot is taken behind a linearizable read barrier on the log
 * ({@link LogService#commitIndex()}, rounds shared by concurrent transactions through a
 * {@link ReadBarrier}): every commit acknowledged to any client before the snapshot was taken is
 * in it, whichever CN made it. A commit on this CN returns only once this CN has
 * applied it, so the next statement sees it too.
 *
 * <p>Thread-safe; a {@link Transaction} belongs to one thread at a time.
 */
public final class DataNode implements AutoCloseable {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(DataNode.class.getName());
    /** Snapshots and commits slower than this are logged with where their time went (failover diagnosis). */
    private static final long SLOW_NANOS = 1_000_000_000L;
    /**
     * The largest write set a transaction can commit: its commit record must fit one log append
     * ({@link LogService#MAX_APPEND_BYTES}, with the record's length and header). Counted as
     * {@link CommitRecord#writeBytes} over the writes.
     */
    public static final long MAX_WRITE_SET_BYTES = LogService.MAX_APPEND_BYTES - 4 - CommitRecord.MAX_HEADER_BYTES;

    /**
     * @param name             for thread names and messages
     * @param applyTimeout     how long a snapshot or commit may wait for this CN to apply the log
     * @param commitTimeout    how long a commit may keep retrying an unavailable transaction node
     * @param maxWriteSetBytes the most bytes one transaction's writes (keys, values, index entries and
     *                         locked keys, as the commit record holds them) may take; a write past it
     *                         fails with {@link TransactionTooLargeException}. 1 to {@link #MAX_WRITE_SET_BYTES}.
     */
    public record Settings(String name, Duration applyTimeout, Duration commitTimeout, long maxWriteSetBytes) {
        /** @throws IllegalArgumentException maxWriteSetBytes out of range */
        public Settings {
            if (maxWriteSetBytes < 1 || maxWriteSetBytes > MAX_WRITE_SET_BYTES) {
                throw new IllegalArgumentException("the write set limit must be 1 to " + MAX_WRITE_SET_BYTES
                        + " bytes (what one log entry holds), not " + maxWriteSetBytes);
            }
        }

        /** Settings with the largest write set limit. */
        public Settings(String name, Duration applyTimeout, Duration commitTimeout) {
            this(name, applyTimeout, commitTimeout, MAX_WRITE_SET_BYTES);
        }
    }

    /**
     * How this CN reads checkpoints: indexes and blocks of segments in one cache of at most
     * {@code blockCacheBytes} of heap, over an optional local-disk tier of at most {@code diskBytes} in
     * {@code diskDir} (null: none); every {@code followEvery} it looks for a newer checkpoint to move onto.
     */
    public record CacheSettings(long blockCacheBytes, Duration followEvery, java.nio.file.Path diskDir, long diskBytes) {
        /** The block cache when none is given: an eighth of the heap, at least 16 MiB. */
        public static long defaultBlockCacheBytes() {
            return Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 8);
        }

        /** @throws IllegalArgumentException a value out of range, named */
        public CacheSettings {
            if (blockCacheBytes < 1 << 20) {
                throw new IllegalArgumentException("the block cache must be at least 1 MiB, not " + blockCacheBytes
                        + " bytes");
            }
            if (followEvery == null || followEvery.isNegative() || followEvery.isZero()) {
                throw new IllegalArgumentException("followEvery must be positive, not " + followEvery);
            }
            if (diskDir != null && diskBytes < 1 << 20) {
                throw new IllegalArgumentException("the block cache's disk tier must be at least 1 MiB, not "
                        + diskBytes + " bytes");
            }
        }

        /** A heap cache only. */
        public CacheSettings(long blockCacheBytes, Duration followEvery) {
            this(blockCacheBytes, followEvery, null, 0);
        }

        /**
         * The default block cache; a look for a newer checkpoint every second. Until the CN moves onto a checkpoint
         * it holds every change since the one before: under a bulk load the TN publishes one every few seconds, and
         * a look every 10 s made the CN hold 540k versions at peak against the TN's 262k (1 s: 335k; sysbench
         * 4 x 250k rows into the 3-server cluster, 2026-12-07).
         */
        public static CacheSettings defaults() {
            return new CacheSettings(defaultBlockCacheBytes(), Duration.ofSeconds(1));
        }
    }

    private final LogService log;
    private final Supplier<TransactionService> transactionNode;
    private final Settings settings;
    private final LogTailer tailer;
    private final ReadBarrier readBarrier;
    private final ActiveSnapshots active = new ActiveSnapshots();
    private final BlockCache cache;
    private final CheckpointLoader loader;
    private final CheckpointFollower follower;
    private final Duration followEvery;
    private final LockKeeper locks;
    private volatile CommitCalls commitCalls;
    private volatile CommitObserver commitObserver = CommitObserver.NONE;

    /**
     * @param transactionNode gives the active TN's service at each call (it may change on failover)
     */
    public DataNode(LogService log, Supplier<TransactionService> transactionNode, Settings settings) {
        this(log, transactionNode, settings, null);
    }

    /**
     * A CN with the default cache settings.
     *
     * @param checkpoints where the TN writes checkpoints; this CN starts from the latest one and
     *                    follows the log from there. Null when checkpoints are off (then the log
     *                    must never be truncated).
     */
    public DataNode(LogService log, Supplier<TransactionService> transactionNode, Settings settings,
            CheckpointStore checkpoints) {
        this(log, transactionNode, settings, checkpoints, CacheSettings.defaults());
    }

    /**
     * @param checkpoints as above
     * @param cache       how checkpoints are cached and followed
     */
    public DataNode(LogService log, Supplier<TransactionService> transactionNode, Settings settings,
            CheckpointStore checkpoints, CacheSettings cache) {
        this(log, transactionNode, settings, checkpoints,
                checkpoints == null ? null : new BlockCache(checkpoints, cache.blockCacheBytes(),
                        cache.diskDir() == null ? null : new BlockFiles(cache.diskDir(), cache.diskBytes())),
                cache.followEvery());
    }

    private DataNode(LogService log, Supplier<TransactionService> transactionNode, Settings settings,
            CheckpointStore checkpoints, BlockCache cache, Duration followEvery) {
        this.log = log;
        this.readBarrier = new ReadBarrier(log::commitIndex);
        this.transactionNode = transactionNode;
        this.settings = settings;
        this.commitCalls = new RetryingCommitCalls(settings.commitTimeout());
        this.cache = cache;
        this.followEvery = followEvery;
        this.loader = new CheckpointLoader(checkpoints, cache);
        this.follower = checkpoints == null ? null : new CheckpointFollower(loader, settings.name());
        this.tailer = new LogTailer(log, loader::load, () -> active.oldest(Long.MAX_VALUE), follower, settings.name());
        // a new owner id per incarnation: locks of this CN's previous life are not its own
        this.locks = new LockKeeper(transactionNode, settings.name() + "#" + UUID.randomUUID().toString().substring(0, 8),
                settings.name());
    }

    /**
     * Sends commits through {@code calls} instead of the plain {@link RetryingCommitCalls} over the commit
     * timeout; before {@link #start()}.
     */
    public void commitThrough(CommitCalls calls) {
        this.commitCalls = calls;
    }

    /** Reports every commit sent to the TN to {@code observer} (see {@link CommitObserver}); null: none. */
    public void observeCommits(CommitObserver observer) {
        this.commitObserver = observer == null ? CommitObserver.NONE : observer;
    }

    public void start() {
        if (cache != null) {
            SegmentIndex.warmUp(); // checkpoints are read: not on a client's time
        }
        tailer.start();
        if (follower != null) {
            follower.start(followEvery);
        }
    }

    /** Starts a pessimistic transaction at a fresh snapshot. */
    public Transaction begin(Isolation isolation) {
        return begin(isolation, Concurrency.PESSIMISTIC);
    }

    /** Starts a transaction at a fresh snapshot. */
    public Transaction begin(Isolation isolation, Concurrency concurrency) {
        ActiveSnapshots.Entry registration = active.register(tailer.appliedTs());
        try {
            long snapshot = snapshot();
            registration.raise(snapshot);
            return new Transaction(this, isolation, concurrency, snapshot, registration);
        } catch (RuntimeException e) {
            registration.release();
            throw e;
        }
    }

    /**
     * Starts a transaction at what this CN has applied so far, without the read barrier's majority
     * round: it may miss commits acknowledged in the last moments. For checks that may lag by the
     * apply delay, such as whether grants changed while a multi-statement transaction runs.
     */
    public Transaction beginApplied(Isolation isolation) {
        long applied = tailer.appliedTs();
        return new Transaction(this, isolation, Concurrency.PESSIMISTIC, applied, active.register(applied));
    }

    /**
     * A snapshot timestamp that includes every commit acknowledged before this call.
     *
     * @throws DataUnavailableException no log majority, or this CN is too far behind
     */
    long snapshot() {
        long start = System.nanoTime();
        long barrier;
        try {
            barrier = readBarrier.await();
        } catch (LogException e) {
            throw new DataUnavailableException("the log cannot confirm its commit index: " + e.getMessage(), e);
        }
        long read = System.nanoTime();
        tailer.awaitApplied(barrier, settings.applyTimeout());
        long applied = System.nanoTime();
        if (applied - start > SLOW_NANOS) {
            LOG.info(() -> String.format("CAIRN0208I: a snapshot took %d ms: read barrier %d ms (LSN %d), applying up to"
                    + " it %d ms", (applied - start) / 1_000_000, (read - start) / 1_000_000, barrier,
                    (applied - read) / 1_000_000));
        }
        return tailer.appliedTs();
    }

    /** The number of keys this CN holds in memory per key space (for monitoring). */
    public java.util.Map<Long, Integer> keyCounts() {
        return store().keyCounts();
    }

    MvccStore store() {
        return tailer.store();
    }

    /**
     * Commits through the active TN with this CN's {@link CommitCalls} (which repeat the same request while
     * no TN is available: it is idempotent by transaction id), then waits (bounded) until this CN has
     * applied it. A commit the TN holds back for its memory budget is sent again for up to {@link #BUSY_WAIT}.
     */
    CommitResult commit(CommitRequest request) {
        long start = System.nanoTime();
        CommitResult result;
        try {
            result = commitWhileBusy(request, start + BUSY_WAIT.toNanos());
        } catch (RuntimeException e) {
            commitObserver.commitEnded(CommitObserver.Outcome.of(e), System.nanoTime() - start);
            throw e;
        }
        long took = System.nanoTime() - start;
        commitObserver.commitEnded(CommitObserver.Outcome.COMMITTED, took);
        if (took > SLOW_NANOS) {
            LOG.info(() -> String.format("CAIRN0209I: commit %s took %d ms", request.txnId(), took / 1_000_000));
        }
        try {
            tailer.awaitApplied(result.lsn(), settings.applyTimeout());
        } catch (DataUnavailableException e) {
            // The commit is durable; only this CN's view lags. The next snapshot's read
            // barrier waits for it, so read-your-writes still holds.
            LOG.fine(() -> "commit " + request.txnId() + " at LSN " + result.lsn() + " not applied here yet: "
                    + e.getMessage());
        }
        return result;
    }

    /**
     * How long a writer keeps sending a commit that the TN holds back because its changes wait for a checkpoint
     * (a bulk load faster than checkpoints): a slow commit, as a full redo log makes one in InnoDB, rather than
     * an error. A checkpoint of the budget's changes took up to tens of seconds on a busy 2-core cluster.
     */
    static final Duration BUSY_WAIT = Duration.ofSeconds(60);
    /** Longer than a TN holds a commit back before it refuses it ({@code CheckpointHooks.THROTTLE_WAIT}, 1 s). */
    private static final Duration BUSY_LAST_LOOK = Duration.ofSeconds(2);

    /**
     * The commit through {@link #commitCalls}, again while the TN answers busy. Giving up, it looks once more
     * after {@link #BUSY_LAST_LOOK}: an earlier attempt the TN was still holding back has by then been made
     * (then that look answers it) or refused, so the busy answer it throws means "not committed".
     */
    private CommitResult commitWhileBusy(CommitRequest request, long deadlineNanos) {
        while (true) {
            try {
                return commitCalls.commit(transactionNode, request);
            } catch (TransactionNodeBusyException e) {
                boolean last = System.nanoTime() > deadlineNanos;
                try {
                    Thread.sleep(last ? BUSY_LAST_LOOK.toMillis() : 100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                if (last) {
                    return commitCalls.commit(transactionNode, request);
                }
            }
        }
    }

    /** How long one lock call waits at the TN before the caller looks at its deadline and cancel flag again. */
    private static final long LOCK_POLL_MILLIS = 500;

    /**
     * Takes the locks of {@code request} at the active TN, waiting (in calls of bounded length) up to
     * {@code wait} for other holders, and through a TN failover.
     *
     * @throws LockWaitTimeoutException the wait ran out or {@code cancelled} said stop
     * @throws io.cairn.txn.DeadlockException the transaction is a deadlock victim (its locks are released)
     * @throws DataUnavailableException no TN answered within the wait
     */
    LockResult lock(LockRequest request, Duration wait, BooleanSupplier cancelled) {
        long deadline = System.nanoTime() + wait.toNanos();
        long backoffMillis = 20;
        TransactionNodeUnavailableException unavailable = null;
        while (true) {
            if (cancelled.getAsBoolean()) {
                locks.abandonWait(request.txnId());
                throw new LockWaitTimeoutException("the statement was cancelled while it waited for a lock", true);
            }
            long leftMillis = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            try {
                LockResult result = transactionNode.get().lock(request.waiting(Math.min(LOCK_POLL_MILLIS, leftMillis)));
                if (result.granted()) {
                    return result;
                }
                unavailable = null;
            } catch (TransactionNodeUnavailableException e) {
                unavailable = e;
                sleepQuietly(Math.min(backoffMillis, leftMillis));
                backoffMillis = Math.min(backoffMillis * 2, 500);
            }
            if (System.nanoTime() - deadline >= 0) {
                if (unavailable != null) {
                    throw new DataUnavailableException("no transaction node granted the lock within " + wait.toMillis()
                            + " ms: " + unavailable.getMessage(), unavailable);
                }
                locks.abandonWait(request.txnId());
                throw new LockWaitTimeoutException("Lock wait timeout exceeded; try restarting transaction", false);
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(Math.max(1, millis)); // back off while a TN takes over
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataUnavailableException("interrupted while waiting for a lock", e);
        }
    }

    /** This CN incarnation's id as the owner of its transactions' locks. */
    String lockOwner() {
        return locks.owner();
    }

    void lockHolderStarted() {
        locks.holderStarted();
    }

    void lockHolderEnded(String txnId, boolean release) {
        locks.holderEnded(txnId, release);
    }

    /** The write set limit of this CN's transactions. */
    long maxWriteSetBytes() {
        return settings.maxWriteSetBytes();
    }

    /** Waits (bounded by the apply timeout) until this CN has applied log entry {@code lsn}. */
    void awaitApplied(long lsn) {
        tailer.awaitApplied(lsn, settings.applyTimeout());
    }

    /** The TN that holds the lease as far as this CN has read the log; null before any lease. */
    public ActiveTransactionNode activeTransactionNode() {
        return tailer.activeTransactionNode();
    }

    /** The object key of the checkpoint manifest this CN reads under its memory, or null. */
    public String checkpointInUse() {
        return loader.manifestInUse();
    }

    /** What the checkpoint block cache did since the start; null when checkpoints are off. */
    public BlockCacheStats blockCacheStats() {
        if (cache == null) {
            return null;
        }
        var stats = cache.stats();
        BlockFiles disk = cache.disk();
        return new BlockCacheStats(stats.hitCount(), stats.missCount(), stats.evictionCount(), cache.weight(),
                disk == null ? 0 : disk.hits(), disk == null ? 0 : disk.misses(), disk == null ? 0 : disk.bytes());
    }

    /**
     * Block cache figures: the heap tier's hits, misses, evictions and the bytes it holds now; the disk tier's
     * hits (heap misses read from a local file), misses (read from object storage) and bytes (0 without one).
     */
    public record BlockCacheStats(long hits, long misses, long evictions, long bytes, long diskHits, long diskMisses,
            long diskBytes) {
    }

    /** How many transactions of this node are open (each holds back the MVCC horizon); for monitoring and tests. */
    public int openTransactions() {
        return active.size();
    }

    /** The highest commit timestamp this CN has applied. */
    public long appliedTs() {
        return tailer.appliedTs();
    }

    /**
     * How many log entries this CN still has to apply: the log's commit index as this server's log client
     * knows it (no majority round) less {@link #appliedLsn()}; 0 when it is caught up.
     */
    public long applyLag() {
        long available = log.awaitCommitted(Long.MAX_VALUE, Duration.ZERO);
        return Math.max(0, available - appliedLsn());
    }

    /** Every log entry below this LSN has been applied here. */
    public long appliedLsn() {
        return tailer.nextLsn() - 1;
    }

    /** Why this CN stopped applying the log, or null while it follows it. */
    public String failure() {
        return tailer.failure();
    }

    @Override
    public void close() {
        locks.close();
        if (follower != null) {
            follower.close();
        }
        tailer.close();
        if (cache != null) {
            cache.close();
        }
    }
}
