package io.cairn.txn.backup;

import io.cairn.txn.node.CheckpointRestore.LoggedCommit;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * The archived log in a backup target's {@code archive/} folder ({@link #FOLDER}): segments of commits in {@link LogTail}'s
 * format, each named by the LSN it starts reading from, the LSN of its last commit, and its SHA-256, so that
 * the segments of one log follow each other without a gap ({@code from} of one is {@code to + 1} of the one
 * before). Only one log's archive belongs in a folder: {@link LogArchiver} refuses to extend another's.
 */
public final class LogArchive {
    private static final Pattern NAME = Pattern.compile("([0-9]{19})-([0-9]{19})-([0-9a-f]{64})\\.tail");

    /** One segment: commits read from LSN {@code from} on, the last at {@code to}. */
    public record Segment(long from, long to, String sha256, String name) {
    }

    static final String FOLDER = "archive/";
    /** The marker a standby writes when it is promoted: the cluster that wrote this archive takes no more writes. */
    static final String PROMOTED = FOLDER + "promoted.json";

    private final BackupRepository target;
    /** {@link #reachFrom} per LSN: a restore asks it for each backup, and each answer lists and reads segments. */
    private final Map<Long, Long> reach = new HashMap<>();

    public LogArchive(BackupRepository target) {
        this.target = target;
    }

    /** Where the archive is, for messages. */
    String where() {
        return target + "/" + FOLDER;
    }

    /** Stores a segment's bytes under its name (which holds their SHA-256), atomically. */
    void publish(String name, BackupTarget.StreamWriter writer) {
        target.write(FOLDER + name, writer);
    }

    static String name(long from, long to, String sha256) {
        return String.format(Locale.ROOT, "%019d-%019d-%s.tail", from, to, sha256);
    }

    /** The segments, in LSN order. */
    public List<Segment> segments() {
        try {
            return segmentsOf(target.target().list(FOLDER));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + where(), e);
        }
    }

    /**
     * The segments after {@code last} (all of them for null), in LSN order: a follower's poll, which on S3 lists
     * only the names after it.
     */
    public List<Segment> segmentsAfter(Segment last) {
        if (last == null) {
            return segments();
        }
        try {
            return segmentsOf(target.target().listAfter(FOLDER, last.name()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + where(), e);
        }
    }

    private static List<Segment> segmentsOf(List<String> names) {
        List<Segment> segments = new ArrayList<>();
        for (String name : names) {
            Matcher m = NAME.matcher(name.substring(FOLDER.length()));
            if (m.matches()) {
                segments.add(new Segment(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3), name));
            }
        }
        segments.sort(Comparator.comparingLong(Segment::from));
        return segments;
    }

    /** The last commit archived, if any. */
    public Optional<LoggedCommit> lastCommit() {
        return lastCommitOf(segments());
    }

    private Optional<LoggedCommit> lastCommitOf(List<Segment> segments) {
        for (int i = segments.size() - 1; i >= 0; i--) { // a segment may hold no commit (a long idle stretch)
            LoggedCommit last = null;
            for (Iterator<LoggedCommit> commits = commitsIn(segments.get(i)); commits.hasNext();) {
                last = commits.next();
            }
            if (last != null) {
                return Optional.of(last);
            }
        }
        return Optional.empty();
    }

    /**
     * The segments that go on from a backup ending at LSN {@code afterLsn}, up to the first gap (a segment lost or
     * not written): empty when the archive does not reach back to {@code afterLsn + 1}.
     */
    private List<Segment> chainAfter(long afterLsn) {
        List<Segment> chain = new ArrayList<>();
        for (Segment s : segments()) {
            if (s.to() <= afterLsn) {
                continue;
            }
            long expectedFrom = chain.isEmpty() ? afterLsn + 1 : chain.get(chain.size() - 1).to() + 1;
            if (chain.isEmpty() ? s.from() > expectedFrom : s.from() != expectedFrom) {
                break;
            }
            chain.add(s);
        }
        return chain;
    }

    /**
     * The newest commit timestamp a restore can reach from a backup ending at LSN {@code afterLsn} through this
     * archive, up to its first gap; 0 when it does not go on from there.
     */
    public synchronized long reachFrom(long afterLsn) {
        return reach.computeIfAbsent(afterLsn,
                lsn -> lastCommitOf(chainAfter(lsn)).map(c -> c.record().commitTs()).orElse(0L));
    }

    /**
     * The archived commits after LSN {@code afterLsn}, in log order, up to the archive's first gap; each segment's
     * SHA-256 is checked as it is read.
     *
     * @throws IllegalArgumentException a damaged segment (when it is read)
     */
    public Iterator<LoggedCommit> commitsAfter(long afterLsn) {
        return chainAfter(afterLsn).stream() // a segment at a time, read when the one before is used up
                .flatMap(segment -> StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(commitsIn(segment), Spliterator.ORDERED), false))
                .filter(commit -> commit.lsn() > afterLsn).iterator();
    }

    /**
     * Removes the segments that end at or before LSN {@code lsn} (the oldest kept backup's last): a restore goes on
     * from a backup's own LSN, so none reads them again. The newest segment always stays (the archiver checks it
     * continues the log). Returns how many went.
     */
    int removeUpTo(long lsn) {
        List<Segment> segments = segments();
        int removed = 0;
        for (Segment segment : segments.subList(0, Math.max(0, segments.size() - 1))) {
            if (segment.to() > lsn) {
                break;
            }
            try {
                target.target().delete(segment.name());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + segment.name() + " from " + target, e);
            }
            removed++;
        }
        synchronized (this) {
            reach.clear();
        }
        return removed;
    }

    /** The standby's promotion, when one was promoted from this archive. */
    public Optional<Promotion> promotion() {
        try (InputStream in = target.read(PROMOTED)) {
            return Optional.of(Promotion.decode(in.readAllBytes()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PROMOTED + " in " + target, e);
        }
    }

    /** Records a standby's promotion: the cluster archiving here stops taking writes when it sees it. */
    public void publishPromotion(Promotion promotion) {
        byte[] json = promotion.encode();
        target.write(PROMOTED, out -> out.write(json));
    }

    /**
     * A segment's commits, after checking its checksum (a segment is small, at most some 16 MiB: read whole).
     *
     * @throws IllegalArgumentException the segment is damaged
     */
    public Iterator<LoggedCommit> commitsIn(Segment segment) {
        try (InputStream in = target.read(segment.name())) {
            byte[] bytes = in.readAllBytes();
            String sha256 = Checksums.sha256(new ByteArrayInputStream(bytes));
            if (!sha256.equals(segment.sha256())) {
                throw new IllegalArgumentException("archived log segment " + segment.name()
                        + " is damaged: SHA-256 " + sha256);
            }
            return LogTail.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + segment.name() + " in " + target, e);
        }
    }
}
