package io.cairn.txn;

import io.cairn.log.LogAdmin;
import io.cairn.log.LogService;
import io.cairn.log.impl.LogConfig;
import io.cairn.node.ByteSize;
import io.cairn.node.ConfigException;
import io.cairn.node.HealthReport;
import io.cairn.node.NodeConfig;
import io.cairn.node.Role;
import io.cairn.node.RoleService;
import io.cairn.node.TransactionNodeStatus;
import io.cairn.server.ActiveTransactionService;
import io.cairn.server.ServerContext;
import io.cairn.txn.backup.BackupRepository;
import io.cairn.txn.backup.BackupRestore;
import io.cairn.txn.backup.LogArchive;
import io.cairn.txn.backup.LogArchiver;
import io.cairn.txn.backup.Promotion;
import io.cairn.txn.backup.Timestamps;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.node.CheckpointSettings;
import io.cairn.txn.node.TransactionNode;
import io.cairn.txn.standby.FirstStartRestore;
import io.cairn.txn.standby.Standby;
import io.cairn.txn.standby.StandbyMarker;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The transaction node role on this server: a {@link TransactionNode} over the shared log. Every
 * TN starts as a standby; the log's lease decides which one is active. Ready when active with its
 * lease, or standby following the log.
 *
 * <p>Disaster recovery around it: a restore into a fresh cluster before the TN starts ({@code cairn.restore.*}), the
 * log archive ({@code cairn.backup.archive}, {@link LogArchiver}), and this cluster as a standby of another
 * ({@code cairn.standby.of}, {@link Standby}); the role decides whether the TN takes client writes (a standby not
 * promoted, a primary fenced by its standby's promotion, or drained for a switchover do not: docs/DISASTER-RECOVERY.md).
 */
public final class TransactionNodeRole implements RoleService, ActiveTransactionService, TransactionNodeStatus.Source {
    private static final Logger LOG = Logger.getLogger(TransactionNodeRole.class.getName());
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);
    private static final String ARCHIVE = "cairn.backup.archive";
    private static final String ARCHIVE_CREDENTIALS = "cairn.backup.credentials";
    private static final Duration ARCHIVE_INTERVAL = Duration.ofSeconds(1);
    private static final String STANDBY_OF = "cairn.standby.of";
    private static final String STANDBY_CREDENTIALS = "cairn.standby.credentials";
    private static final Duration RESTORE_POLL = Duration.ofSeconds(1);

    private final Supplier<LogService> log;
    private final Supplier<LogAdmin> logAdmin;
    private final CheckpointStore checkpoints;
    private final String name;
    private final String endpoint;
    private final long memtableBytes;
    private RestoreRequest restore;
    /** The server that restores a backup into the cluster's fresh storage: the first of {@code cairn.log.peers}. */
    private String restorer;
    /** {@code cairn.backup.archive}: where the active TN archives the log, or null. */
    private String archiveTarget;
    /** {@code cairn.backup.credentials}: the credentials file of an S3 archive target, or null. */
    private String archiveCredentials;
    private BackupRepository archiveRepository;
    private LogArchiver archiver;
    /** {@code cairn.standby.of}: the primary's archive this cluster follows as a standby, or null. */
    private String standbyOf;
    /** {@code cairn.standby.credentials}: the credentials file of an S3 {@link #standbyOf}, or null. */
    private String standbyCredentials;
    private BackupRepository standbyRepository;
    private Standby standby;
    /** A standby, not promoted, started without {@code cairn.standby.of}: it takes no writes; null otherwise. */
    private StandbyMarker unfollowedStandby;
    /** Whether this TN refuses writes for a switchover ({@link #drain}), which {@link #undrain} ends. */
    private volatile boolean drained;
    private volatile TransactionNode node;

    /**
     * A backup to restore into this fresh cluster before the TN starts ({@code cairn.restore.from}, {@code .id},
     * {@code .until-ts}, {@code .credentials}); see {@link BackupRestore}.
     *
     * @param from        a folder or an S3 address
     * @param id          null for the newest backup reaching {@code untilTs}
     * @param untilTs     null for everything the backup holds
     * @param credentials the credentials file of an S3 address, or null
     */
    public record RestoreRequest(String from, String id, Long untilTs, String credentials) {
        static final String FROM = "cairn.restore.from";
        static final String CREDENTIALS = "cairn.restore.credentials";
        static final String ID = "cairn.restore.id";
        static final String UNTIL_TS = "cairn.restore.until-ts";

        static RestoreRequest of(Function<String, Optional<String>> settings) {
            Optional<String> from = settings.apply(FROM).filter(v -> !v.isBlank());
            if (from.isEmpty()) {
                return null;
            }
            Long until = settings.apply(UNTIL_TS).filter(v -> !v.isBlank()).map(v -> {
                try {
                    return Long.parseLong(v.trim());
                } catch (NumberFormatException e) {
                    throw new ConfigException(UNTIL_TS, "a commit timestamp (microseconds since 1970 UTC), not " + v);
                }
            }).orElse(null);
            return new RestoreRequest(from.get(), settings.apply(ID).filter(v -> !v.isBlank()).orElse(null), until,
                    settings.apply(CREDENTIALS).filter(v -> !v.isBlank()).orElse(null));
        }
    }

    /**
     * @param log         the shared log, available once the log role has started
     * @param logAdmin    its group operations, from the same peer: the active TN pulls the leadership to it
     * @param checkpoints where the active TN writes checkpoints; null turns them off
     * @param name        this server's name, the TN's lease holder id
     * @param endpoint    where CNs reach this TN
     * @param memtableBytes the memory budget of changes not yet in a checkpoint ({@code cairn.memtable.max})
     */
    public TransactionNodeRole(Supplier<LogService> log, Supplier<LogAdmin> logAdmin, CheckpointStore checkpoints,
            String name, String endpoint, long memtableBytes) {
        this.memtableBytes = memtableBytes;
        this.log = log;
        this.logAdmin = logAdmin;
        this.checkpoints = checkpoints;
        this.name = name;
        this.endpoint = endpoint;
        this.restorer = name;
    }

    /**
     * This server's TN as the server's configuration describes it: lease holder id the server's name, reached
     * at its internal HTTP address, memtable budget {@code cairn.memtable.max}.
     */
    public static TransactionNodeRole create(ServerContext context) {
        NodeConfig config = context.config();
        long memtableBytes = ByteSize.parse(NodeConfig.MEMTABLE_MAX, context.settings().apply(NodeConfig.MEMTABLE_MAX)
                .orElse(String.valueOf(CheckpointSettings.defaultMemtableBytes())), 1 << 20, Long.MAX_VALUE);
        TransactionNodeRole role = new TransactionNodeRole(context.log(), context.logAdmin(), context.checkpoints(),
                config.name(), config.internalHttpAddress(), memtableBytes);
        role.restore = RestoreRequest.of(context.settings());
        role.archiveTarget = context.settings().apply(ARCHIVE).filter(v -> !v.isBlank()).orElse(null);
        role.archiveCredentials = context.settings().apply(ARCHIVE_CREDENTIALS).filter(v -> !v.isBlank()).orElse(null);
        role.standbyOf = context.settings().apply(STANDBY_OF).filter(v -> !v.isBlank()).orElse(null);
        role.standbyCredentials = context.settings().apply(STANDBY_CREDENTIALS).filter(v -> !v.isBlank()).orElse(null);
        role.restorer = context.settings().apply(LogConfig.PEERS).map(LogConfig::parsePeers)
                .map(peers -> peers.get(0).id()).orElse(config.name());
        return role;
    }

    @Override
    public Role role() {
        return Role.TN;
    }

    @Override
    public void start() {
        if (restore != null) {
            if (checkpoints == null) {
                throw new IllegalStateException("a restore needs the object storage of checkpoints");
            }
            BackupRepository source;
            try {
                source = BackupRepository.existing(restore.from(), restore.credentials());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(RestoreRequest.FROM, e.getMessage());
            }
            try (source) {
                FirstStartRestore.run(name, restorer, checkpoints,
                        () -> BackupRestore.restore(source, restore.id(), restore.untilTs(), checkpoints), RESTORE_POLL);
            }
        }
        if (standbyOf != null) {
            setUpStandby();
        } else if (checkpoints != null && Standby.promotionOf(checkpoints) == null) {
            unfollowedStandby = StandbyMarker.of(checkpoints);
        }
        TransactionNode tn = new TransactionNode(log.get(), Clock.systemUTC(),
                new TransactionNode.Settings(name, endpoint, LEASE, WINDOW, COMMIT_TIMEOUT));
        if (checkpoints != null) {
            tn.enableCheckpoints(checkpoints, CheckpointSettings.defaults().withMemtableBytes(memtableBytes));
        }
        tn.pullLogLeadership(logAdmin.get());
        if (archiveTarget != null) {
            try {
                archiveRepository = BackupRepository.open(archiveTarget, archiveCredentials);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(ARCHIVE, e.getMessage());
            }
            archiver = new LogArchiver(log.get(), archiveRepository,
                    () -> tn.state() == TransactionNode.State.ACTIVE);
            tn.keepLogFrom(archiver::keepFrom);
            archiver.onPromotion(promotion -> refuseWritesAsNeeded(tn));
            try {
                archiver.promotion(); // before the TN can commit: a primary coming back after its standby's promotion
            } catch (UncheckedIOException e) {
                LOG.warning("CAIRN0134W: cannot look for a standby's promotion in " + archiveTarget + " (" + e.getMessage()
                        + "); the archiver looks again every second");
            }
        }
        if (standbyRepository != null) {
            standby = new Standby(standbyOf, new LogArchive(standbyRepository), checkpoints, tn, name,
                    () -> refuseWritesAsNeeded(tn));
            standby.start();
        }
        refuseWritesAsNeeded(tn);
        tn.start();
        node = tn;
        if (archiver != null) {
            archiver.start(ARCHIVE_INTERVAL);
        }
    }

    /**
     * Opens the primary's archive this cluster follows and, on its first start (no checkpoint yet, not promoted),
     * restores the primary's newest backup and archived log into it.
     */
    private void setUpStandby() {
        if (checkpoints == null) {
            throw new IllegalStateException("a standby needs the object storage of checkpoints");
        }
        if (standbyOf.equals(archiveTarget)) {
            throw new ConfigException(ARCHIVE, "the standby's own log archive must not be the primary's it follows ("
                    + STANDBY_OF + ")");
        }
        try {
            standbyRepository = BackupRepository.existing(standbyOf, standbyCredentials);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(STANDBY_OF, e.getMessage());
        }
        if (restore == null && Standby.promotionOf(checkpoints) == null && checkpoints.latestManifest().isEmpty()) {
            try {
                FirstStartRestore.run(name, restorer, checkpoints,
                        () -> BackupRestore.restore(standbyRepository, null, null, checkpoints), RESTORE_POLL);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(STANDBY_OF, "cannot set the standby up from " + standbyOf + ": "
                        + e.getMessage());
            }
        }
        if (name.equals(restorer) && Standby.promotionOf(checkpoints) == null) { // one writer of the marker
            new StandbyMarker(standbyOf).recordIn(checkpoints);
        }
    }

    /** The TN of this server, active or standby; null before {@link #start()}. */
    public TransactionService service() {
        return node;
    }

    /** The lease epoch this TN holds or last saw (0 before it started). */
    public long epoch() {
        TransactionNode tn = node;
        return tn == null ? 0 : tn.epoch();
    }

    /** Whether this TN holds the lease now. */
    public boolean active() {
        return activeService() != null;
    }

    /** The TN of this server if it is the active one now, else null. */
    @Override
    public TransactionService activeService() {
        TransactionNode tn = node;
        return tn != null && tn.state() == TransactionNode.State.ACTIVE ? tn : null;
    }

    /** Whether this server's TN refuses client writes now (see {@link #refuseWritesAsNeeded}). */
    public boolean writesRefused() {
        TransactionNode tn = node;
        return tn != null && tn.writesRefused() != null;
    }

    /** This cluster as a standby ({@code cairn.standby.of}), or empty when it is not one. */
    public Optional<Standby> standby() {
        return Optional.ofNullable(standby);
    }

    /** What {@link #drain} reached: the primary's last commit, archived. */
    public record Drained(long commitTs, String commitTime, long lsn) {
    }

    /**
     * Prepares a planned switchover to a standby: this cluster's active TN (on this server) refuses writes from
     * now on, and returns once every commit it made is in the log archive, where the standby replays it before
     * it is promoted: nothing is lost. {@link #undrain} takes writes again (the switchover called off).
     *
     * @throws IllegalStateException no log archive, this server's TN is not the active one, or the archive did not
     *                               get there within {@code timeout}
     */
    public Drained drain(Duration timeout) {
        TransactionNode tn = node;
        if (archiver == null) {
            throw new IllegalStateException("this cluster archives no log (" + ARCHIVE + "): a standby cannot follow it");
        }
        if (tn == null || tn.state() != TransactionNode.State.ACTIVE) {
            throw new IllegalStateException("this server's transaction node is not the active one"
                    + (tn == null ? "" : " (the lease is " + tn.lease().holder() + "'s): drain on that server"));
        }
        drained = true;
        refuseWritesAsNeeded(tn);
        if (!tn.awaitCommitsDone(timeout)) {
            throw new IllegalStateException("commits still in flight after " + timeout);
        }
        long lsn = tn.lastCommitLsn();
        long ts = tn.lastCommitTs();
        try {
            archiver.archiveUpTo(lsn, timeout);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; this cluster takes no writes until undrained", e);
        }
        LOG.info(() -> "CAIRN0135I: drained for a switchover: the log archive holds every commit, the last at "
                + Timestamps.toText(ts) + " (LSN " + lsn + ")");
        return new Drained(ts, Timestamps.toText(ts), lsn);
    }

    /** Takes writes again after {@link #drain} (unless a standby's promotion fenced this cluster meanwhile). */
    public void undrain() {
        TransactionNode tn = node;
        drained = false;
        if (tn != null) {
            refuseWritesAsNeeded(tn);
        }
    }

    /**
     * Tells the TN whether to take client writes, and why not: fenced by a standby's promotion, a standby not
     * promoted (following, or started without {@code cairn.standby.of}), drained for a switchover, in that order;
     * else it takes them.
     */
    private synchronized void refuseWritesAsNeeded(TransactionNode tn) {
        Optional<Promotion> successor = archiver == null ? Optional.empty() : archiver.promoted();
        String reason = successor.isPresent()
                ? "a standby of this cluster was " + successor.get() + ": this cluster takes no more writes"
                : standby != null && !standby.promoted() ? "this cluster is a standby of " + standbyOf
                        + ": it follows that cluster's log and takes writes once promoted"
                : unfollowedStandby != null ? "this cluster is a standby of " + unfollowedStandby.primaryArchive()
                        + ", started without " + STANDBY_OF + ": it takes writes once it follows that cluster again"
                        + " and is promoted"
                : drained ? "drained for a switchover to its standby: this cluster takes no writes" : null;
        tn.refuseWrites(reason);
    }

    @Override
    public void stop() {
        if (standby != null) {
            standby.close();
            standbyRepository.close();
        }
        if (archiver != null) {
            archiver.close();
            archiveRepository.close();
        }
        TransactionNode tn = node;
        if (tn != null) {
            tn.close();
        }
    }

    /** What the node publishes to the cluster every second (the cluster's TN view, {@code GET /api/cluster/tn}). */
    @Override
    public TransactionNodeStatus status() {
        TransactionNode tn = node;
        if (tn == null) {
            return TransactionNodeStatus.unknown(null);
        }
        Duration age = tn.leaseAge();
        return new TransactionNodeStatus(null, tn.state().name(), tn.epoch(), tn.lease().holder(),
                age == null ? -1 : age.toMillis(), tn.leaseDuration().toMillis());
    }

    @Override
    public HealthReport readiness() {
        TransactionNode tn = node;
        Map<String, Object> data = new LinkedHashMap<>();
        if (tn == null) {
            return HealthReport.down(Map.of("state", "not started"));
        }
        TransactionNode.State state = tn.state();
        data.put("state", state.name().toLowerCase());
        data.put("epoch", tn.epoch());
        data.put("lastCommitTs", tn.lastCommitTs());
        data.put("checkpointPendingKeys", tn.pendingCheckpointKeys());
        if (archiver != null) {
            String problem = archiver.problem();
            data.put("logArchive", problem == null ? "keeps the log from LSN " + archiver.keepFrom() : problem);
        }
        if (standby != null) {
            Standby.Status s = standby.status();
            data.put("standby", s.state().name().toLowerCase());
            data.put("standbyLagSeconds", s.lagSeconds());
            if (s.appliedTime() != null) {
                data.put("standbyAppliedTime", s.appliedTime());
            }
            if (s.problem() != null) {
                data.put("standbyProblem", s.problem());
            }
        }
        String refused = tn.writesRefused();
        if (refused != null) {
            data.put("writes", "refused: " + refused);
        }
        return HealthReport.of(state != TransactionNode.State.CLOSED, data);
    }

    @Override
    public HealthReport liveness() {
        return readiness();
    }
}
