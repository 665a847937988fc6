package io.cairn.txn.node;

import io.cairn.log.Lease;
import io.cairn.log.LogAdmin;
import io.cairn.log.LogException;
import io.cairn.log.LogService;
import io.cairn.txn.CommitRequest;
import io.cairn.txn.CommitResult;
import io.cairn.txn.LockRequest;
import io.cairn.txn.LockResult;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.TransactionService;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.record.CommitRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
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
 * caller is answered when the append is durable ({@link CommitPipeline}).
 *
 * <h2>Locks</h2>
 * While active, the TN keeps the cluster's row locks in a {@link LockTable} of its term. A grant
 * also says whether a locked key was committed after the requester read it, so that the statement
 * reads it again. A commit may not write a key another transaction has locked; its own locks are
 * released once the commit is durable (or refused). Locks are not in the log: a new term starts
 * with none, and the read timestamps of the commit check keep every write safe without them
 * ({@link RowLockService}).
 *
 * <h2>Lease and takeover</h2>
 * The active TN renews its lease in the log every third of its duration. A standby that has seen no
 * lease entry for a whole duration appends a lease of the next epoch; the log accepts one such lease
 * and fences every append of an older epoch. Before it takes commits, the new TN reads the log up to
 * its own lease, so its conflict window and transaction ids include every commit of its predecessor.
 * Safety rests on the fencing alone; the timing (an injected {@link Ticker}) only decides how soon a
 * takeover happens ({@link LeaseKeeper}, {@link LogFollower}).
 *
 * <h2>Checkpoints</h2>
 * While active, the TN hands what changed to a checkpoint thread of its own
 * ({@link CheckpointScheduler}), so that slow object storage delays neither commits nor lease
 * renewals; a checkpoint publishes and truncates only while the log confirms this TN's lease
 * ({@link CheckpointHooks}). A standby keeps no changes for checkpoints: after a takeover they are read
 * back from the log, which keeps everything after the latest manifest ({@link UncheckpointedLog}).
 *
 * <h2>Failure</h2>
 * When an append fails (fenced, or no log majority) the outcome of the queued commits is unknown:
 * they fail with {@link TransactionNodeUnavailableException}, the TN steps down to standby and
 * rebuilds its state from the log. A repeat of the same request learns the real outcome from
 * whichever TN is active then.
 *
 * <p>Thread-safe: one lock, {@link NodeState}'s monitor, guards the role, the commit history and the
 * queued commits. Threads: one driver (log tail, lease), one appender and, with checkpoints on,
 * one checkpoint thread.
 */
public final class TransactionNode implements TransactionService, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TransactionNode.class.getName());
    /** How often an active TN looks whether the log leader is its own peer. */
    private static final Duration LEADERSHIP_CHECK = Duration.ofSeconds(5);

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

    private final LogService log;
    private final Clock clock;
    private final Ticker ticker;
    private final Settings settings;
    private final ScheduledExecutorService driver;
    private final Thread appender;
    private final NodeState node = new NodeState();
    private final CommitHistory history;
    private final CommitPipeline commits;
    private final RowLockService locks;
    private final LeaseView leases;
    private final CheckpointHooks checkpoints;
    private final LogFollower follower;
    private final LeaseKeeper leaseKeeper;
    /** The first LSN the log must keep besides what checkpoints need (the log archive's); see {@link #keepLogFrom}. */
    private volatile LongSupplier logKeptFrom = () -> Long.MAX_VALUE;
    /** Moves the log's leadership to this TN's own peer while active; null: never. */
    private LogLeadershipPull leadershipPull;

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
        this.settings = settings;
        this.leases = new LeaseView(ticker, settings.leaseDuration());
        this.history = new CommitHistory(settings.windowBytes());
        this.commits = new CommitPipeline(log, clock, ticker, settings, node, history);
        this.locks = new RowLockService(settings.id(), node, history, commits);
        this.checkpoints = new CheckpointHooks(settings.id(), commits::admitted);
        this.follower = new LogFollower(log, ticker, node, history, leases, checkpoints);
        this.leaseKeeper = new LeaseKeeper(log, ticker, settings, node, history, follower, leases, commits);
        this.driver = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "cairn-tn-driver-" + settings.id()));
        this.appender = daemon(commits::appendLoop, "cairn-tn-appender-" + settings.id());
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
        CheckpointWriter writer = new CheckpointWriter(store, this::truncateLogBefore, leaseKeeper::holdsLease,
                checkpointSettings, garbage);
        UncheckpointedLog earlier = new UncheckpointedLog(log, writer::latest);
        checkpoints.enable(new CheckpointScheduler(writer, earlier, checkpointSettings, ticker, settings.id()),
                checkpointSettings.memtableBytes());
    }

    /**
     * Makes checkpoints truncate the log no further than {@code keepFrom} says (the log archive keeps what it has
     * not shipped yet; 0 keeps everything). Call before {@link #start()}.
     */
    public void keepLogFrom(LongSupplier keepFrom) {
        logKeptFrom = keepFrom;
    }

    private void truncateLogBefore(long lsn) {
        long limit = Math.min(lsn, logKeptFrom.getAsLong());
        if (limit > 1) {
            log.truncateBefore(limit);
        }
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
    /** How long the driver follows the log before it looks after the lease and checkpoints again: a tenth of a lease. */
    private long followSliceNanos() {
        return settings.leaseDuration().toNanos() / 10;
    }

    private long tickMillis() {
        return Math.max(10, settings.leaseDuration().toMillis() / 10);
    }

    public State state() {
        return node.state();
    }

    /** The lease epoch this TN commits with while active. */
    public long epoch() {
        return node.epoch();
    }

    /** The latest lease this TN has read from the log (its own renewals included). */
    public Lease lease() {
        return leases.lease();
    }

    /**
     * How long ago this TN read the latest lease's grant or renewal from the log (its own renewals too), by its
     * ticker; null before it read any. Past {@link #leaseDuration()} the TN sees the lease lapsed.
     */
    public Duration leaseAge() {
        long nanos = leases.ageNanos();
        return nanos < 0 ? null : Duration.ofNanos(nanos);
    }

    /** The lease's duration. */
    public Duration leaseDuration() {
        return settings.leaseDuration();
    }

    /**
     * About the heap of changes not yet in a checkpoint (noted, or being written); 0 without checkpoints or while
     * standby.
     */
    public long pendingCheckpointBytes() {
        return checkpoints.pendingBytes();
    }

    /** Keys changed and not in a checkpoint as far as this TN knows; 0 without checkpoints or while standby. */
    public int pendingCheckpointKeys() {
        return checkpoints.pendingKeys();
    }

    /** The highest commit timestamp this TN knows of (its own or read from the log). */
    public long lastCommitTs() {
        synchronized (node) {
            return history.lastTs();
        }
    }

    @Override
    public CommitResult commit(CommitRequest request) {
        checkpoints.slowWhileLagging(request.txnId());
        return commits.commit(request);
    }

    /**
     * Makes this TN refuse every client commit with {@link ReadOnlyClusterException} saying {@code reason} (null:
     * take them again). Commits admitted before still complete; {@link #replay} goes on.
     */
    public void refuseWrites(String reason) {
        commits.refuse(reason);
    }

    /** Why this TN refuses client commits, or null when it takes them. */
    public String writesRefused() {
        return commits.refused();
    }

    /**
     * Waits until every commit this TN admitted is durable or failed, at most {@code timeout}: after
     * {@link #refuseWrites}, the log then holds every commit this TN will make.
     *
     * @return whether none is left in flight
     */
    public boolean awaitCommitsDone(Duration timeout) {
        return commits.awaitIdle(timeout.toMillis());
    }

    /** The log entry holding the newest durable commit this TN knows of (its own or read from the log); 0: none. */
    public long lastCommitLsn() {
        synchronized (node) {
            return history.durableLsn();
        }
    }

    /**
     * Appends another cluster's commits, as they were committed there, into this cluster's log (a standby's TN
     * following its primary), and returns once they are durable. Records this TN knows already (a timestamp at
     * or below {@link #lastCommitTs()}) are skipped.
     *
     * @throws TransactionNodeUnavailableException this TN is not active, or the log refused the append
     */
    public void replay(List<CommitRecord> records) {
        commits.replay(records);
    }

    // ---- locks --------------------------------------------------------------------------------

    @Override
    public LockResult lock(LockRequest request) {
        return locks.lock(request);
    }

    @Override
    public void abandonWait(String txnId) {
        locks.abandonWait(txnId);
    }

    @Override
    public void release(String txnId) {
        locks.release(txnId);
    }

    @Override
    public void keepAlive(String owner) {
        locks.keepAlive(owner);
    }

    /** Locks held now by all transactions (0 while standby), for monitoring. */
    public int heldLocks() {
        return locks.heldLocks();
    }

    /** Lock requests this TN has been asked, for monitoring. */
    public long lockRequests() {
        return locks.lockRequests();
    }

    /** Transactions waiting for a lock now (0 while standby), for monitoring. */
    public int waitingForLocks() {
        return locks.waitingForLocks();
    }

    // ---- driver: follow the log, keep or take the lease --------------------------------------

    private void drive() {
        try {
            boolean caughtUp;
            do {
                synchronized (node) {
                    if (node.state() == State.CLOSED) {
                        return;
                    }
                    if (node.takeRebuild()) {
                        follower.rebuild();
                    }
                }
                // In slices: under a bulk load the log grew as fast as this thread applied it, so following it
                // "to the end" took many seconds, no renewal went out meanwhile and a standby took the lease
                // (five moves in one 4 x 1M load without any long GC pause, 2026-12-07).
                caughtUp = follower.follow(Long.MAX_VALUE, followSliceNanos());
                forgetOld();
                if (state() == State.ACTIVE) {
                    locks.expireSilentOwners();
                    leaseKeeper.renew();
                    if (state() == State.ACTIVE) { // renew() steps down when the lease was lost
                        if (leadershipPull != null) {
                            leadershipPull.maybePull();
                        }
                        checkpoints.tick(epoch());
                    }
                } else {
                    leaseKeeper.maybeTakeOver();
                }
                if (state() == State.STANDBY) {
                    checkpoints.standBy();
                }
            } while (!caughtUp);
        } catch (LogException e) {
            LOG.log(Level.FINE, "transaction node " + settings.id() + ": log not available now", e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "CAIRN0102W: transaction node " + settings.id() + " driver error", e);
        }
    }

    /** Forgets commits older than the window, in the conflict window and the known transaction ids. */
    private void forgetOld() {
        synchronized (node) {
            history.forgetBefore((clock.millis() - settings.window().toMillis()) * 1000);
        }
    }

    /** Stops the threads; queued commits fail as unavailable. Does not release the lease (it lapses). */
    @Override
    public void close() {
        synchronized (node) {
            node.close();
            node.notifyAll();
        }
        driver.shutdownNow();
        if (leadershipPull != null) {
            leadershipPull.close();
        }
        appender.interrupt();
        checkpoints.close();
        try {
            driver.awaitTermination(10, TimeUnit.SECONDS);
            appender.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        commits.stepDown(new IllegalStateException("transaction node closed"));
    }
}
