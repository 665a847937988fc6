package io.cairn.txn.standby;

import io.cairn.txn.TransactionException;
import io.cairn.txn.backup.LogArchive;
import io.cairn.txn.backup.Promotion;
import io.cairn.txn.backup.Timestamps;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.node.TransactionNode;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This cluster as a standby of another ({@code cairn.standby.of}): while its TN is active, it follows the primary's
 * archived log ({@link ArchiveFollower}), so its CNs serve reads of the primary's data a little behind, and the TN
 * refuses client writes (MySQL error 1290; the TN role decides, from {@link #promoted()}); until {@link #promote},
 * which makes it a primary.
 *
 * <h2>Promotion</h2>
 * {@link #promote} replays what the archive holds to its end, writes the promotion marker into the primary's
 * archive (which fences the old primary: its TNs refuse writes once they see it, see
 * {@link io.cairn.txn.backup.LogArchiver}), then into this cluster's own object storage ({@link #MARKER}, which keeps
 * it a primary across restarts), and lets the TN take writes. After a drained primary (a planned switchover) the
 * archive holds every commit, so nothing is lost; after a primary lost without warning, what it had not archived
 * yet is (the lag). An archive that cannot be written refuses the promotion unless it is forced, since the old
 * primary would then not be fenced.
 *
 * <p>Threads: one follower thread polls every {@link #POLL}; {@link #promote} runs its work on that thread too.
 */
public final class Standby implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Standby.class.getName());
    /** The promotion marker in this cluster's own object storage. */
    public static final String MARKER = "standby/promoted.json";
    static final Duration POLL = Duration.ofMillis(200);

    /** Where a standby stands. */
    public enum State {
        /** following the primary's archive (on the server of the active TN) */
        FOLLOWING,
        /** this server's TN is not the active one: another server's follows */
        NOT_ACTIVE,
        /** promoted: a primary now */
        PROMOTED
    }

    /**
     * What the API, the console and health show.
     *
     * @param lagSeconds how far the last replayed commits were behind the primary; 0 when replayed to the
     *                   archive's end
     */
    public record Status(State state, String primaryArchive, long appliedTs, String appliedTime, double lagSeconds,
            String problem, Promotion promotion) {
    }

    private final String primaryArchive;
    private final LogArchive archive;
    private final CheckpointStore store;
    private final TransactionNode tn;
    private final String server;
    private final ArchiveFollower follower;
    private final ScheduledExecutorService thread;
    private final Runnable writesChanged;
    private volatile Promotion promotion;
    /** Why the last poll failed (the archive unreachable, the TN lost the log), or null. */
    private volatile String failure;

    /**
     * @param primaryArchive where the primary archives its log, for messages
     * @param store          this cluster's object storage
     * @param server         this server's name, recorded in the promotion marker
     * @param writesChanged  tells the TN whether to take writes ({@link #promoted()} changed)
     */
    public Standby(String primaryArchive, LogArchive archive, CheckpointStore store, TransactionNode tn, String server,
            Runnable writesChanged) {
        this.writesChanged = writesChanged;
        this.primaryArchive = primaryArchive;
        this.archive = archive;
        this.store = store;
        this.tn = tn;
        this.server = server;
        this.follower = new ArchiveFollower(archive, tn,
                () -> store.latestManifest().map(Manifest::maxTs).orElse(0L), Clock.systemUTC());
        this.promotion = promotionOf(store);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-standby");
            t.setDaemon(true);
            return t;
        });
    }

    /** The promotion recorded in a cluster's own object storage, if it was promoted. */
    public static Promotion promotionOf(CheckpointStore store) {
        return store.list("standby/").contains(MARKER) ? Promotion.decode(store.get(MARKER)) : null;
    }

    /** Whether this cluster was promoted (then it is a primary: it follows nothing and takes writes). */
    public boolean promoted() {
        return promotion != null;
    }

    /** Starts following the primary while the TN is active, unless promoted (the TN refuses writes till then). */
    public void start() {
        if (promotion != null) {
            LOG.info(() -> "CAIRN0131I: this cluster, a standby of " + primaryArchive + ", was " + promotion
                    + ": it is a primary");
            return;
        }
        thread.scheduleWithFixedDelay(this::tick, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info(() -> "CAIRN0130I: this cluster is a standby of " + primaryArchive);
    }

    private void tick() {
        if (promotion != null) {
            return;
        }
        if (tn.state() != TransactionNode.State.ACTIVE) {
            follower.reset();
            return;
        }
        try {
            follower.poll();
        } catch (RuntimeException e) { // the archive unreachable, or the TN lost the log: from the position again
            follower.reset();
            LOG.log(Level.FINE, "standby: following " + primaryArchive + " failed", e);
            failure = e.getMessage();
            return;
        }
        failure = null;
    }

    /** Where this standby stands. */
    public Status status() {
        State state = promotion != null ? State.PROMOTED
                : tn.state() == TransactionNode.State.ACTIVE ? State.FOLLOWING : State.NOT_ACTIVE;
        long applied = follower.appliedTs();
        String problem = follower.problem() != null ? follower.problem() : failure;
        return new Status(state, primaryArchive, applied, applied == 0 ? null : Timestamps.toText(applied),
                follower.lagMicros() / 1e6, promotion != null ? null : problem, promotion);
    }

    /**
     * Makes this cluster a primary: replays the archive to its end, fences the old primary through the archive,
     * records the promotion and takes writes. Runs on the server of the active TN. Promoting again answers the
     * promotion made.
     *
     * @param force promote even when the archive cannot be read or written: the old primary is then not fenced,
     *              and what the archive held past this cluster's position is not replayed
     * @throws IllegalStateException this server's TN is not the active one, or the archive cannot be read or
     *                               written (without {@code force})
     */
    public Promotion promote(boolean force) {
        try {
            return thread.submit(() -> promoteNow(force)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while promoting", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private Promotion promoteNow(boolean force) {
        if (promotion != null) {
            return promotion;
        }
        if (tn.state() != TransactionNode.State.ACTIVE) {
            throw new IllegalStateException("this server's transaction node is not the active one (the lease is "
                    + tn.lease().holder() + "'s): promote on that server");
        }
        String unreachable = null;
        try { // on the follower's own thread: it goes on from where its last poll left off
            while (follower.poll() > 0) {
                // to the archive's end
            }
        } catch (UncheckedIOException e) {
            unreachable = "cannot read the primary's archive " + primaryArchive + ": " + e.getMessage();
        } catch (TransactionException e) { // the TN lost its lease or the log meanwhile: nothing was promoted
            throw new IllegalStateException("the transaction node could not replay the archive (" + e.getMessage()
                    + "); promote again", e);
        }
        if (unreachable == null && follower.problem() != null) {
            unreachable = follower.problem();
        }
        if (unreachable != null && !force) {
            throw new IllegalStateException(unreachable + "; promote with force to take writes with the commits this"
                    + " cluster holds (up to " + Timestamps.toText(follower.appliedTs()) + ")");
        }
        Promotion made = Promotion.now(server, Math.max(follower.appliedTs(), tn.lastCommitTs()));
        try {
            archive.publishPromotion(made);
        } catch (UncheckedIOException e) {
            if (!force) {
                throw new IllegalStateException("cannot write the promotion marker into " + primaryArchive
                        + ", which fences the old primary: " + e.getMessage() + "; promote with force to take writes"
                        + " without fencing it", e);
            }
            LOG.warning("CAIRN0133W: the old primary is not fenced: the promotion marker could not be written into "
                    + primaryArchive + " (" + e.getMessage() + ")");
        }
        store.put(MARKER, made.encode());
        promotion = made;
        writesChanged.run();
        LOG.info("CAIRN0132I: this cluster, a standby of " + primaryArchive + ", was " + made
                + "; it takes writes now");
        return made;
    }

    /** The promotion, if this cluster was promoted. */
    public Optional<Promotion> promotion() {
        return Optional.ofNullable(promotion);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
