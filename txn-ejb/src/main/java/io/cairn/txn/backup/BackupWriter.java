package io.cairn.txn.backup;

import io.cairn.log.LogService;
import io.cairn.log.LogTruncatedException;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * Takes an online backup: the latest checkpoint's objects plus the commits logged after it, up to the log's
 * commit index when the backup began. Writes go on meanwhile; the backup holds exactly the commits
 * acknowledged before it began (and possibly some after), and a restore of it reaches the newest one it holds.
 *
 * <h2>Checkpoints that move on</h2>
 * The active TN may publish a newer checkpoint during a backup, truncate the log behind it and, a grace
 * period later, delete the objects it superseded. A backup that then finds its log range truncated or an
 * object gone starts again from the newer checkpoint; what it copied already stays in the target and is not
 * copied twice.
 *
 * <p>Objects are copied several at a time ({@link BackupTarget#concurrentWrites()}), each on a
 * {@code cairn-backup-copy} thread of the backup, largest first so that the copiers end together.
 *
 * <p>Not thread-safe: one backup at a time per target ({@link BackupJobs} sees to it on a server).
 */
public final class BackupWriter {
    private static final Logger LOG = Logger.getLogger(BackupWriter.class.getName());
    private static final int ATTEMPTS = 5;
    private static final DateTimeFormatter ID_FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final CheckpointStore store;
    private final LogService log;
    private final BackupRepository target;
    private final Clock clock;

    public BackupWriter(CheckpointStore store, LogService log, BackupRepository target, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.log = Objects.requireNonNull(log, "log");
        this.target = target;
        this.clock = clock;
    }

    /**
     * Takes the backup.
     *
     * @throws IllegalStateException the checkpoints moved on under every attempt
     */
    public BackupSet create(BackupProgress progress) {
        long startedNanos = System.nanoTime();
        Instant started = clock.instant();
        String id = ID_FORMAT.format(started);
        while (target.setIds().contains(id)) {
            started = started.plusMillis(1);
            id = ID_FORMAT.format(started);
        }
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Manifest checkpoint = store.latestManifest().orElse(null);
            long lastLsn = log.commitIndex();
            long fromLsn = checkpoint == null ? 1 : checkpoint.lsn() + 1;
            LogTail.Copied tail;
            BackupSet.StoredFile tailFile;
            try {
                Digested<LogTail.Copied> written = digested(BackupRepository.setFile(id, BackupRepository.LOG_TAIL_FILE),
                        out -> LogTail.copy(log, fromLsn, lastLsn, out));
                tail = written.value();
                tailFile = new BackupSet.StoredFile(BackupRepository.LOG_TAIL_FILE, written.bytes(), written.crc32c(), null);
            } catch (LogTruncatedException e) {
                retrying(id, attempt, "the log before LSN " + fromLsn + " was truncated behind a newer checkpoint");
                continue;
            }
            Optional<List<BackupSet.StoredFile>> objects = copyObjects(checkpoint, progress);
            if (objects.isEmpty()) {
                retrying(id, attempt, "a newer checkpoint superseded " + checkpoint.objectKey());
                continue;
            }
            long commitTs = Math.max(tail.lastTs(), checkpoint == null ? 0 : checkpoint.maxTs());
            BackupSet set = new BackupSet(id, started.toString(), checkpoint == null ? null : checkpoint.objectKey(),
                    checkpoint == null ? 0 : checkpoint.lsn(), checkpoint == null ? 0 : checkpoint.maxTs(), lastLsn, commitTs, Timestamps.toText(commitTs),
                    objects.get(), tailFile, tail.commits());
            target.publish(set);
            BackupProgress.Snapshot done = progress.snapshot();
            LOG.info(() -> "CAIRN0120I: backup " + set.id() + " in " + target + " holds the commits up to "
                    + set.commitTime() + " (LSN " + lastLsn + "): " + done.objectsTotal() + " objects, "
                    + done.objectsSkipped() + " of them stored already, " + done.bytesCopied() + " bytes copied, "
                    + set.commits() + " commits after the checkpoint; "
                    + String.format(Locale.ROOT, "%.2f s", (System.nanoTime() - startedNanos) / 1e9));
            return set;
        }
        target.deleteSet(id);
        throw new IllegalStateException("backup " + id + " abandoned: a newer checkpoint superseded the one it copied "
                + ATTEMPTS + " times");
    }

    private static void retrying(String id, int attempt, String why) {
        LOG.info(() -> "CAIRN0121I: backup " + id + " starts again (attempt " + (attempt + 1) + "): " + why);
    }

    /**
     * Copies the checkpoint's manifest and segments not in the target yet.
     *
     * @return the stored objects, or empty when one was gone because a newer checkpoint superseded it
     */
    private Optional<List<BackupSet.StoredFile>> copyObjects(Manifest checkpoint, BackupProgress progress) {
        if (checkpoint == null) {
            progress.plan(0, 0);
            return Optional.of(List.of());
        }
        byte[] manifestBytes = checkpoint.encode();
        List<BackupSet.StoredFile> planned = new ArrayList<>();
        planned.add(new BackupSet.StoredFile(checkpoint.objectKey(), manifestBytes.length, null, null));
        checkpoint.segments().forEach(s -> planned.add(new BackupSet.StoredFile(s.objectKey(), s.bytes(), null, null)));
        progress.plan(planned.size(), planned.stream().mapToLong(BackupSet.StoredFile::bytes).sum());
        Map<String, BackupSet.StoredFile> known = storedBefore();
        // several objects at once: one object's check, copy and forced write overlap another's
        ExecutorService copiers = Executors.newFixedThreadPool(target.target().concurrentWrites(), r -> {
            Thread thread = new Thread(r, "cairn-backup-copy");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<String, Future<BackupSet.StoredFile>> copies = new HashMap<>();
            planned.stream().sorted(Comparator.comparingLong(BackupSet.StoredFile::bytes).reversed()).forEach(object ->
                    copies.put(object.name(), copiers.submit(() -> copyObject(object, checkpoint, manifestBytes, known,
                            progress))));
            List<BackupSet.StoredFile> stored = new ArrayList<>();
            for (BackupSet.StoredFile object : planned) {
                stored.add(copies.get(object.name()).get());
            }
            return Optional.of(stored);
        } catch (ExecutionException e) {
            Optional<Manifest> latest = store.latestManifest();
            if (latest.isPresent() && !latest.get().objectKey().equals(checkpoint.objectKey())) {
                return Optional.empty();
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("backup interrupted", e);
        } finally {
            copiers.shutdownNow();
        }
    }

    /** One object into the target, or its checksum when the target has it already. */
    private BackupSet.StoredFile copyObject(BackupSet.StoredFile object, Manifest checkpoint, byte[] manifestBytes,
            Map<String, BackupSet.StoredFile> known, BackupProgress progress) {
        String key = object.name();
        if (target.hasObject(key, object.bytes())) {
            BackupSet.StoredFile before = known.get(key);
            progress.skipped(object.bytes());
            return before != null && before.bytes() == object.bytes() ? before : summed(object);
        }
        BackupSet.StoredFile copied;
        if (key.equals(checkpoint.objectKey())) {
            Digested<Void> written = digested(BackupRepository.object(key), out -> {
                out.write(manifestBytes);
                return null;
            });
            copied = new BackupSet.StoredFile(key, written.bytes(), written.crc32c(), null);
        } else {
            // a segment: the store checks it and, from a local folder, copies it into the target's file in the kernel
            int[] crc = new int[1];
            long bytes = target.writeChannel(BackupRepository.object(key), out -> crc[0] = store.copyTo(key, out));
            if (bytes != object.bytes()) {
                target.deleteObject(key); // no set lists it; a later backup would take it for whole by its size
                throw new IllegalStateException(key + " holds " + bytes + " bytes, its manifest says " + object.bytes());
            }
            copied = new BackupSet.StoredFile(key, bytes, Checksums.crc32c(crc[0]), null);
        }
        progress.copied(copied.bytes());
        return copied;
    }

    /** The files earlier sets list, by name: an object stored by one of them is not copied or read again. */
    private Map<String, BackupSet.StoredFile> storedBefore() {
        Map<String, BackupSet.StoredFile> known = new HashMap<>();
        for (BackupSet set : target.sets()) {
            set.objects().forEach(o -> known.put(o.name(), o));
        }
        return known;
    }

    /** An object stored by an attempt that published no set: its checksum read from the target. */
    private BackupSet.StoredFile summed(BackupSet.StoredFile object) {
        try (InputStream in = target.read(BackupRepository.object(object.name()))) {
            return new BackupSet.StoredFile(object.name(), object.bytes(), Checksums.crc32c(in), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + object.name() + " in " + target, e);
        }
    }

    private record Digested<T>(T value, long bytes, String crc32c) {
    }

    /** Something a writer produces from an output stream. */
    @FunctionalInterface
    private interface Producer<T> {
        T writeTo(OutputStream out) throws IOException;
    }

    private <T> Digested<T> digested(String name, Producer<T> producer) {
        CRC32C crc = new CRC32C();
        List<T> value = new ArrayList<>(1);
        long bytes = target.write(name, out -> {
            CheckedOutputStream summing = new CheckedOutputStream(out, crc);
            value.add(producer.writeTo(summing));
            summing.flush();
        });
        return new Digested<>(value.get(0), bytes, Checksums.crc32c((int) crc.getValue()));
    }
}
