package io.cairn.txn.backup;

import io.cairn.log.LogService;
import io.cairn.txn.checkpoint.CheckpointStore;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The backups a server takes for the admin API: one at a time, each on a thread of its own, with its
 * progress and outcome kept for whoever asks next.
 */
public final class BackupJobs implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BackupJobs.class.getName());

    private final Supplier<CheckpointStore> store;
    private final Supplier<LogService> log;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "cairn-backup");
        thread.setDaemon(true);
        return thread;
    });
    private Job current;

    /** One backup: where, how far, and its end (the backup's id, or why it failed). */
    public static final class Job {
        private final String target;
        private final BackupProgress progress = new BackupProgress();
        private volatile String state = "running";
        private volatile String id;
        private volatile String error;

        Job(String target) {
            this.target = target;
        }

        public String target() {
            return target;
        }

        /** {@code running}, {@code done} or {@code failed}. */
        public String state() {
            return state;
        }

        public String id() {
            return id;
        }

        public String error() {
            return error;
        }

        public BackupProgress.Snapshot progress() {
            return progress.snapshot();
        }
    }

    /**
     * @param store the object storage of checkpoints
     * @param log   the shared log, read from this server
     */
    public BackupJobs(Supplier<CheckpointStore> store, Supplier<LogService> log) {
        this.store = store;
        this.log = log;
    }

    /**
     * Starts a backup into {@code target} (a folder or an S3 address, {@link BackupTargets}).
     *
     * @param credentials the credentials file of an S3 target on this server, or null
     * @throws IllegalStateException a backup runs already
     * @throws IllegalArgumentException the target cannot be used
     */
    public synchronized Job start(String target, String credentials) {
        if (current != null && current.state().equals("running")) {
            throw new IllegalStateException("backup into " + current.target() + " is running");
        }
        CheckpointStore checkpoints = store.get();
        if (checkpoints == null) {
            throw new IllegalStateException("this server has no object storage for checkpoints");
        }
        LogService logService = log.get();
        BackupRepository repository = BackupRepository.open(target, credentials);
        Job job = new Job(repository.toString());
        BackupWriter writer = new BackupWriter(checkpoints, logService, repository, Clock.systemUTC());
        worker.execute(() -> {
            try (repository) {
                job.id = writer.create(job.progress).id();
                job.state = "done";
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "CAIRN0123W: backup into " + job.target() + " failed: " + e.getMessage(), e);
                job.error = String.valueOf(e.getMessage());
                job.state = "failed";
            }
        });
        current = job;
        return job;
    }

    /** The running or last backup, or null. */
    public synchronized Job current() {
        return current;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
