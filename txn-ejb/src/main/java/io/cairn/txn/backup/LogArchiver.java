package io.cairn.txn.backup;

import io.cairn.log.LogBatch;
import io.cairn.log.LogService;
import io.cairn.log.LogTruncatedException;
import io.cairn.txn.node.CheckpointRestore.LoggedCommit;
import io.cairn.txn.record.CommitRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Continuous log archiving ({@code cairn.backup.archive}, with {@code cairn.backup.credentials} for S3): the active
 * TN ships the committed log to a backup target's {@code archive/} folder in segments ({@link LogArchive}), so that a restore can reach any moment after
 * a backup, not only the backup's own.
 *
 * <h2>Keeping the log until it is archived</h2>
 * {@link #keepFrom()} is the first LSN the log must keep: the TN truncates behind its checkpoints no further.
 * While the archive's state is not known yet (a TN just became active) that is everything; then the last
 * archived commit's LSN (kept so that the next active TN can check it continues the same log). When the target
 * cannot be written, the log grows until it can: archiving, like the log, loses nothing silently.
 *
 * <h2>One log per archive</h2>
 * On each activation the archiver checks that the archive continues this log: the log must still hold the
 * archive's last commit, with the same transaction and timestamp. A folder holding another cluster's archive
 * (a restored cluster, a second cluster given the same folder) or an archive the log moved past is refused with
 * the reason: archiving stops and keeps nothing back; take a backup and archive into a new folder.
 *
 * <h2>Fencing</h2>
 * A standby promoted from this archive leaves a marker there ({@link LogArchive#promotion()}). Every TN of the
 * cluster, active or not, looks for it on each pass and at start ({@link #promotion()}); once it is there, the
 * archiver stops and {@link #onPromotion} tells the TN to refuse writes: the old primary, back or still running,
 * can no longer commit what its successor would never see. A TN that cannot reach the target cannot see the
 * marker either (the DESIGN's standby section gives what that costs).
 *
 * <p>{@link #start} runs passes on a thread of its own, every interval while the TN is active; {@link #pass()}
 * itself is not thread-safe.
 */
public final class LogArchiver implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LogArchiver.class.getName());
    private static final long MAX_SEGMENT_BYTES = 16L << 20;
    /** Entries without a commit (lease renewals) are re-read next pass, until this many are worth a segment of their own. */
    private static final long IDLE_ENTRIES_PER_SEGMENT = 1000;

    private final LogService log;
    private final LogArchive archive;
    private final BooleanSupplier active;
    private volatile long keepFrom = 0;
    private volatile String problem;
    private boolean refused;
    private long resumeFrom = -1;
    private ScheduledExecutorService thread;
    private boolean wasActive;
    private volatile Consumer<Promotion> onPromotion = promotion -> { };
    private volatile Promotion promoted;

    /**
     * @param active whether this TN still holds the lease: a segment is published only while it does
     */
    public LogArchiver(LogService log, BackupRepository target, BooleanSupplier active) {
        this.log = log;
        this.archive = new LogArchive(target);
        this.active = active;
    }

    /** Runs a pass every {@code interval} while the TN is active, on a thread of its own. */
    public synchronized void start(Duration interval) {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-log-archive");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What to do when the marker of a standby's promotion shows up (once). Call before {@link #start}. */
    public void onPromotion(Consumer<Promotion> action) {
        onPromotion = action;
    }

    /**
     * Looks for a standby's promotion from this archive now: when there is one, archiving stops for good and the
     * {@link #onPromotion} action runs (once).
     *
     * @return the promotion, if any
     * @throws UncheckedIOException the target cannot be read
     */
    public Optional<Promotion> promotion() {
        if (promoted == null) {
            Optional<Promotion> found = archive.promotion();
            if (found.isPresent()) {
                synchronized (this) {
                    if (promoted == null) {
                        promoted = found.get();
                        refused = true;
                        keepFrom = Long.MAX_VALUE;
                        problem = "stopped: a standby of this cluster was " + promoted;
                        LOG.severe("CAIRN0127E: a standby of this cluster was " + promoted + " (marker in "
                                + archive.where() + "); this cluster takes no more writes and archives no more");
                        onPromotion.accept(promoted);
                    }
                }
            }
        }
        return Optional.ofNullable(promoted);
    }

    /** The promotion this archiver has seen (without looking again). */
    public Optional<Promotion> promoted() {
        return Optional.ofNullable(promoted);
    }

    /**
     * Archives, on the archiver's thread, until the commit at LSN {@code lsn} is archived (a drained primary's
     * last): a planned switchover then loses nothing.
     *
     * @throws IllegalStateException the archive is stopped, or did not get there within {@code timeout}
     */
    public void archiveUpTo(long lsn, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (refused) { // keepFrom says nothing then
                throw new IllegalStateException("the log archive is " + problem);
            }
            if (keepFrom >= lsn) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the log archive did not reach LSN " + lsn + " within " + timeout
                        + (problem == null ? "" : " (" + problem + ")"));
            }
            try {
                thread.submit(this::tick).get();
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while archiving", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("archiving failed: " + e.getCause(), e.getCause());
            }
        }
    }

    private void tick() {
        try {
            if (promotedNow()) {
                return;
            }
            boolean isActive = active.getAsBoolean();
            if (isActive) {
                pass();
            } else if (wasActive) {
                deactivated();
            }
            wasActive = isActive;
        } catch (RuntimeException e) { // the next tick tries again
            LOG.log(Level.WARNING, "CAIRN0124W: archiving the log failed: " + e, e);
            problem = "behind: " + e.getMessage();
        }
    }

    /** Whether a promotion marker is there; false also when the target cannot be read (a pass reports that). */
    private boolean promotedNow() {
        try {
            return promotion().isPresent();
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** Stops the passes; the target stays open (its owner closes it). */
    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }

    /** The first LSN the log must keep for the archive ({@code Long.MAX_VALUE}: nothing). */
    public long keepFrom() {
        return keepFrom;
    }

    /** Why the archive is behind or stopped, or null. */
    public String problem() {
        return problem;
    }

    /** This TN stopped being the active one: the next activation checks the archive again. */
    public void deactivated() {
        resumeFrom = -1;
        if (!refused) {
            keepFrom = 0;
        }
    }

    /** Archives what was committed since the last pass; on the active TN only. */
    public void pass() {
        if (refused) {
            return;
        }
        try {
            if (resumeFrom < 0 && !resume()) {
                return;
            }
            long end = log.commitIndex();
            while (resumeFrom <= end && active.getAsBoolean()) {
                if (!writeSegment(end)) {
                    break;
                }
            }
            problem = null;
        } catch (IOException | UncheckedIOException | io.cairn.log.LogException e) {
            if (problem == null) {
                LOG.log(Level.WARNING, "CAIRN0124W: archiving the log into " + archive.where() + " is behind: " + e
                        + "; the log is kept until it is archived", e);
            }
            problem = "behind: " + e.getMessage();
        }
    }

    /** Finds where this log's archive goes on; false when it refused the archive. */
    private boolean resume() throws IOException {
        List<LogArchive.Segment> segments = archive.segments();
        if (segments.isEmpty()) {
            resumeFrom = firstAvailableLsn();
            keepFrom = resumeFrom;
            LOG.info(() -> "CAIRN0125I: archiving the log into " + archive.where() + " from LSN " + resumeFrom);
            return true;
        }
        long next = segments.get(segments.size() - 1).to() + 1;
        Optional<LoggedCommit> anchor = archive.lastCommit();
        String mismatch = anchor.map(this::mismatch).orElse(null);
        if (mismatch == null && anchor.isEmpty() && firstAvailableLsn() > next) {
            mismatch = "the log no longer holds LSN " + next + ", where the archive goes on";
        }
        if (mismatch != null) {
            refused = true;
            keepFrom = Long.MAX_VALUE;
            problem = "stopped: " + mismatch;
            LOG.severe("CAIRN0126E: the log archive in " + archive.where() + " does not continue this cluster's log ("
                    + mismatch + "); archiving stopped. Take a backup and archive into a new folder");
            return false;
        }
        resumeFrom = next;
        keepFrom = anchor.map(LoggedCommit::lsn).orElse(next);
        LOG.info(() -> "CAIRN0125I: archiving the log into " + archive.where() + " from LSN " + resumeFrom);
        return true;
    }

    /** Why the log does not hold the archive's last commit as archived, or null when it does. */
    private String mismatch(LoggedCommit anchor) {
        if (log.commitIndex() < anchor.lsn()) {
            return "its last commit is at LSN " + anchor.lsn() + ", beyond this log's end";
        }
        LogBatch batch;
        try {
            batch = log.read(anchor.lsn(), 64 << 20);
        } catch (LogTruncatedException e) {
            return "the log no longer holds LSN " + anchor.lsn() + ", the archive's last commit";
        }
        boolean same = !batch.entries().isEmpty() && batch.entries().get(0).lsn() == anchor.lsn()
                && batch.entries().get(0).records().stream().filter(CommitRecord::isCommitRecord)
                        .map(CommitRecord::decode).anyMatch(r -> r.txnId().equals(anchor.record().txnId())
                                && r.commitTs() == anchor.record().commitTs());
        return same ? null : "LSN " + anchor.lsn() + " holds another commit in this log than in the archive";
    }

    private long firstAvailableLsn() {
        try {
            log.read(1, 1);
            return 1;
        } catch (LogTruncatedException e) {
            return e.firstAvailableLsn();
        }
    }

    /**
     * Writes the next segment up to {@code end}; false when there was nothing worth one yet. The segment is made in
     * memory (at most {@value #MAX_SEGMENT_BYTES} bytes and one log entry), since its name holds its SHA-256, then
     * stored under that name at once (atomically, by the target).
     */
    private boolean writeSegment(long end) throws IOException {
        MessageDigest digest = Checksums.newSha256();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
        LogTail.Copied copied;
        try (DigestOutputStream out = new DigestOutputStream(bytes, digest)) {
            copied = LogTail.copy(log, resumeFrom, end, MAX_SEGMENT_BYTES, out);
        }
        if (copied.commits() == 0 && copied.scannedTo() - resumeFrom + 1 < IDLE_ENTRIES_PER_SEGMENT) {
            return false; // read again next pass, with whatever commits come
        }
        List<LogArchive.Segment> segments = archive.segments();
        if (!segments.isEmpty() && segments.get(segments.size() - 1).to() >= resumeFrom || !active.getAsBoolean()) {
            deactivated(); // another TN archives now: this one checks again when it is active again
            return false;
        }
        String name = LogArchive.name(resumeFrom, copied.scannedTo(), HexFormat.of().formatHex(digest.digest()));
        archive.publish(name, bytes::writeTo);
        resumeFrom = copied.scannedTo() + 1;
        if (copied.commits() > 0) {
            keepFrom = copied.lastLsn();
        }
        return true;
    }
}
