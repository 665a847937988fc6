package io.cairn.txn.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.node.testing.Wait;
import io.cairn.server.ObjectStoreCheckpoints;
import io.cairn.storage.ObjectNotFoundException;
import io.cairn.storage.ObjectStore;
import io.cairn.storage.testing.InMemoryObjectStore;
import io.cairn.txn.CommitRequest;
import io.cairn.txn.CommitResult;
import io.cairn.txn.Key;
import io.cairn.txn.Write;
import io.cairn.txn.checkpoint.CheckpointRow;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.checkpoint.SegmentRows;
import io.cairn.txn.node.CheckpointSettings;
import io.cairn.txn.node.TransactionNode;
import io.cairn.txn.testing.InMemoryLog;
import io.cairn.txn.testing.TestTicker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Backups of a TN's checkpoints and log over the in-memory log and object store, restored into a fresh store:
 * the restored checkpoint holds exactly the commits up to the chosen moment. The cases every backup target passes;
 * each kind supplies its targets ({@link BackupTest}: a folder, {@link S3BackupIT}: S3).
 */
abstract class AbstractBackupTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final long TABLE = 1000;

    private final InMemoryLog log = new InMemoryLog();
    private ObjectStore objects;
    private CheckpointStore store;
    private final TestTicker ticker = new TestTicker();
    /** What the live cluster holds: key (hex) → value, as the commits made it. */
    private final Map<String, String> live = new TreeMap<>();
    private TransactionNode tn;
    private int txn;

    /** This test's target (fresh, empty) and its credentials file (null for a folder). */
    private String address;
    private String credentials;
    /** The target, open for the whole test. */
    private BackupRepository target;

    /** A fresh, empty target's address. */
    protected abstract String newTarget() throws Exception;

    /** The credentials file of the targets, or null. */
    protected abstract String credentials();

    /** Where the TN keeps its checkpoints; closed after the test when it is {@link AutoCloseable}. */
    protected ObjectStore checkpointObjects() throws Exception {
        return new InMemoryObjectStore();
    }

    /** Damages a stored file as storage might: other bytes of the same length. */
    protected void damage(BackupRepository repository, String name) throws IOException {
        byte[] bytes;
        try (InputStream in = repository.read(name)) {
            bytes = in.readAllBytes();
        }
        bytes[bytes.length / 2] ^= (byte) 0xFF;
        byte[] damaged = bytes;
        repository.target().write(name, out -> out.write(damaged));
    }

    /** The log archive, for the tests tagged "archive": its passes are the test's to call. */
    private LogArchiver archiver;

    @BeforeEach
    void start(TestInfo test) throws Exception {
        address = newTarget();
        credentials = credentials();
        target = BackupRepository.open(address, credentials);
        objects = checkpointObjects();
        store = ObjectStoreCheckpoints.over(objects);
        tn = new TransactionNode(log, Clock.systemUTC(), ticker, new TransactionNode.Settings("tn", "tn:9080",
                Duration.ofMillis(600), Duration.ofSeconds(60), Duration.ofSeconds(5)));
        tn.enableCheckpoints(store, new CheckpointSettings(INTERVAL, 1_000_000, 8, Duration.ZERO));
        if (test.getTags().contains("archive")) {
            archiver = new LogArchiver(log, target,
                    () -> tn.state() == TransactionNode.State.ACTIVE);
            tn.keepLogFrom(archiver::keepFrom);
        }
        tn.start();
        Wait.until("active", WAIT, () -> tn.state() == TransactionNode.State.ACTIVE);
    }

    @AfterEach
    void stop() throws Exception {
        tn.close();
        target.close();
        if (objects instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    private static Key key(int n) {
        return Key.of(TABLE, ByteBuffer.allocate(4).putInt(n).array());
    }

    /** Puts rows {@code from..to-1} with {@code value}; returns the commit's timestamp. */
    private long put(int from, int to, String value) {
        List<Write> writes = new ArrayList<>();
        for (int n = from; n < to; n++) {
            writes.add(Write.put(key(n), value.getBytes(StandardCharsets.UTF_8)));
            live.put(HexFormat.of().formatHex(key(n).bytes()), value);
        }
        return commit(writes).commitTs();
    }

    private long delete(int n) {
        live.remove(HexFormat.of().formatHex(key(n).bytes()));
        return commit(List.of(Write.delete(key(n)))).commitTs();
    }

    private CommitResult commit(List<Write> writes) {
        return tn.commit(new CommitRequest("t" + ++txn, tn.lastCommitTs(), writes));
    }

    private Manifest checkpoint() throws Exception {
        String before = latestManifest().map(Manifest::objectKey).orElse("");
        ticker.advance(INTERVAL);
        Wait.until("a new checkpoint", WAIT,
                () -> latestManifest().map(m -> m.objectKey().compareTo(before) > 0).orElse(false));
        return latestManifest().orElseThrow();
    }

    /**
     * The store's latest manifest. With no grace period (these tests' settings) the TN may collect the manifest a
     * listing named before it is read, when a newer one was published meanwhile: then it lists again.
     */
    private Optional<Manifest> latestManifest() {
        while (true) {
            try {
                return store.latestManifest();
            } catch (ObjectNotFoundException e) {
                // superseded and collected between the listing and the read
            }
        }
    }

    private BackupSet backup(BackupProgress progress) {
        return new BackupWriter(store, log, target, Clock.systemUTC()).create(progress);
    }

    /** The table as the latest checkpoint of {@code restored} holds it: the newest run holding a key wins. */
    private static Map<String, String> rows(CheckpointStore restored) {
        Manifest manifest = restored.latestManifest().orElseThrow();
        Map<String, String> rows = new TreeMap<>();
        List<Manifest.Segment> oldestFirst = manifest.segments().stream().filter(s -> s.tableId() == TABLE)
                .sorted(Comparator.comparingLong(Manifest.Segment::run)).toList();
        for (Manifest.Segment segment : oldestFirst) {
            new SegmentRows(restored, segment).forEachRemaining((CheckpointRow row) -> {
                String k = HexFormat.of().formatHex(row.key());
                if (row.value() == null) {
                    rows.remove(k);
                } else {
                    rows.put(k, new String(row.value(), StandardCharsets.UTF_8));
                }
            });
        }
        return rows;
    }

    private static CheckpointStore freshStore() {
        return ObjectStoreCheckpoints.over(new InMemoryObjectStore());
    }

    @Test
    void aRestoreHoldsTheCheckpointAndTheCommitsLoggedAfterItUpToTheBackup() throws Exception {
        put(0, 100, "a");
        checkpoint();
        put(50, 150, "b");
        delete(7);
        BackupSet set = backup(new BackupProgress());
        Map<String, String> atBackup = new TreeMap<>(live);
        put(0, 10, "after the backup");

        CheckpointStore restored = freshStore();
        BackupRestore.Result result;
        try (BackupRepository existing = BackupRepository.existing(address, credentials)) {
            result = BackupRestore.restore(existing, null, null, restored);
        }

        assertThat(set.commits()).as("the commits after the checkpoint").isEqualTo(2);
        assertThat(result.commitTs()).isEqualTo(set.commitTs());
        assertThat(rows(restored)).isEqualTo(atBackup).hasSize(149);
        Manifest manifest = restored.latestManifest().orElseThrow();
        assertThat(manifest.lsn()).as("the fresh cluster's log starts empty").isZero();
        assertThat(manifest.epoch()).as("before the fresh cluster's first lease").isZero();
        assertThat(restored.list(Manifest.PREFIX)).as("only the restored manifest").hasSize(1);
    }

    @Test
    void aBackupBeforeTheFirstCheckpointIsTheLogAlone() throws Exception {
        put(0, 20, "x");
        BackupSet set = backup(new BackupProgress());
        CheckpointStore restored = freshStore();
        BackupRestore.restore(target, set.id(), null, restored);
        assertThat(set.checkpoint()).isNull();
        assertThat(rows(restored)).isEqualTo(live);
    }

    @Test
    void aPointInTimeRestoreHoldsTheFirstOfTwoCommitsAndNotTheSecond() throws Exception {
        put(0, 10, "base");
        checkpoint();
        long first = put(100, 101, "first");
        Map<String, String> afterFirst = new TreeMap<>(live);
        long second = put(200, 201, "second");
        backup(new BackupProgress());
        assertThat(second).isGreaterThan(first);

        CheckpointStore restored = freshStore();
        BackupRestore.Result result = BackupRestore.restore(target, null,
                (first + second) / 2, restored);
        assertThat(rows(restored)).isEqualTo(afterFirst);
        assertThat(result.commitTs()).isEqualTo(first);

        assertThatThrownBy(() -> BackupRestore.restore(target, null, first - 1_000_000,
                freshStore())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no backup")
                .hasMessageContaining("reaches");
    }

    @Test
    void aSecondBackupCopiesOnlyTheObjectsTheFirstDidNotStore() throws Exception {
        put(0, 500, "a");
        checkpoint();
        BackupProgress first = new BackupProgress();
        backup(first);
        put(1000, 1010, "b"); // a new upper run: one new segment, the bottom run stays
        Manifest second = checkpoint();
        BackupProgress progress = new BackupProgress();
        BackupSet set = backup(progress);

        BackupProgress.Snapshot done = progress.snapshot();
        assertThat(first.snapshot().objectsSkipped()).isZero();
        assertThat(done.objectsTotal()).isEqualTo(second.segments().size() + 1);
        assertThat(done.objectsSkipped()).as("the bottom run's segment was stored by the first backup").isEqualTo(1);
        assertThat(done.bytesCopied()).isLessThan(done.bytesTotal());
        assertThat(set.objects()).allSatisfy(o -> {
            assertThat(o.crc32c()).hasSize(8);
            assertThat(o.sha256()).isNull();
        });

        CheckpointStore restored = freshStore();
        BackupRestore.restore(target, set.id(), null, restored);
        assertThat(rows(restored)).isEqualTo(live);
    }

    @Test
    void verifyFindsADamagedObjectAndARestoreRefusesIt() throws Exception {
        put(0, 100, "a");
        Manifest checkpoint = checkpoint();
        BackupSet set = backup(new BackupProgress());
        assertThat(new BackupVerifier(target).verify(set.id()).ok()).isTrue();

        String segment = checkpoint.segments().get(0).objectKey();
        damage(target, BackupRepository.object(segment));

        BackupVerifier.Report report = new BackupVerifier(target).verify(set.id());
        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).singleElement().asString().contains(segment).contains("CRC32C");
        CheckpointStore restored = freshStore();
        assertThatThrownBy(() -> BackupRestore.restore(target, set.id(), null, restored))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("damaged").hasMessageContaining(segment);
        assertThat(restored.list("")).as("nothing restored").isEmpty();
    }

    /** A backup taken before 2026-12-07 keeps SHA-256 checksums: it is verified and restored by them. */
    @Test
    void aBackupWithSha256ChecksumsIsVerifiedAndRestored() throws Exception {
        put(0, 100, "a");
        Manifest checkpoint = checkpoint();
        BackupSet taken = backup(new BackupProgress());
        List<BackupSet.StoredFile> objects = new ArrayList<>();
        for (BackupSet.StoredFile o : taken.objects()) {
            objects.add(new BackupSet.StoredFile(o.name(), o.bytes(), null, sha256(BackupRepository.object(o.name()))));
        }
        BackupSet.StoredFile tail = taken.logTail();
        BackupSet older = new BackupSet(taken.id(), taken.created(), taken.checkpoint(), taken.checkpointLsn(),
                taken.checkpointTs(), taken.lastLsn(), taken.commitTs(), taken.commitTime(), objects,
                new BackupSet.StoredFile(tail.name(), tail.bytes(), null,
                        sha256(BackupRepository.setFile(taken.id(), tail.name()))), taken.commits());
        target.publish(older);
        assertThat(new BackupVerifier(target).verify(older.id()).ok()).isTrue();
        CheckpointStore restored = freshStore();
        BackupRestore.restore(target, older.id(), null, restored);
        assertThat(rows(restored)).isEqualTo(live);

        String segment = checkpoint.segments().get(0).objectKey();
        damage(target, BackupRepository.object(segment));
        assertThat(new BackupVerifier(target).verify(older.id()).problems()).singleElement().asString()
                .contains(segment).contains("SHA-256");
    }

    private String sha256(String name) throws IOException {
        try (InputStream in = target.read(name)) {
            return Checksums.sha256(in);
        }
    }

    /** A restore checks the segments while it copies them: one found damaged takes those copied before it away. */
    @Test
    void aRestoreFindingALaterSegmentDamagedRemovesTheSegmentsItCopied() throws Exception {
        put(0, 500, "a");
        checkpoint();
        put(1000, 1010, "b");
        Manifest checkpoint = checkpoint();
        BackupSet set = backup(new BackupProgress());
        assertThat(checkpoint.segments()).hasSizeGreaterThan(1);
        String last = checkpoint.segments().get(checkpoint.segments().size() - 1).objectKey();
        damage(target, BackupRepository.object(last));

        CheckpointStore restored = freshStore();
        assertThatThrownBy(() -> BackupRestore.restore(target, set.id(), null, restored))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("damaged").hasMessageContaining(last);
        assertThat(restored.list("")).as("nothing restored").isEmpty();
    }

    @Test
    void aRestoreRefusesAStoreThatHoldsACheckpoint() throws Exception {
        put(0, 10, "a");
        checkpoint();
        backup(new BackupProgress());
        assertThatThrownBy(() -> BackupRestore.restore(target, null, null, store))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("fresh cluster");
    }

    @Test
    void pruneKeepsTheNewestBackupsAndTheObjectsTheyNeed() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            put(round * 1000, round * 1000 + 600, "r" + round);
            checkpoint();
            ids.add(backup(new BackupProgress()).id());
        }
        BackupPruner.Report report = new BackupPruner(target).prune(1);

        assertThat(report.kept()).containsExactly(ids.get(2));
        assertThat(report.removed()).containsExactly(ids.get(0), ids.get(1));
        assertThat(target.sets()).extracting(BackupSet::id).containsExactly(ids.get(2));
        assertThat(target.setIds()).as("the removed backups' files are gone too").containsExactly(ids.get(2));
        assertThat(new BackupVerifier(target).verify(ids.get(2)).ok()).as("the kept backup is whole").isTrue();
        assertThat(target.objectKeys()).hasSize(target.find(ids.get(2)).orElseThrow().objects().size());
        CheckpointStore restored = freshStore();
        BackupRestore.restore(target, null, null, restored);
        assertThat(rows(restored)).isEqualTo(live);
    }

    private boolean logHolds(long lsn) {
        try {
            log.read(lsn, 1024);
            return true;
        } catch (io.cairn.log.LogTruncatedException e) {
            return false;
        }
    }

    @Test
    @Tag("archive")
    void theArchivedLogTakesARestorePastTheBackupToAnyCommit() throws Exception {
        put(0, 100, "a");
        checkpoint();
        BackupSet set = backup(new BackupProgress());
        long first = put(100, 101, "first");
        Map<String, String> afterFirst = new TreeMap<>(live);
        long second = put(200, 201, "second");
        archiver.pass();
        assertThat(archiver.problem()).isNull();
        checkpoint(); // covers both commits; the log may now be truncated up to the archive's last commit
        assertThat(new LogArchive(target).segments()).isNotEmpty();

        CheckpointStore between = freshStore();
        BackupRestore.Result result = BackupRestore.restore(target, null,
                (first + second) / 2, between);
        assertThat(result.id()).isEqualTo(set.id());
        assertThat(rows(between)).isEqualTo(afterFirst);
        assertThat(result.commitTs()).isEqualTo(first);

        CheckpointStore latest = freshStore();
        assertThat(BackupRestore.restore(target, null, null, latest).commitTs())
                .as("without a moment: as far as the archive goes").isEqualTo(second);
        assertThat(rows(latest)).isEqualTo(live);
    }

    @Test
    @Tag("archive")
    void checkpointsKeepTheLogTheArchiveHasNotShipped() throws Exception {
        put(0, 10, "a");
        checkpoint();
        assertThat(logHolds(1)).as("nothing archived yet: the whole log stays").isTrue();

        archiver.pass();
        long anchor = archiver.keepFrom();
        put(10, 20, "b");
        Manifest manifest = checkpoint();
        assertThat(manifest.lsn()).isGreaterThan(anchor);
        Wait.until("the log truncated up to the archive's last commit", WAIT, () -> !logHolds(anchor - 1));
        assertThat(logHolds(anchor)).as("the archive's last commit stays, for the next TN to check").isTrue();
    }

    @Test
    @Tag("archive")
    void anotherClustersArchiveIsRefusedAndHoldsNothingBack() throws Exception {
        put(0, 10, "a");
        archiver.pass();
        InMemoryLog otherLog = new InMemoryLog();
        TransactionNode other = new TransactionNode(otherLog, Clock.systemUTC(), ticker, new TransactionNode.Settings(
                "other", "other:9080", Duration.ofMillis(600), Duration.ofSeconds(60), Duration.ofSeconds(5)));
        try {
            other.start();
            Wait.until("active", WAIT, () -> other.state() == TransactionNode.State.ACTIVE);
            for (int i = 0; i < 5; i++) {
                other.commit(new CommitRequest("o" + i, other.lastCommitTs(), List.of(Write.put(key(i), new byte[] {1}))));
            }
            LogArchiver intruder = new LogArchiver(otherLog, target, () -> true);
            intruder.pass();
            assertThat(intruder.problem()).startsWith("stopped:").contains("holds another commit");
            assertThat(intruder.keepFrom()).isEqualTo(Long.MAX_VALUE);
        } finally {
            other.close();
        }
    }

    @Test
    @Tag("archive")
    void aMissingArchiveSegmentStopsARestoreThatNeedsIt() throws Exception {
        put(0, 10, "a");
        checkpoint();
        backup(new BackupProgress());
        List<Long> rounds = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            rounds.add(put(100 + round, 101 + round, "r" + round));
            archiver.pass();
        }
        List<LogArchive.Segment> segments = new LogArchive(target).segments();
        assertThat(segments).hasSize(3);
        target.target().delete(segments.get(1).name());
        assertThatThrownBy(() -> BackupRestore.restore(target, null, rounds.get(2),
                freshStore())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no backup")
                .hasMessageContaining("reaches");
        CheckpointStore restored = freshStore();
        assertThat(BackupRestore.restore(target, null, null, restored).commitTs())
                .as("as far as the archive goes without a gap").isEqualTo(rounds.get(0));
    }

    /** What a standby's poll asks of the archive folder: only the names after the last one it read, in order. */
    @Test
    void listingAfterANameGivesTheLaterNamesOfTheFolderInOrder() throws Exception {
        for (String name : List.of("archive/0003.tail", "archive/0001.tail", "archive/0002.tail", "sets/x/set.json")) {
            target.target().write(name, out -> out.write(1));
        }
        assertThat(target.target().listAfter("archive/", "archive/0001.tail"))
                .containsExactly("archive/0002.tail", "archive/0003.tail");
        assertThat(target.target().listAfter("archive/", "archive/0003.tail")).isEmpty();
    }

    @Test
    @Tag("archive")
    void pruneRemovesTheArchivedLogBeforeTheOldestKeptBackupAndRestoresStillReachTheEnd() throws Exception {
        put(0, 10, "a");
        archiver.pass();
        backup(new BackupProgress());
        put(10, 20, "b");
        archiver.pass();
        BackupSet kept = backup(new BackupProgress());
        long last = put(20, 30, "c");
        archiver.pass();
        int before = new LogArchive(target).segments().size();

        BackupPruner.Report report = new BackupPruner(target).prune(1);

        assertThat(report.kept()).containsExactly(kept.id());
        assertThat(report.archiveSegmentsRemoved()).isPositive();
        List<LogArchive.Segment> left = new LogArchive(target).segments();
        assertThat(left).hasSize(before - (int) report.archiveSegmentsRemoved());
        assertThat(left.get(0).from()).as("the kept backup's archive goes on without a gap")
                .isLessThanOrEqualTo(kept.lastLsn() + 1);
        CheckpointStore restored = freshStore();
        assertThat(BackupRestore.restore(target, null, null, restored).commitTs()).isEqualTo(last);
        assertThat(rows(restored)).isEqualTo(live);
        put(30, 31, "d");
        archiver.pass();
        assertThat(archiver.problem()).as("archiving goes on after the prune").isNull();
    }
}
