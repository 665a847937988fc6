package io.cairn.txn.node;

import io.cairn.log.Lease;
import io.cairn.log.LogAdmin;
import io.cairn.log.LogBatch;
import io.cairn.log.LogEntry;
import io.cairn.log.LogException;
import io.cairn.log.LogService;
import io.cairn.log.LogTruncatedException;
import io.cairn.log.StaleEpochException;
import io.cairn.txn.CommitRequest;
import io.cairn.txn.CommitResult;
import io.cairn.txn.SnapshotTooOldException;
import io.cairn.txn.Key;
import io.cairn.txn.LockMode;
import io.cairn.txn.LockRequest;
import io.cairn.txn.LockResult;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.TransactionService;
import io.cairn.txn.WriteConflictException;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.record.CommitRecord;
import io.cairn.txn.record.TnLease;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A transaction node: active (it holds the lease and commits) or standby (it follows the log and
 * takes over when the lease lapses). Every TN is started the same way; the log decides which one is
 * active.
 *
 * <h2>Commit</h2>
 * Under one lock, {@link #commit} answers a known transaction id from memory, checks the write set
 * against the {@link ConflictWindow}, assigns the next timestamp (above every earlier one, close to
 * the clock) and queues the record; the appender thread writes everything queued as one conditional
 * log append at the TN's lease epoch, one append at a time, so log order is timestamp order. The
 * caller is answered when the append is durable.
 *
 * <h2>Locks</h2>
 * While active, the TN keeps the cluster's row locks in a {@link LockTable} of its term. A grant
 * also says whether a locked key was committed after the requester read it, so that the statement
 * reads it again. A commit may not write a key another transaction has locked; its own locks are
 * released once the commit is durable (or refused). Locks are not in the log: a new term starts
 * with none, and the read timestamps of the commit check keep every write safe without them.
 *
 * <h2>Lease and takeover</h2>
 * The active TN renews its lease in the log every third of its duration. A standby that has seen no
 * lease entry for a whole duration appends a lease of the next epoch; the log accepts one such lease
 * and fences every append of an older epoch. Before it takes commits, the new TN reads the log up to
 * its own lease, so its conflict window and transaction ids include every commit of its predecessor.
 * Safety rests on the fencing alone; the timing (an injected {@link Ticker}) only decides how soon a
 * takeover happens.
 *
 * <h2>Checkpoints</h2>
 * While active, the TN hands what changed to a checkpoint thread of its own
 * ({@link CheckpointScheduler}), so that slow object storage delays neither commits nor lease
 * renewals; a checkpoint publishes and truncates only while the log confirms this TN's lease.
 *
 * <h2>Failure</h2>
 * When an append fails (fenced, or no log majority) the outcome of the queued commits is unknown:
 * they fail with {@link TransactionNodeUnavailableException}, the TN steps down to standby and
 * rebuilds its state from the log. A repeat of the same request learns the real outcome from
 * whichever TN is active then.
 *
 * <p>Thread-safe. Threads: one driver (log tail, lease), one appender and, with checkpoints on,
 * one checkpoint thread.
 */
public final class TransactionNode implements TransactionService, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TransactionNode.class.getName());
    private static final int READ_BYTES = 4 << 20;
    /** How often an active TN looks whether the log leader is its own peer. */
    private static final Duration LEADERSHIP_CHECK = Duration.ofSeconds(5);
    /**
     * A compute node that stopped calling this long is taken as dead: its transactions' locks go. CNs
     * call every second while they hold locks; 3 s keeps others' waits for a dead CN's rows within a
     * failover's time.
     */
    static final Duration LOCK_OWNER_TIMEOUT = Duration.ofSeconds(3);

    /**
     * @param id            this TN's name, the lease holder
     * @param endpoint      where CNs reach this TN, carried in its lease
     * @param leaseDuration how long a lease lasts without renewal
     * @param window        how long commits stay in the conflict window
     * @param commitTimeout how long a commit may wait for the log
     * @param windowBytes   about the most heap the conflict window takes; the oldest commits go early past it
     */
    public record Settings(String id, String endpoint, Duration leaseDuration, Duration window, Duration commitTimeout,
            long windowBytes) {
        /** With a conflict window of at most {@link #defaultWindowBytes()}. */
        public Settings(String id, String endpoint, Duration leaseDuration, Duration window, Duration commitTimeout) {
            this(id, endpoint, leaseDuration, window, commitTimeout, defaultWindowBytes());
        }

        /** A sixteenth of the heap, at least 8 MiB: a minute of a bulk load's keys fits in neither. */
        public static long defaultWindowBytes() {
            return Math.max(8L << 20, Runtime.getRuntime().maxMemory() / 16);
        }
    }

    /** Where this TN stands. */
    public enum State {
        STANDBY, ACTIVE, CLOSED
    }

    private record Pending(CommitRecord record, CompletableFuture<CommitResult> result) {
    }

    private final LogService log;
    private final Clock clock;
    private final Ticker ticker;
    private final Settings settings;
    private final ScheduledExecutorService driver;
    private final LongAdder lockRequests = new LongAdder();
    private final Thread appender;

    // Guarded by "this". The window is null until the first commit or takeover shows where it starts.
    private ConflictWindow window;
    private boolean readFromLogStart = true;
    private boolean rebuildPending;
    private final Map<String, CommitResult> committed = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<CommitResult>> inFlight = new LinkedHashMap<>();
    private List<Pending> queue = new ArrayList<>();
    private long lastTs;
    /** The highest commit timestamp known to be in the log. */
    private long durableTs;
    /** The log entry holding the commit of {@link #durableTs}. */
    private long durableLsn;
    /** The row locks of this TN's active term; null while standby. */
    private volatile LockTable locks;
    private long epoch;
    private State state = State.STANDBY;

    // Driver thread only (the lease is read by others too).
    /** The longest one commit waits for checkpoints to catch up with the memory budget. */
    static final Duration THROTTLE_WAIT = Duration.ofSeconds(1);

    private CheckpointScheduler checkpoints;
    /** Moves the log's leadership to this TN's own peer while active; null: never. */
    private LogLeadershipPull leadershipPull;
    private long memtableBytes;
    private volatile boolean throttling;
    private long nextLsn = 1;
    private volatile Lease seenLease = Lease.NONE;
    private long seenLeaseAtNanos;
    private long renewedAtNanos;

    /** A TN whose lease timing follows {@link System#nanoTime()}. */
    public TransactionNode(LogService log, Clock clock, Settings settings) {
        this(log, clock, Ticker.SYSTEM, settings);
    }

    /**
     * @param clock  gives commit timestamps (close to wall-clock time, always increasing)
     * @param ticker times the lease and checkpoints
     */
    public TransactionNode(LogService log, Clock clock, Ticker ticker, Settings settings) {
        this.log = log;
        this.clock = clock;
        this.ticker = ticker;
        this.seenLeaseAtNanos = ticker.nanoTime();
        this.settings = settings;
        this.driver = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "cairn-tn-driver-" + settings.id()));
        this.appender = daemon(this::appendLoop, "cairn-tn-appender-" + settings.id());
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Makes this TN, while active, write checkpoints to {@code store} as {@code checkpointSettings}
     * say, truncate the log behind them and delete what they supersede. Call before {@link #start()}.
     */
    public void enableCheckpoints(CheckpointStore store, CheckpointSettings checkpointSettings) {
        CheckpointGarbage garbage = new CheckpointGarbage(store, ticker, checkpointSettings.garbageGrace());
        CheckpointWriter writer = new CheckpointWriter(store, log, this::holdsLease,
                checkpointSettings, garbage);
        this.checkpoints = new CheckpointScheduler(writer, checkpointSettings, ticker, settings.id());
        this.memtableBytes = checkpointSettings.memtableBytes();
    }

    /**
     * Makes this TN, while active, move the log's leadership to its own log peer (the one named like
     * the TN, through {@code admin}) when that peer is caught up, so that commits take no extra hop
     * to a leader on another server. Call before {@link #start()}.
     */
    public void pullLogLeadership(LogAdmin admin) {
        this.leadershipPull = new LogLeadershipPull(admin, settings.id(), ticker, LEADERSHIP_CHECK,
                () -> state() == State.ACTIVE);
    }

    /** Starts following the log; the TN becomes active by itself when no other TN holds the lease. */
    public void start() {
        appender.start();
        driver.scheduleWithFixedDelay(this::drive, 0, tickMillis(), TimeUnit.MILLISECONDS);
    }

    /** How often the driver follows the log, renews and checks the lease: a lapse is noticed within one tick. */
    private long tickMillis() {
        return Math.max(10, settings.leaseDuration().toMillis() / 10);
    }

    public synchronized State state() {
        return state;
    }

    /** The lease epoch this TN commits with while active. */
    public synchronized long epoch() {
        return epoch;
    }

    /** The latest lease this TN has read from the log (its own renewals included). */
    public Lease lease() {
        return seenLease;
    }

    /**
     * Back-pressure: while the changes not yet in a checkpoint take more than twice the memory budget
     * (object storage slower than the writers, or checkpoints failing), a commit waits up to
     * {@link #THROTTLE_WAIT} for a checkpoint to catch up, and is refused when none did: the CN repeats a
     * refused commit until its commit timeout, so writers wait instead of the heap running out. (Letting
     * each commit through after its wait held nobody back: four bulk writers grew the changes to 2.8
     * million on a TN whose checkpoints kept failing, until its server ran out of heap.)
     *
     * @param txnId the commit's transaction: a repeated call of one already admitted is not held back
     * @throws TransactionNodeUnavailableException the changes still take more than twice the budget
     */
    private void slowWhileCheckpointsLag(String txnId) {
        CheckpointScheduler scheduler = checkpoints;
        if (scheduler == null || scheduler.pendingBytes() <= 2 * memtableBytes) {
            if (throttling) {
                throttling = false;
                LOG.info("CAIRN0112I: checkpoints caught up; commits go at full speed again");
            }
            return;
        }
        if (admitted(txnId)) { // a repeated call of an admitted commit is answered, never held back
            return;
        }
        if (!throttling) {
            throttling = true;
            LOG.warning("CAIRN0111W: " + (scheduler.pendingBytes() >> 20) + " MiB of changes wait for a checkpoint "
                    + "(budget " + (memtableBytes >> 20) + " MiB, cairn.memtable.max): commits are held back until one "
                    + "catches up");
        }
        long deadline = System.nanoTime() + THROTTLE_WAIT.toNanos();
        try {
            while (scheduler.pendingBytes() > 2 * memtableBytes && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long pending = scheduler.pendingBytes();
        if (pending > 2 * memtableBytes) {
            throw new TransactionNodeUnavailableException("transaction node " + settings.id() + " holds "
                    + (pending >> 20) + " MiB of changes not yet in a checkpoint, more than twice its budget ("
                    + (memtableBytes >> 20) + " MiB, cairn.memtable.max); the commit may be tried again", null);
        }
    }

    /** Whether a commit of {@code txnId} is in flight or committed (within the window). */
    private synchronized boolean admitted(String txnId) {
        return committed.containsKey(txnId) || inFlight.containsKey(txnId);
    }

    /** About the heap of changes not yet in a checkpoint (noted, or being written); 0 without checkpoints. */
    public long pendingCheckpointBytes() {
        CheckpointScheduler scheduler = checkpoints;
        return scheduler == null ? 0 : scheduler.pendingBytes();
    }

    /** Keys changed in the log and not in a checkpoint as far as this TN knows; 0 without checkpoints. */
    public int pendingCheckpointKeys() {
        CheckpointScheduler scheduler = checkpoints;
        return scheduler == null ? 0 : scheduler.pendingKeys();
    }

    /** The highest commit timestamp this TN knows of (its own or read from the log). */
    public synchronized long lastCommitTs() {
        return lastTs;
    }

    @Override
    public CommitResult commit(CommitRequest request) {
        slowWhileCheckpointsLag(request.txnId());
        CompletableFuture<CommitResult> result;
        synchronized (this) {
            if (state != State.ACTIVE) {
                throw new TransactionNodeUnavailableException("transaction node " + settings.id() + " is not active", null);
            }
            CommitResult known = committed.get(request.txnId());
            if (known != null) {
                return known;
            }
            result = inFlight.get(request.txnId());
            if (result == null) {
                try {
                    window.check(request);
                    Key locked = locks.lockedByOther(request.txnId(), request.writes());
                    if (locked != null) {
                        throw new WriteConflictException("write conflict on " + locked
                                + ": another transaction holds a lock on it");
                    }
                } catch (WriteConflictException e) {
                    locks.release(request.txnId());
                    awaitDurable(e.committedTs());
                    throw e;
                } catch (SnapshotTooOldException e) {
                    locks.release(request.txnId());
                    throw e;
                }
                long ts = Math.max(lastTs + 1, clock.millis() * 1000);
                CommitRecord record = new CommitRecord(request.txnId(), ts, request.writes());
                if (4L + record.encodedSize() > LogService.MAX_APPEND_BYTES) {
                    // validated before it is logged: the log would refuse it, and this TN step down
                    locks.release(request.txnId());
                    throw new IllegalArgumentException("the write set of " + request.txnId() + " needs "
                            + record.encodedSize() + " bytes in the log, more than one log entry holds ("
                            + (LogService.MAX_APPEND_BYTES - 4) + ")");
                }
                lastTs = ts;
                window.record(ts, request.writes());
                result = new CompletableFuture<>();
                inFlight.put(request.txnId(), result);
                queue.add(new Pending(record, result));
                notifyAll();
            }
        }
        return await(result);
    }

    /**
     * Holds a losing commit's answer until the winner it lost to is in the log (or this TN gives up
     * on it): a client retrying at once would otherwise take a snapshot without the winner and lose
     * again, as often as it can retry within one log append. Caller holds the monitor.
     */
    private void awaitDurable(long ts) {
        long deadline = ticker.nanoTime() + settings.commitTimeout().toNanos();
        while (durableTs < ts && state == State.ACTIVE) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - ticker.nanoTime());
            if (left <= 0) {
                return;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private CommitResult await(CompletableFuture<CommitResult> result) {
        try {
            return result.get(settings.commitTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new TransactionNodeUnavailableException("commit failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new TransactionNodeUnavailableException("commit not durable within " + settings.commitTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransactionNodeUnavailableException("interrupted while committing", e);
        }
    }

    // ---- locks --------------------------------------------------------------------------------

    @Override
    public LockResult lock(LockRequest request) {
        lockRequests.increment();
        LockTable term = activeLocks();
        NavigableMap<Key, LockMode> wanted = new TreeMap<>();
        request.shared().forEach(k -> wanted.put(k, LockMode.SHARED));
        request.exclusive().forEach(k -> wanted.put(k, LockMode.EXCLUSIVE));
        boolean granted;
        try {
            granted = term.acquire(request.txnId(), request.owner(), wanted,
                    TimeUnit.MILLISECONDS.toNanos(request.waitMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransactionNodeUnavailableException("interrupted while waiting for a lock", e);
        }
        if (!granted) {
            return LockResult.WAITING;
        }
        synchronized (this) {
            if (state != State.ACTIVE || locks != term) {
                throw new TransactionNodeUnavailableException("transaction node " + settings.id()
                        + " stopped being active while granting locks; they are gone", null);
            }
            long changedAt = window.lastCommitAfter(request.readTs(), wanted.keySet());
            if (changedAt == 0) {
                return LockResult.GRANTED;
            }
            awaitDurable(changedAt);
            return LockResult.changedUpTo(durableLsn);
        }
    }

    @Override
    public void abandonWait(String txnId) {
        LockTable term = locks;
        if (term != null) {
            term.abandonWait(txnId);
        }
    }

    @Override
    public void release(String txnId) {
        LockTable term = locks;
        if (term != null) {
            term.release(txnId);
        }
    }

    @Override
    public void keepAlive(String owner) {
        activeLocks().keepAlive(owner);
    }

    /** Locks held now by all transactions (0 while standby), for monitoring. */
    public int heldLocks() {
        LockTable term = locks;
        return term == null ? 0 : term.heldCount();
    }

    /** Lock requests this TN has been asked, for monitoring. */
    public long lockRequests() {
        return lockRequests.sum();
    }

    /** Transactions waiting for a lock now (0 while standby), for monitoring. */
    public int waitingForLocks() {
        LockTable term = locks;
        return term == null ? 0 : term.waitingCount();
    }

    private LockTable activeLocks() {
        LockTable term = locks;
        if (term == null) {
            throw new TransactionNodeUnavailableException("transaction node " + settings.id() + " is not active", null);
        }
        return term;
    }

    /** Ends the lock table of the active term: waiters fail, locks are gone. Caller holds the monitor. */
    private void endLockTerm() {
        LockTable term = locks;
        locks = null;
        if (term != null) {
            term.close();
        }
    }

    private void expireSilentLockOwners() {
        LockTable term = locks;
        if (term != null) {
            int released = term.expireSilentOwners();
            if (released > 0) {
                LOG.info("CAIRN0106I: transaction node " + settings.id() + " released the locks of " + released
                        + " transactions whose compute node stopped calling for " + LOCK_OWNER_TIMEOUT.toSeconds() + " s");
            }
        }
    }

    // ---- appender ----------------------------------------------------------------------------

    private void appendLoop() {
        while (true) {
            List<Pending> batch;
            long batchEpoch;
            synchronized (this) {
                while (queue.isEmpty() && state != State.CLOSED) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (state == State.CLOSED) {
                    return;
                }
                batch = takeBatch();
                batchEpoch = epoch;
            }
            List<byte[]> records = new ArrayList<>(batch.size());
            for (Pending pending : batch) {
                records.add(pending.record().encode());
            }
            try {
                long lsn = log.append(batchEpoch, records);
                synchronized (this) {
                    LockTable term = locks;
                    for (Pending pending : batch) {
                        CommitResult result = new CommitResult(pending.record().commitTs(), lsn);
                        committed.put(pending.record().txnId(), result);
                        inFlight.remove(pending.record().txnId());
                        if (term != null) {
                            term.release(pending.record().txnId());
                        }
                        pending.result().complete(result);
                    }
                    durableTs = Math.max(durableTs, batch.get(batch.size() - 1).record().commitTs());
                    durableLsn = Math.max(durableLsn, lsn);
                    notifyAll(); // losers waiting for these winners
                }
            } catch (RuntimeException e) { // LogException or an encoding failure: the outcome is unknown either way
                LOG.log(Level.WARNING, "CAIRN0101W: transaction node " + settings.id()
                        + " could not append " + batch.size() + " commits; stepping down: " + e.getMessage());
                stepDown(batch, e);
            }
        }
    }

    /**
     * The queued commits that fit one log append, oldest first (at least one: commit refuses records that
     * fit none); the rest stay queued for the next append, so log order stays commit-timestamp order.
     * Caller holds the monitor.
     */
    private List<Pending> takeBatch() {
        long bytes = 0;
        int n = 0;
        while (n < queue.size()) {
            long size = 4L + queue.get(n).record().encodedSize();
            if (n > 0 && bytes + size > LogService.MAX_APPEND_BYTES) {
                break;
            }
            bytes += size;
            n++;
        }
        if (n == queue.size()) {
            List<Pending> all = queue;
            queue = new ArrayList<>();
            return all;
        }
        List<Pending> batch = new ArrayList<>(queue.subList(0, n));
        queue = new ArrayList<>(queue.subList(n, queue.size()));
        return batch;
    }

    /** Fails the given and all queued commits (outcome unknown) and rebuilds from the log as a standby. */
    private synchronized void stepDown(List<Pending> failed, Exception cause) {
        List<Pending> all = new ArrayList<>(failed);
        all.addAll(queue);
        queue = new ArrayList<>();
        for (Pending pending : all) {
            inFlight.remove(pending.record().txnId());
            pending.result().completeExceptionally(new TransactionNodeUnavailableException(
                    "outcome unknown: the transaction node lost the log or its lease (" + cause.getMessage()
                            + "); repeat the request to learn it", cause));
        }
        if (state == State.ACTIVE) {
            state = State.STANDBY;
        }
        endLockTerm();
        rebuildPending = true;
        notifyAll(); // losers waiting for a winner that failed with this batch
    }

    // ---- driver: follow the log, keep or take the lease --------------------------------------

    private void drive() {
        try {
            synchronized (this) {
                if (state == State.CLOSED) {
                    return;
                }
                if (rebuildPending) {
                    rebuildPending = false;
                    window = null;
                    readFromLogStart = true;
                    committed.clear();
                    nextLsn = 1;
                }
            }
            follow(Long.MAX_VALUE);
            forgetOld();
            if (state() == State.ACTIVE) {
                expireSilentLockOwners();
                renew();
                if (leadershipPull != null && state() == State.ACTIVE) { // renew() steps down when the lease was lost
                    leadershipPull.maybePull();
                }
                if (checkpoints != null) {
                    checkpoints.tick(epoch());
                }
            } else {
                maybeTakeOver();
                if (checkpoints != null && state() == State.STANDBY) {
                    checkpoints.trim();
                }
            }
        } catch (LogException e) {
            LOG.log(Level.FINE, "transaction node " + settings.id() + ": log not available now", e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "CAIRN0102W: transaction node " + settings.id() + " driver error", e);
        }
    }

    /**
     * Applies visible log entries up to {@code untilLsn} (or all available) to the window, ids and lease
     * view. Of the leases read, the newest counts, once: renewals read together arrived together.
     */
    private void follow(long untilLsn) {
        Lease newest = null;
        try {
            while (nextLsn <= untilLsn) {
                LogBatch batch;
                try {
                    batch = log.read(nextLsn, READ_BYTES);
                } catch (LogTruncatedException e) {
                    synchronized (this) {
                        readFromLogStart = false;
                    }
                    nextLsn = e.firstAvailableLsn();
                    continue;
                }
                for (LogEntry entry : batch.entries()) {
                    if (entry.kind() == LogEntry.Kind.LEASE) {
                        newest = new Lease(entry.epoch(), entry.holder(), entry.lsn());
                    } else {
                        apply(entry);
                    }
                }
                if (batch.nextLsn() <= nextLsn) {
                    return;
                }
                nextLsn = batch.nextLsn();
            }
        } finally {
            if (newest != null) {
                observe(newest);
            }
        }
    }

    private void apply(LogEntry entry) {
        synchronized (this) {
            for (byte[] bytes : entry.records()) {
                if (!CommitRecord.isCommitRecord(bytes)) {
                    continue;
                }
                CommitRecord record = CommitRecord.decode(bytes);
                if (window == null) {
                    // Read from the log's start, nothing older exists; after a truncation, older
                    // commits are unknown, so snapshots before the first one read are too old.
                    window = new ConflictWindow(readFromLogStart ? 0 : record.commitTs(), settings.windowBytes());
                }
                window.record(record.commitTs(), record.writes());
                if (checkpoints != null) {
                    checkpoints.onCommit(entry.lsn(), record);
                }
                committed.putIfAbsent(record.txnId(), new CommitResult(record.commitTs(), entry.lsn()));
                lastTs = Math.max(lastTs, record.commitTs());
                durableTs = Math.max(durableTs, record.commitTs());
                durableLsn = Math.max(durableLsn, entry.lsn());
            }
        }
    }

    private synchronized void forgetOld() {
        long horizon = (clock.millis() - settings.window().toMillis()) * 1000;
        if (window != null) {
            window.forgetBefore(horizon);
        }
        var ids = committed.entrySet().iterator();
        while (ids.hasNext() && ids.next().getValue().commitTs() < horizon) {
            ids.remove();
        }
    }

    /**
     * Whether this TN is active under {@code leaseEpoch} and the log confirms (linearizably) that no
     * later lease exists. Any thread; asks the log.
     */
    private boolean holdsLease(long leaseEpoch) {
        synchronized (this) {
            if (state != State.ACTIVE || epoch != leaseEpoch) {
                return false;
            }
        }
        Lease current = log.currentLease();
        return current.epoch() == leaseEpoch && settings.id().equals(current.holder());
    }

    private void renew() {
        long now = ticker.nanoTime();
        long third = settings.leaseDuration().toNanos() / 3;
        if (now - renewedAtNanos < third) {
            return;
        }
        long myEpoch = epoch();
        try {
            log.appendLease(myEpoch, settings.id(), leasePayload());
            renewedAtNanos = ticker.nanoTime();
        } catch (StaleEpochException e) {
            LOG.warning("CAIRN0103W: transaction node " + settings.id() + " lost its lease: " + e.getMessage());
            stepDown(List.of(), e);
        } catch (LogException e) {
            if (ticker.nanoTime() - renewedAtNanos > settings.leaseDuration().toNanos()) {
                LOG.warning("CAIRN0104W: transaction node " + settings.id() + " could not renew its lease in time: "
                        + e.getMessage());
                stepDown(List.of(), e);
            }
        }
    }

    private void maybeTakeOver() {
        boolean lapsed = seenLease.epoch() == 0
                || ticker.nanoTime() - seenLeaseAtNanos > settings.leaseDuration().toNanos();
        if (!lapsed) {
            return;
        }
        Lease current = log.currentLease();
        if (current.lsn() > seenLease.lsn()) {
            // A grant or renewal this TN has not read yet (just appended, or before a truncation):
            // its holder may be alive, so it is not taken as lapsed.
            observe(current);
            return;
        }
        long next = Math.max(seenLease.epoch(), current.epoch()) + 1;
        long leaseLsn;
        try {
            leaseLsn = log.appendLease(next, settings.id(), leasePayload());
        } catch (StaleEpochException e) {
            return; // another TN won; its lease shows up in the log
        }
        renewedAtNanos = ticker.nanoTime();
        follow(leaseLsn);
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            if (window == null) {
                window = new ConflictWindow(readFromLogStart ? 0 : lastTs, settings.windowBytes());
            }
            epoch = next;
            locks = new LockTable(ticker, LOCK_OWNER_TIMEOUT);
            state = State.ACTIVE;
        }
        LOG.info("CAIRN0105I: transaction node " + settings.id() + " is active with lease epoch " + next
                + " at LSN " + leaseLsn);
    }

    /**
     * A lease read from the log: its time starts now. But a renewal read more than half a lease after the
     * one before (its holder renews every third) was held up on its way here, typically by a log election
     * after the holder's server, which also led the log, stopped; it may be that much older already. It gets
     * half a lease, which a live holder's next renewal beats, instead of a whole lease on top of the election
     * (chaos suite: pause of that server, takeover 5.6-6 s after the pause instead of 2.2-2.8 s).
     */
    private void observe(Lease lease) {
        long now = ticker.nanoTime();
        long duration = settings.leaseDuration().toNanos();
        boolean lateRenewal = lease.epoch() == seenLease.epoch() && lease.holder() != null
                && lease.holder().equals(seenLease.holder()) && now - seenLeaseAtNanos > duration / 2;
        seenLease = lease;
        seenLeaseAtNanos = lateRenewal ? now - duration / 2 : now;
    }

    private byte[] leasePayload() {
        return new TnLease(settings.leaseDuration().toMillis(), settings.endpoint()).encode();
    }

    /** Stops the threads; queued commits fail as unavailable. Does not release the lease (it lapses). */
    @Override
    public void close() {
        synchronized (this) {
            state = State.CLOSED;
            notifyAll();
        }
        driver.shutdownNow();
        if (leadershipPull != null) {
            leadershipPull.close();
        }
        appender.interrupt();
        if (checkpoints != null) {
            checkpoints.close();
        }
        try {
            driver.awaitTermination(10, TimeUnit.SECONDS);
            appender.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stepDown(List.of(), new IllegalStateException("transaction node closed"));
    }
}
