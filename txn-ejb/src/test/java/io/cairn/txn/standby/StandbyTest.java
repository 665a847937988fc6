package io.cairn.txn.standby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.log.LogBatch;
import io.cairn.log.LogEntry;
import io.cairn.node.testing.Wait;
import io.cairn.server.ObjectStoreCheckpoints;
import io.cairn.storage.testing.InMemoryObjectStore;
import io.cairn.txn.CommitRequest;
import io.cairn.txn.Key;
import io.cairn.txn.ReadOnlyClusterException;
import io.cairn.txn.Write;
import io.cairn.txn.backup.BackupProgress;
import io.cairn.txn.backup.BackupRepository;
import io.cairn.txn.backup.BackupRestore;
import io.cairn.txn.backup.BackupWriter;
import io.cairn.txn.backup.LogArchive;
import io.cairn.txn.backup.LogArchiver;
import io.cairn.txn.backup.Promotion;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.node.CheckpointSettings;
import io.cairn.txn.node.TransactionNode;
import io.cairn.txn.record.CommitRecord;
import io.cairn.txn.testing.InMemoryLog;
import io.cairn.txn.testing.TestTicker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standby's TN following a primary's archived log: a primary TN whose archiver passes are the test's to call, its
 * backup restored into the standby's own store, and the standby's TN over a log of its own with a {@link Standby}
 * polling the archive (a folder) on its thread.
 */
class StandbyTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration LEASE = Duration.ofMillis(600);
    private static final long TABLE = 1000;

    @TempDir
    Path folder;

    private final InMemoryLog primaryLog = new InMemoryLog();
    private final CheckpointStore primaryStore = ObjectStoreCheckpoints.over(new InMemoryObjectStore());
    private final InMemoryLog standbyLog = new InMemoryLog();
    private final CheckpointStore standbyStore = ObjectStoreCheckpoints.over(new InMemoryObjectStore());
    private BackupRepository archiveTarget;
    private TransactionNode primary;
    private LogArchiver archiver;
    private final List<Promotion> fencedBy = new ArrayList<>();
    private TransactionNode standbyTn;
    private Standby standby;
    private int txn;

    @BeforeEach
    void start() {
        archiveTarget = BackupRepository.open(folder.resolve("archive").toString(), null);
        primary = node(primaryLog, primaryStore, "primary");
        archiver = new LogArchiver(primaryLog, archiveTarget, () -> primary.state() == TransactionNode.State.ACTIVE);
        archiver.onPromotion(fencedBy::add);
        primary.keepLogFrom(archiver::keepFrom);
        primary.start();
        Wait.until("the primary active", WAIT, () -> primary.state() == TransactionNode.State.ACTIVE);
    }

    @AfterEach
    void stop() {
        if (standby != null) {
            standby.close();
        }
        if (standbyTn != null) {
            standbyTn.close();
        }
        primary.close();
        archiveTarget.close();
    }

    private static TransactionNode node(InMemoryLog log, CheckpointStore store, String id) {
        return node(log, store, id, new TestTicker());
    }

    private static TransactionNode node(InMemoryLog log, CheckpointStore store, String id, TestTicker ticker) {
        TransactionNode tn = new TransactionNode(log, Clock.systemUTC(), ticker,
                new TransactionNode.Settings(id, id + ":9080", LEASE, Duration.ofSeconds(60), Duration.ofSeconds(5)));
        tn.enableCheckpoints(store, new CheckpointSettings(Duration.ofHours(1), 1_000_000, 8, Duration.ZERO));
        return tn;
    }

    /** Commits one row on the primary; returns its transaction id. */
    private String commitOnPrimary() {
        String id = "t" + ++txn;
        primary.commit(new CommitRequest(id, primary.lastCommitTs(), List.of(Write.put(
                Key.of(TABLE, ByteBuffer.allocate(4).putInt(txn).array()), id.getBytes(StandardCharsets.UTF_8)))));
        return id;
    }

    /** The primary's backup restored into the standby's store, then the standby's TN and {@link Standby} started. */
    private void setUpStandby() {
        new BackupWriter(primaryStore, primaryLog, archiveTarget, Clock.systemUTC()).create(new BackupProgress());
        try (BackupRepository source = BackupRepository.existing(folder.resolve("archive").toString(), null)) {
            BackupRestore.restore(source, null, null, standbyStore);
        }
        startStandby();
    }

    private void startStandby() {
        TestTicker ticker = new TestTicker();
        standbyTn = node(standbyLog, standbyStore, "standby", ticker);
        standby = new Standby("the primary's archive", new LogArchive(archiveTarget), standbyStore, standbyTn,
                "standby", () -> standbyTn.refuseWrites(standby.promoted() ? null : "a standby"));
        standbyTn.refuseWrites(standby.promoted() ? null : "a standby");
        standby.start();
        standbyTn.start();
        Wait.until("the standby's TN active", WAIT, () -> {
            ticker.advance(LEASE); // a restarted TN waits for its predecessor's lease to lapse
            return standbyTn.state() == TransactionNode.State.ACTIVE;
        });
    }

    /** The transaction ids of the commit records in the standby's own log, in log order. */
    private List<String> standbyLogged() {
        List<String> ids = new ArrayList<>();
        long next = 1;
        while (next <= standbyLog.commitIndex()) {
            LogBatch batch = standbyLog.read(next, 1 << 20);
            for (LogEntry entry : batch.entries()) {
                entry.records().stream().filter(CommitRecord::isCommitRecord).map(CommitRecord::decode)
                        .forEach(r -> ids.add(r.txnId()));
                next = entry.lsn() + 1;
            }
        }
        return ids;
    }

    @Test
    void theStandbyReplaysThePrimarysCommitsInOrderWithTheirTimestampsAndRefusesClientWrites() {
        commitOnPrimary();
        archiver.pass();
        setUpStandby();
        List<String> after = List.of(commitOnPrimary(), commitOnPrimary(), commitOnPrimary());
        archiver.pass();

        Wait.until("the standby to hold the primary's last commit", WAIT,
                () -> standbyTn.lastCommitTs() == primary.lastCommitTs());
        assertThat(standbyLogged()).as("commits after the backup, once each, in order").isEqualTo(after);
        assertThat(standby.status().state()).isEqualTo(Standby.State.FOLLOWING);
        assertThat(standby.status().problem()).isNull();
        assertThatThrownBy(() -> standbyTn.commit(new CommitRequest("client", standbyTn.lastCommitTs(),
                List.of(Write.put(Key.of(TABLE, new byte[] {1}), new byte[] {1})))))
                .isInstanceOf(ReadOnlyClusterException.class).hasMessageContaining("a standby");
    }

    @Test
    void aStandbyRestartedGoesOnFromWhatItHoldsWithoutReplayingACommitTwice() {
        commitOnPrimary();
        archiver.pass();
        setUpStandby();
        List<String> expected = new ArrayList<>(List.of(commitOnPrimary(), commitOnPrimary()));
        archiver.pass();
        Wait.until("the first commits replayed", WAIT, () -> standbyTn.lastCommitTs() == primary.lastCommitTs());
        standby.close();
        standbyTn.close();

        expected.add(commitOnPrimary());
        archiver.pass();
        expected.add(commitOnPrimary());
        archiver.pass();
        startStandby();

        Wait.until("the later commits replayed", WAIT, () -> standbyTn.lastCommitTs() == primary.lastCommitTs());
        assertThat(standbyLogged()).isEqualTo(expected);
    }

    @Test
    void aGapInTheArchiveStopsTheStandbyThereWithTheReason() throws Exception {
        commitOnPrimary();
        archiver.pass();
        setUpStandby();
        standby.close();
        standbyTn.close();
        commitOnPrimary();
        archiver.pass();
        commitOnPrimary();
        archiver.pass();
        Path segment;
        try (Stream<Path> files = Files.list(folder.resolve("archive/archive"))) {
            segment = files.filter(f -> f.toString().endsWith(".tail")).sorted().toList().get(1);
        }
        Files.delete(segment);

        startStandby();
        Wait.until("the gap reported", WAIT, () -> standby.status().problem() != null);
        assertThat(standby.status().problem()).contains("gap");
        assertThat(standbyLogged()).as("nothing past the gap").isEmpty();
        assertThat(standbyTn.lastCommitTs()).isLessThan(primary.lastCommitTs());
    }

    @Test
    void promotionReplaysToTheArchivesEndFencesThePrimaryAndIsRememberedAcrossARestart() {
        commitOnPrimary();
        archiver.pass();
        setUpStandby();
        standby.close(); // no polling: the promotion itself must replay what the archive holds
        commitOnPrimary();
        commitOnPrimary();
        archiver.pass();
        long last = primary.lastCommitTs();

        Promotion promotion = new Standby("the primary's archive", new LogArchive(archiveTarget), standbyStore,
                standbyTn, "standby", () -> standbyTn.refuseWrites(null)).promote(false);

        assertThat(promotion.commitTs()).as("every archived commit").isEqualTo(last);
        assertThat(standbyTn.lastCommitTs()).isEqualTo(last);
        assertThat(standbyTn.writesRefused()).as("the promoted standby takes writes").isNull();
        assertThat(archiver.promotion()).as("the marker in the primary's archive").contains(promotion);
        assertThat(fencedBy).as("the primary's archiver fences it").containsExactly(promotion);
        assertThat(archiver.problem()).startsWith("stopped");
        assertThat(Standby.promotionOf(standbyStore)).as("remembered in the standby's own store").isEqualTo(promotion);
        Standby restarted = new Standby("the primary's archive", new LogArchive(archiveTarget), standbyStore, standbyTn,
                "standby", () -> { });
        assertThat(restarted.promoted()).isTrue();
        assertThat(restarted.status().state()).isEqualTo(Standby.State.PROMOTED);
        restarted.close();
    }
}
