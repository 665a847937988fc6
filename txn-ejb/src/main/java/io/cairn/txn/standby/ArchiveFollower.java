package io.cairn.txn.standby;

import io.cairn.txn.backup.LogArchive;
import io.cairn.txn.backup.LogArchive.Segment;
import io.cairn.txn.backup.Timestamps;
import io.cairn.txn.node.CheckpointRestore.LoggedCommit;
import io.cairn.txn.node.TransactionNode;
import io.cairn.txn.record.CommitRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Replays a primary's archived log into this cluster's log, through its active TN ({@link TransactionNode#replay}):
 * the commits keep the primary's timestamps and transaction ids, so this cluster's CNs apply exactly what the
 * primary's did, in the same order.
 *
 * <h2>Position</h2>
 * Where to go on is the newest commit timestamp this cluster holds: its TN's, or its latest checkpoint's when
 * the log holds no commit any more. Each {@link #poll} after the first lists only the segments after the last
 * one replayed (one request on S3) and requires them to go on without a gap; the first one after an activation
 * finds the segment holding that timestamp, reading segments backwards from the newest.
 *
 * <p>Not thread-safe: one thread polls ({@link Standby}'s).
 */
final class ArchiveFollower {
    /** About the most bytes of commit records replayed in one append of the TN. */
    private static final long BATCH_BYTES = 4L << 20;

    private final LogArchive archive;
    private final TransactionNode tn;
    private final LongSupplier checkpointTs;
    private final Clock clock;
    /** The last segment replayed; null until the position is found (again, after an activation). */
    private Segment last;
    private volatile long appliedTs;
    private volatile long lagMicros;
    private volatile String problem;

    /**
     * @param checkpointTs the newest commit timestamp of this cluster's latest checkpoint (0 without one)
     */
    ArchiveFollower(LogArchive archive, TransactionNode tn, LongSupplier checkpointTs, Clock clock) {
        this.archive = archive;
        this.tn = tn;
        this.checkpointTs = checkpointTs;
        this.clock = clock;
    }

    /** The newest of the primary's commits this cluster holds (0 before the first poll). */
    long appliedTs() {
        return appliedTs;
    }

    /**
     * How far the last replayed commits were behind the primary when they became durable here (the oldest of
     * the last batch's, by the two clusters' clocks); 0 when the last poll found the archive replayed to its end.
     */
    long lagMicros() {
        return lagMicros;
    }

    /** Why the follower cannot go on, or null. */
    String problem() {
        return problem;
    }

    /** Forgets the position: the next poll finds it again (after this TN was not active for a while). */
    void reset() {
        last = null;
    }

    /**
     * Replays what the archive holds past this cluster's position, to its end or to a gap.
     *
     * @return the commits replayed
     * @throws java.io.UncheckedIOException the archive cannot be read
     * @throws io.cairn.txn.TransactionNodeUnavailableException the TN stopped being active or lost the log
     */
    int poll() {
        List<Segment> next;
        if (last == null) {
            long position = Math.max(tn.lastCommitTs(), checkpointTs.getAsLong());
            appliedTs = position;
            next = locate(position);
            if (next == null) {
                return 0;
            }
        } else {
            next = archive.segmentsAfter(last);
        }
        int replayed = 0;
        long expectedFrom = last == null ? -1 : last.to() + 1;
        for (Segment segment : next) {
            if (expectedFrom >= 0 && segment.from() != expectedFrom) {
                problem = "the archive has a gap: no segment starts at LSN " + expectedFrom + " (the next starts at "
                        + segment.from() + "); set this standby up again from a newer backup";
                return replayed;
            }
            replayed += replay(segment);
            last = segment;
            expectedFrom = segment.to() + 1;
        }
        problem = null;
        if (replayed == 0) {
            lagMicros = 0;
        }
        return replayed;
    }

    /**
     * The segments to replay from {@code position} on: from the newest one holding a commit at or before it (or
     * all, for an empty cluster); null when the archive does not reach back that far.
     */
    private List<Segment> locate(long position) {
        List<Segment> all = archive.segments();
        if (all.isEmpty()) {
            problem = "the archive holds no log yet";
            return null;
        }
        if (position == 0) {
            return all;
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Iterator<LoggedCommit> commits = archive.commitsIn(all.get(i));
            if (commits.hasNext() && commits.next().record().commitTs() <= position) {
                return all.subList(i, all.size());
            }
        }
        problem = "the archive starts after this cluster's data (its newest commit is at "
                + Timestamps.toText(position) + "): set this standby up again from a backup the"
                + " archive goes on from";
        return null;
    }

    /** Replays a segment's commits newer than what this cluster holds, in batches; returns how many. */
    private int replay(Segment segment) {
        int replayed = 0;
        List<CommitRecord> batch = new ArrayList<>();
        long bytes = 0;
        for (Iterator<LoggedCommit> commits = archive.commitsIn(segment); commits.hasNext();) {
            CommitRecord record = commits.next().record();
            long newest = batch.isEmpty() ? appliedTs : batch.get(batch.size() - 1).commitTs();
            if (record.commitTs() <= newest) {
                continue;
            }
            batch.add(record);
            bytes += record.encodedSize();
            if (bytes >= BATCH_BYTES) {
                replayed += append(batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
        }
        return replayed + append(batch);
    }

    private int append(List<CommitRecord> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        tn.replay(batch);
        appliedTs = batch.get(batch.size() - 1).commitTs();
        lagMicros = Math.max(0, clock.millis() * 1000 - batch.get(0).commitTs());
        return batch.size();
    }
}
