package io.cairn.txn.backup;

import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.node.CheckpointRestore;
import io.cairn.txn.node.CheckpointRestore.LoggedCommit;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Restores a backup into a fresh cluster's object storage: checks every file of the backup (the segments while it
 * copies them, so that each is read once), copies the checkpoint's segments, and writes the fresh cluster's first
 * checkpoint from them and the backed-up commits up to the chosen moment ({@link CheckpointRestore}). The fresh
 * cluster's log starts empty.
 */
public final class BackupRestore {
    private static final Logger LOG = Logger.getLogger(BackupRestore.class.getName());

    private BackupRestore() {
    }

    /** What was restored: the backup, and the moment the data is at (the newest commit restored). */
    public record Result(String id, long commitTs, String commitTime, int segments) {
    }

    /**
     * @param id      the backup; null for the newest one that reaches {@code untilTs} (or the newest of all)
     * @param untilTs the last commit timestamp to restore; null for everything the backup holds
     * @throws IllegalArgumentException no such backup, no backup reaches {@code untilTs}, or a file of it is
     *                                  damaged (the message lists them)
     * @throws IllegalStateException    {@code store} holds a checkpoint already
     */
    public static Result restore(BackupRepository source, String id, Long untilTs, CheckpointStore store) {
        long started = System.nanoTime();
        Optional<Manifest> existing = store.latestManifest();
        if (existing.isPresent()) {
            throw new IllegalStateException("the object storage holds checkpoint " + existing.get().objectKey()
                    + " already: a backup is restored into a fresh cluster only");
        }
        LogArchive archive = new LogArchive(source);
        BackupSet set = choose(source, archive, id, untilTs);
        long until = untilTs == null ? Math.max(set.commitTs(), archive.reachFrom(set.lastLsn())) : untilTs;
        // every file's size, and the checksums of the manifest and the log tail; the segments' as they are copied
        BackupVerifier.Report check = new BackupVerifier(source).verify(set,
                file -> !set.objects().contains(file) || file.name().equals(set.checkpoint()));
        if (!check.ok()) {
            throw damaged(set, String.join("; ", check.problems()));
        }
        try {
            Manifest base = null;
            if (set.checkpoint() != null) {
                try (InputStream manifest = source.read(BackupRepository.object(set.checkpoint()))) {
                    base = Manifest.decode(manifest.readAllBytes());
                }
                copySegments(source, set, base, store);
            }
            Manifest from = base;
            // a local file: the restore reads the tail as slowly as it writes checkpoints, longer than a server
            // keeps a download open
            Optional<Manifest> restored = source.target().readAsFile(BackupRepository.setFile(set.id(), set.logTail().name()),
                    file -> {
                        try (InputStream tail = Files.newInputStream(file)) {
                            Iterator<LoggedCommit> commits = LogTail.read(tail);
                            if (until > set.commitTs()) { // on through the archived log
                                commits = concat(commits, archive.commitsAfter(set.lastLsn()));
                            }
                            return CheckpointRestore.restore(store, from, commits, until);
                        }
                    });
            long ts = restored.map(Manifest::maxTs).orElse(0L);
            Result result = new Result(set.id(), ts, Timestamps.toText(ts), restored.map(m -> m.segments().size()).orElse(0));
            LOG.info(() -> "CAIRN0122I: restored backup " + result.id() + " from " + source + ": "
                    + (result.commitTs() == 0 ? "no commit is at or before the moment asked for: the cluster is empty"
                            : "the data is as of commit " + result.commitTime() + " UTC (timestamp " + result.commitTs()
                                    + "), " + result.segments() + " segment(s)")
                    + String.format(java.util.Locale.ROOT, "; %d bytes of backup in %.1f s", check.bytes(),
                            (System.nanoTime() - started) / 1e9));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read backup " + set.id(), e);
        }
    }

    /**
     * Streams the checkpoint's segments into the store, each checked against {@code set.json} on the way (one read
     * of the backup). A damaged one removes the segments copied and refuses the restore: nothing is published, since
     * the manifest is written after them.
     */
    private static void copySegments(BackupRepository source, BackupSet set, Manifest base, CheckpointStore store)
            throws IOException {
        Map<String, BackupSet.StoredFile> files = set.objects().stream()
                .collect(Collectors.toMap(BackupSet.StoredFile::name, file -> file));
        List<String> copied = new ArrayList<>();
        for (Manifest.Segment segment : base.segments()) {
            BackupSet.StoredFile file = files.get(segment.objectKey());
            if (file == null) {
                throw damaged(set, segment.objectKey() + " of its checkpoint is not in set.json");
            }
            String sum;
            try (Checksums.Summing in = Checksums.summing(file, source.read(BackupRepository.object(file.name())))) {
                store.put(file.name(), in, file.bytes());
                sum = in.value();
            }
            copied.add(file.name());
            String problem = Checksums.mismatch(file, sum);
            if (problem != null) {
                copied.forEach(store::delete);
                throw damaged(set, problem);
            }
        }
    }

    private static IllegalArgumentException damaged(BackupSet set, String problems) {
        return new IllegalArgumentException("backup " + set.id() + " is damaged: " + problems);
    }

    /** The latest moment a restore of {@code set} reaches: its own, or on through the archived log. */
    private static long reach(BackupSet set, LogArchive archive) {
        return Math.max(set.commitTs(), archive.reachFrom(set.lastLsn()));
    }

    private static BackupSet choose(BackupRepository source, LogArchive archive, String id, Long untilTs) {
        List<BackupSet> sets = source.sets();
        if (id != null) {
            BackupSet set = source.find(id)
                    .orElseThrow(() -> new IllegalArgumentException("no complete backup " + id + " in " + source));
            if (untilTs != null && (untilTs < set.checkpointTs() || untilTs > reach(set, archive))) {
                throw new IllegalArgumentException("backup " + id + " reaches from " + Timestamps.toText(set.checkpointTs())
                        + " to " + Timestamps.toText(reach(set, archive)) + "; " + Timestamps.toText(untilTs)
                        + " is outside: choose another backup");
            }
            return set;
        }
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("no complete backup in " + source);
        }
        if (untilTs == null) {
            return sets.get(sets.size() - 1);
        }
        for (int i = sets.size() - 1; i >= 0; i--) {
            BackupSet set = sets.get(i);
            if (set.checkpointTs() <= untilTs && untilTs <= reach(set, archive)) {
                return set;
            }
        }
        throw new IllegalArgumentException("no backup in " + source + " reaches " + Timestamps.toText(untilTs)
                + "; the backups (with the archived log) reach: " + sets.stream().map(s -> s.id() + " "
                        + Timestamps.toText(s.checkpointTs()) + " .. " + Timestamps.toText(reach(s, archive)))
                        .collect(Collectors.joining(", ")));
    }

    private static <T> Iterator<T> concat(Iterator<T> first, Iterator<T> second) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return first.hasNext() || second.hasNext();
            }

            @Override
            public T next() {
                return first.hasNext() ? first.next() : second.next();
            }
        };
    }
}
