package io.cairn.txn;

import io.cairn.log.LogAdmin;
import io.cairn.log.LogService;
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
import io.cairn.txn.backup.LogArchiver;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.node.CheckpointSettings;
import io.cairn.txn.node.TransactionNode;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The transaction node role on this server: a {@link TransactionNode} over the shared log. Every
 * TN starts as a standby; the log's lease decides which one is active. Ready when active with its
 * lease, or standby following the log.
 */
public final class TransactionNodeRole implements RoleService, ActiveTransactionService, TransactionNodeStatus.Source {
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);
    private static final String ARCHIVE = "cairn.backup.archive";
    private static final String ARCHIVE_CREDENTIALS = "cairn.backup.credentials";
    private static final Duration ARCHIVE_INTERVAL = Duration.ofSeconds(1);

    private final Supplier<LogService> log;
    private final Supplier<LogAdmin> logAdmin;
    private final CheckpointStore checkpoints;
    private final String name;
    private final String endpoint;
    private final long memtableBytes;
    private RestoreRequest restore;
    /** {@code cairn.backup.archive}: where the active TN archives the log, or null. */
    private String archiveTarget;
    /** {@code cairn.backup.credentials}: the credentials file of an S3 archive target, or null. */
    private String archiveCredentials;
    private BackupRepository archiveRepository;
    private LogArchiver archiver;
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
                BackupRestore.restore(source, restore.id(), restore.untilTs(), checkpoints);
            }
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
        }
        tn.start();
        node = tn;
        if (archiver != null) {
            archiver.start(ARCHIVE_INTERVAL);
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

    @Override
    public void stop() {
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
        return HealthReport.of(state != TransactionNode.State.CLOSED, data);
    }

    @Override
    public HealthReport liveness() {
        return readiness();
    }
}
