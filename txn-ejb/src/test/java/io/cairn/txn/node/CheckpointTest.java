package io.cairn.txn.node;

import static io.cairn.txn.node.TransactionNodeTest.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.log.LogService;
import io.cairn.log.LogTruncatedException;
import io.cairn.node.testing.Wait;
import io.cairn.storage.testing.InMemoryObjectStore;
import io.cairn.txn.CommitRequest;
import io.cairn.txn.DroppedKeySpaces;
import io.cairn.txn.Key;
import io.cairn.txn.TransactionNodeBusyException;
import io.cairn.txn.Write;
import io.cairn.txn.checkpoint.CheckpointRow;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.checkpoint.SegmentRows;
import io.cairn.txn.record.TnLease;
import io.cairn.txn.testing.GatedCheckpointStore;
import io.cairn.txn.testing.InMemoryLog;
import io.cairn.server.ObjectStoreCheckpoints;
import io.cairn.txn.testing.TestTicker;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Checkpoints of a TN over the in-memory log and object store, with time on a {@link TestTicker}. */
class CheckpointTest {
    private static final Duration LEASE = Duration.ofMillis(600);
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final long TABLE = 1000;
    private static final long DROPPED = 1001;

    private final InMemoryLog log = new InMemoryLog();
    private final InMemoryObjectStore objects = new InMemoryObjectStore();
    private final CheckpointStore store = ObjectStoreCheckpoints.over(objects);
    private final TestTicker ticker = new TestTicker();
    private final AtomicInteger txn = new AtomicInteger();
    private final List<TransactionNode> nodes = new ArrayList<>();

    @AfterEach
    void close() {
        nodes.forEach(TransactionNode::close);
    }

    private TransactionNode activeNode(CheckpointStore checkpoints, CheckpointSettings settings) throws Exception {
        TransactionNode tn = node("tn", checkpoints, settings);
        Wait.until("active", WAIT, () -> tn.state() == TransactionNode.State.ACTIVE);
        return tn;
    }

    private TransactionNode node(String id, CheckpointStore checkpoints, CheckpointSettings settings) {
        return node(id, log, checkpoints, settings);
    }

    private TransactionNode node(String id, LogService view, CheckpointStore checkpoints, CheckpointSettings settings) {
        TransactionNode tn = new TransactionNode(view, Clock.systemUTC(), ticker, new TransactionNode.Settings(id,
                id + ":9080", LEASE, Duration.ofSeconds(60), Duration.ofSeconds(5)));
        tn.enableCheckpoints(checkpoints, settings);
        nodes.add(tn);
        tn.start();
        return tn;
    }

    private static Key key(long table, int n) {
        return Key.of(table, ByteBuffer.allocate(4).putInt(n).array());
    }

    private void commit(TransactionNode tn, Write... writes) {
        tn.commit(new CommitRequest("t" + txn.incrementAndGet(), tn.lastCommitTs(), List.of(writes)));
    }

    private List<String> manifests() {
        return store.list(Manifest.PREFIX).stream().sorted().toList();
    }

    /** Lets the checkpoint interval pass and waits for the checkpoint that follows. */
    private Manifest nextCheckpoint() throws Exception {
        int before = manifests().size();
        String latestBefore = before == 0 ? "" : manifests().get(before - 1);
        ticker.advance(INTERVAL);
        Wait.until("a new checkpoint", WAIT, () -> {
            List<String> now = manifests();
            return !now.isEmpty() && now.get(now.size() - 1).compareTo(latestBefore) > 0;
        });
        return store.latestManifest().orElseThrow();
    }

    private boolean truncated() {
        return truncatedBefore(2);
    }

    /** Whether the log no longer holds the entry before {@code lsn}. */
    private boolean truncatedBefore(long lsn) {
        try {
            log.read(lsn - 1, 1024);
            return false;
        } catch (LogTruncatedException e) {
            return true;
        }
    }

    @Test
    void aSlowCheckpointHoldsUpNeitherCommitsNorLeaseRenewals() throws Exception {
        GatedCheckpointStore slow = new GatedCheckpointStore(store);
        TransactionNode tn = activeNode(slow, new CheckpointSettings(INTERVAL, 1000, 8, Duration.ZERO));
        commit(tn, Write.put(key(TABLE, 1), new byte[] {1}));
        ticker.advance(INTERVAL);
        Wait.until("a checkpoint held at the gate", WAIT, () -> slow.waiting() == 1);

        for (int i = 0; i < 5; i++) {
            long before = log.currentLease().lsn();
            ticker.advance(LEASE.dividedBy(3).plusMillis(1));
            Wait.until("a lease renewal during the checkpoint", WAIT, () -> log.currentLease().lsn() > before);
            commit(tn, Write.put(key(TABLE, 2 + i), new byte[] {2}));
        }
        assertThat(manifests()).isEmpty();
        assertThat(truncated()).isFalse();

        slow.open();
        Wait.until("the checkpoint published", WAIT, () -> !manifests().isEmpty());
        Wait.until("the log truncated behind it", WAIT, this::truncated);
        assertThat(tn.state()).isEqualTo(TransactionNode.State.ACTIVE);
        assertThat(nextCheckpoint().segments()).as("the commits made meanwhile go into the next checkpoint")
                .hasSize(2);
    }

    @Test
    void changesPastTheMemoryBudgetAreCheckpointedAtOnceAndHoldCommitsBackWhileStorageLags() throws Exception {
        GatedCheckpointStore slow = new GatedCheckpointStore(store);
        long budget = 1 << 20;
        TransactionNode tn = activeNode(slow, new CheckpointSettings(Duration.ofHours(1), 1_000_000, 8, Duration.ZERO,
                64 << 20, 256 << 10, budget));
        byte[] big = new byte[64 * 1024];
        CommitRequest first = new CommitRequest("first", tn.lastCommitTs(), List.of(Write.put(key(TABLE, 0), big)));
        long firstTs = tn.commit(first).commitTs();
        for (int i = 1; i < 16; i++) { // 16 changes of ~64 KiB: just over the budget (neither interval nor key count)
            commit(tn, Write.put(key(TABLE, i), big));
        }
        Wait.until("a checkpoint started by the memory budget", WAIT, () -> slow.waiting() == 1);
        // 16 more: the last one takes the changes just over twice the budget (31 are under it, so none of these is
        // held back however soon the TN notes each) and the 16 past the cut just over the budget
        for (int i = 16; i < 32; i++) {
            commit(tn, Write.put(key(TABLE, i), big));
        }
        Wait.until("noted: past twice the budget", WAIT, () -> tn.pendingCheckpointBytes() > 2 * budget);
        long start = System.nanoTime();
        assertThatThrownBy(() -> commit(tn, Write.put(key(TABLE, 32), new byte[] {1})))
                .as("refused after waiting, while storage lags").isInstanceOf(TransactionNodeBusyException.class)
                .hasMessageContaining("more than twice its budget");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the refused commit waited first")
                .isGreaterThanOrEqualTo(CheckpointHooks.THROTTLE_WAIT.minusMillis(50));
        assertThat(tn.commit(first).commitTs()).as("a repeated call of an admitted commit is answered at once")
                .isEqualTo(firstTs);
        slow.open();
        Wait.until("every change checkpointed (not the refused one), without the interval", WAIT,
                () -> store.latestManifest().map(m -> tableRows(m).size() == 32).orElse(false));
        Wait.until("the memory given back", WAIT, () -> tn.pendingCheckpointBytes() < budget);
        commit(tn, Write.put(key(TABLE, 32), new byte[] {1})); // tried again: it goes through
    }

    @Test
    void aTransactionNodeThatLosesItsLeaseMidCheckpointNeitherPublishesNorTruncates() throws Exception {
        GatedCheckpointStore slow = new GatedCheckpointStore(store);
        TransactionNode tn = activeNode(slow, new CheckpointSettings(INTERVAL, 1000, 8, Duration.ZERO));
        commit(tn, Write.put(key(TABLE, 1), new byte[] {1}));
        ticker.advance(INTERVAL);
        Wait.until("a checkpoint held at the gate", WAIT, () -> slow.waiting() == 1);

        log.appendLease(2, "intruder", new TnLease(60_000, "x:1").encode());
        ticker.advance(LEASE.dividedBy(3).plusMillis(1)); // the next renewal finds the intruder's lease
        Wait.until("deposed", WAIT, () -> tn.state() == TransactionNode.State.STANDBY);
        slow.open();
        Wait.until("the segment written", WAIT, () -> slow.passed() == 1);
        tn.close(); // waits for the checkpoint thread to finish
        assertThat(manifests()).isEmpty();
        assertThat(truncated()).isFalse();
    }

    /** The table's rows as a reader sees them: segments in manifest order, a later one wins. */
    private Map<Integer, Byte> tableRows(Manifest manifest) {
        Map<Integer, Byte> rows = new TreeMap<>();
        for (Manifest.Segment segment : manifest.segments()) {
            if (segment.tableId() != TABLE) {
                continue;
            }
            new SegmentRows(store, segment).forEachRemaining(row -> {
                int k = ByteBuffer.wrap(row.key()).getInt();
                if (row.value() == null) {
                    rows.remove(k);
                } else {
                    rows.put(k, row.value()[0]);
                }
            });
        }
        return rows;
    }

    @Test
    void compactionRewritesOnlyTheBottomSegmentsWhoseKeyRangesChanged() throws Exception {
        // small segments, so that the table's bottom run has many
        TransactionNode tn = activeNode(store, new CheckpointSettings(INTERVAL, 100_000, 2, Duration.ofMinutes(5),
                8 * 1024, 1024, 64 << 20));
        Map<Integer, Byte> expected = new TreeMap<>();
        List<Write> writes = new ArrayList<>();
        for (int k = 0; k < 5000; k++) {
            writes.add(Write.put(key(TABLE, k), new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
            expected.put(k, (byte) 1);
        }
        commit(tn, writes.toArray(Write[]::new));
        Manifest first = nextCheckpoint();
        List<Manifest.Segment> bottom = first.segments().stream().filter(s -> s.tableId() == TABLE).toList();
        assertThat(bottom).hasSizeGreaterThan(5).allMatch(Manifest.Segment::bottom);
        assertThat(bottom.stream().mapToLong(Manifest.Segment::bytes).max().orElseThrow()).isLessThan(12 * 1024);

        // three rounds of changes near the start of the key space: the third has them compacted
        for (int round = 2; round <= 4; round++) {
            commit(tn, Write.put(key(TABLE, round), new byte[] {(byte) round}), Write.delete(key(TABLE, 10 + round)));
            expected.put(round, (byte) round);
            expected.remove(10 + round);
            nextCheckpoint();
        }
        Manifest compacted = store.latestManifest().orElseThrow();
        List<Manifest.Segment> now = compacted.segments().stream().filter(s -> s.tableId() == TABLE).toList();
        assertThat(now).as("everything merged into the bottom run").allMatch(Manifest.Segment::bottom);
        List<String> kept = now.stream().map(Manifest.Segment::objectKey).filter(k -> bottom.stream()
                .anyMatch(b -> b.objectKey().equals(k))).toList();
        assertThat(kept).as("untouched key ranges keep their objects").hasSize(bottom.size() - 1);
        List<Manifest.Segment> sorted = new ArrayList<>(now);
        sorted.sort(TableRuns.BY_FIRST_KEY);
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(java.util.Arrays.compareUnsigned(sorted.get(i - 1).lastKey(), sorted.get(i).firstKey()))
                    .as("bottom segments have disjoint key ranges").isNegative();
        }
        assertThat(tableRows(compacted)).isEqualTo(expected);
        assertThat(now.stream().mapToLong(Manifest.Segment::rows).sum()).as("no deletions left").isEqualTo(expected.size());
    }

    @Test
    void upperRunsHoldingHalfAsManyRowsAsTheBottomAreCompactedAtOnce() throws Exception {
        TransactionNode tn = activeNode(store, new CheckpointSettings(INTERVAL, 100_000, 8, Duration.ofMinutes(5)));
        List<Write> writes = new ArrayList<>();
        for (int k = 0; k < 100; k++) {
            writes.add(Write.put(key(TABLE, k), new byte[] {1}));
        }
        commit(tn, writes.toArray(Write[]::new));
        nextCheckpoint();

        commit(tn, Write.put(key(TABLE, 1), new byte[] {2}), Write.put(key(TABLE, 2), new byte[] {2}));
        List<Manifest.Segment> small = nextCheckpoint().segments().stream().filter(s -> s.tableId() == TABLE).toList();
        assertThat(small).as("2 changed rows of 100 stay an upper run").anyMatch(s -> !s.bottom());

        writes.clear();
        for (int k = 0; k < 50; k++) {
            writes.add(Write.put(key(TABLE, k), new byte[] {3}));
        }
        commit(tn, writes.toArray(Write[]::new));
        Manifest compacted = nextCheckpoint();
        List<Manifest.Segment> now = compacted.segments().stream().filter(s -> s.tableId() == TABLE).toList();
        assertThat(now).as("52 upper rows over 100 bottom rows: merged").allMatch(Manifest.Segment::bottom);
        assertThat(now.stream().mapToLong(Manifest.Segment::rows).sum()).isEqualTo(100);
        Map<Integer, Byte> rows = tableRows(compacted);
        assertThat(rows.get(1)).isEqualTo((byte) 3);
        assertThat(rows.get(60)).isEqualTo((byte) 1);
    }

    @Test
    void tablesWithManySegmentsAreMergedAndDroppedKeySpacesLeaveStorage() throws Exception {
        Duration grace = Duration.ofSeconds(30);
        TransactionNode tn = activeNode(store, new CheckpointSettings(INTERVAL, 1000, 3, grace));
        Map<Integer, Byte> expected = new TreeMap<>();
        for (int round = 0; round < 5; round++) {
            List<Write> writes = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                if ((k + round) % 4 == 0 && round > 0) {
                    writes.add(Write.delete(key(TABLE, k)));
                    expected.remove(k);
                } else {
                    writes.add(Write.put(key(TABLE, k), new byte[] {(byte) round}));
                    expected.put(k, (byte) round);
                }
            }
            writes.add(Write.put(key(DROPPED, round), new byte[] {(byte) round}));
            commit(tn, writes.toArray(Write[]::new));
            Manifest manifest = nextCheckpoint();
            assertThat(manifest.segments().stream().filter(s -> s.tableId() == TABLE && !s.bottom())
                    .map(Manifest.Segment::run).distinct()).as("upper runs").hasSizeLessThanOrEqualTo(3);
        }
        assertThat(tableRows(store.latestManifest().orElseThrow())).isEqualTo(expected);
        assertThat(segmentObjects(DROPPED)).isNotEmpty();

        commit(tn, Write.put(DroppedKeySpaces.marker(DROPPED), new byte[0]));
        Manifest afterDrop = nextCheckpoint();
        assertThat(afterDrop.segments()).noneMatch(s -> s.tableId() == DROPPED);
        assertThat(segmentObjects(DROPPED)).as("kept for the grace period").isNotEmpty();
        int superseded = store.list(Manifest.PREFIX).size() - 1;
        assertThat(superseded).isPositive();

        // Once the grace period has passed, the next checkpoint deletes what was superseded before
        // it began; the manifest it supersedes itself waits for another grace period.
        ticker.advance(grace);
        commit(tn, Write.put(key(TABLE, 99), new byte[] {9}));
        Manifest last = nextCheckpoint();
        // manifests go first, then the segments only they referred to: wait for both
        Wait.until("superseded objects deleted", WAIT,
                () -> manifests().size() == 2 && segmentObjects(DROPPED).isEmpty());
        assertThat(manifests()).containsExactly(afterDrop.objectKey(), last.objectKey());
        assertThat(segmentObjects(DROPPED)).isEmpty();
        List<String> referenced = java.util.stream.Stream.concat(afterDrop.segments().stream(), last.segments().stream())
                .map(Manifest.Segment::objectKey).distinct().sorted().toList();
        assertThat(store.list(Manifest.SEGMENT_PREFIX).stream().sorted().toList()).isEqualTo(referenced);
    }

    /**
     * A standby notes no changes; after a takeover the new active TN reads back from the log what its predecessor
     * committed after the latest manifest, and its first checkpoint holds those changes under its own newer ones.
     */
    @Test
    void aNodeThatTakesOverCheckpointsWhatItsPredecessorCommittedAfterTheLatestManifest() throws Exception {
        CheckpointSettings settings = new CheckpointSettings(INTERVAL, 1000, 8, Duration.ZERO);
        TransactionNode active = activeNode(store, settings);
        TransactionNode standby = node("standby", store, settings);
        for (int k = 0; k < 10; k++) {
            commit(active, Write.put(key(TABLE, k), new byte[] {1}));
        }
        passTimeKeepingTheLease(active, standby, INTERVAL);
        Wait.until("a checkpoint of the first ten", WAIT,
                () -> store.latestManifest().map(m -> tableRows(m).size() == 10).orElse(false));
        Manifest first = store.latestManifest().orElseThrow();
        for (int k = 10; k < 20; k++) {
            commit(active, Write.put(key(TABLE, k), new byte[] {1}));
        }
        commit(active, Write.put(key(TABLE, 0), new byte[] {2}), Write.put(key(TABLE, 5), new byte[] {2}));
        commit(active, Write.delete(key(TABLE, 19)));
        long lastOfPredecessor = active.lastCommitLsn();
        Wait.until("the standby has read them", WAIT, () -> standby.lastCommitLsn() == lastOfPredecessor);
        Wait.until("the active node notes twelve keys", WAIT, () -> active.pendingCheckpointKeys() == 12);
        assertThat(standby.pendingCheckpointKeys()).as("a standby notes nothing").isZero();

        active.close();
        ticker.advance(LEASE.plusMillis(1));
        Wait.until("the standby takes over", WAIT, () -> standby.state() == TransactionNode.State.ACTIVE);
        commit(standby, Write.put(key(TABLE, 5), new byte[] {3}), Write.put(key(TABLE, 20), new byte[] {3}));
        Wait.until("the predecessor's changes read back", WAIT, () -> standby.pendingCheckpointKeys() == 13);

        ticker.advance(INTERVAL);
        Wait.until("a checkpoint of the new term", WAIT,
                () -> store.latestManifest().map(m -> m.epoch() == standby.epoch()).orElse(false));
        Manifest next = store.latestManifest().orElseThrow();
        assertThat(next.lsn()).isGreaterThan(lastOfPredecessor);
        Map<Integer, Byte> expected = new TreeMap<>();
        for (int k = 0; k < 19; k++) {
            expected.put(k, (byte) 1);
        }
        expected.put(0, (byte) 2);
        expected.put(5, (byte) 3);
        expected.put(20, (byte) 3);
        assertThat(tableRows(next)).isEqualTo(expected);
        assertThat(first.lsn()).isLessThan(next.lsn());
        Wait.until("the log truncated behind the new checkpoint", WAIT, () -> truncatedBefore(next.lsn()));
    }

    /**
     * A read-back that cannot find the latest manifest fails; no checkpoint goes out without it, and once storage
     * answers again (a checkpoint interval later) the next one holds every change.
     */
    @Test
    void aTakeoverWhoseReadBackFailsReadsAgainLaterAndLosesNothing() throws Exception {
        GatedCheckpointStore flaky = new GatedCheckpointStore(store);
        flaky.open();
        CheckpointSettings settings = new CheckpointSettings(INTERVAL, 1000, 8, Duration.ZERO);
        TransactionNode active = activeNode(flaky, settings);
        TransactionNode standby = node("standby", flaky, settings);
        for (int k = 0; k < 10; k++) {
            commit(active, Write.put(key(TABLE, k), new byte[] {1}));
        }
        passTimeKeepingTheLease(active, standby, INTERVAL);
        Wait.until("a checkpoint of the first ten", WAIT,
                () -> store.latestManifest().map(m -> tableRows(m).size() == 10).orElse(false));
        for (int k = 10; k < 15; k++) {
            commit(active, Write.put(key(TABLE, k), new byte[] {1}));
        }
        long lastOfPredecessor = active.lastCommitLsn();
        Wait.until("the standby has read them", WAIT, () -> standby.lastCommitLsn() == lastOfPredecessor);

        flaky.failListings(true);
        active.close();
        ticker.advance(LEASE.plusMillis(1));
        Wait.until("the standby takes over", WAIT, () -> standby.state() == TransactionNode.State.ACTIVE);
        commit(standby, Write.put(key(TABLE, 20), new byte[] {3}));
        Wait.until("a read-back refused", WAIT, () -> flaky.refusedListings() > 0);

        flaky.failListings(false);
        passTimeOnTheActive(standby, INTERVAL.multipliedBy(2)); // the failure is noted on a tick after the refusal
        Wait.until("a checkpoint of the new term", WAIT,
                () -> store.latestManifest().map(m -> m.epoch() == standby.epoch()).orElse(false));
        Map<Integer, Byte> expected = new TreeMap<>();
        for (int k = 0; k < 15; k++) {
            expected.put(k, (byte) 1);
        }
        expected.put(20, (byte) 3);
        assertThat(tableRows(store.latestManifest().orElseThrow())).isEqualTo(expected);
    }

    /** Moves time a third of the lease at a time, each time until the active node has renewed its lease. */
    private void passTimeOnTheActive(TransactionNode active, Duration total) throws Exception {
        Duration step = LEASE.dividedBy(3).plusMillis(1);
        for (Duration passed = Duration.ZERO; passed.compareTo(total) < 0; passed = passed.plus(step)) {
            long before = log.currentLease().lsn();
            ticker.advance(step);
            Wait.until("a renewal", WAIT, () -> log.currentLease().lsn() > before);
            assertThat(active.state()).isEqualTo(TransactionNode.State.ACTIVE);
        }
    }

    @Test
    void aStandbyThatCannotReadTheLeaseInTheTruncatedLogStillWaitsForItToLapse() throws Exception {
        CheckpointSettings everyCommit = new CheckpointSettings(INTERVAL, 1, 8, Duration.ZERO);
        TransactionNode active = activeNode(store, everyCommit);
        commit(active, Write.put(key(TABLE, 1), new byte[] {1}));
        Wait.until("the log truncated past the lease entry", WAIT, this::truncated);
        TransactionNode late = node("late", store, everyCommit);
        Wait.until("the late standby notes the lease it could not read", WAIT, () -> late.lease().epoch() == 1);
        assertThat(late.state()).isEqualTo(TransactionNode.State.STANDBY);
        assertThat(active.state()).isEqualTo(TransactionNode.State.ACTIVE);

        active.close();
        ticker.advance(LEASE.plusMillis(1));
        Wait.until("the late standby takes over", WAIT, () -> late.state() == TransactionNode.State.ACTIVE);
        assertThat(late.epoch()).isEqualTo(2);
    }

    /** Moves time a third of the lease at a time, each time until the standby has read the active node's renewal. */
    private void passTimeKeepingTheLease(TransactionNode active, TransactionNode standby, Duration total)
            throws Exception {
        Duration step = LEASE.dividedBy(3).plusMillis(1);
        for (Duration passed = Duration.ZERO; passed.compareTo(total) < 0; passed = passed.plus(step)) {
            long before = log.currentLease().lsn();
            ticker.advance(step);
            Wait.until("a renewal", WAIT, () -> log.currentLease().lsn() > before);
            Wait.until("the standby reads it", WAIT, () -> standby.lease().lsn() == log.currentLease().lsn());
            assertThat(active.state()).isEqualTo(TransactionNode.State.ACTIVE);
        }
    }

    private List<String> segmentObjects(long table) {
        return store.list(Manifest.SEGMENT_PREFIX).stream().filter(k -> k.contains("/" + table + "-")).toList();
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> new CheckpointSettings(INTERVAL, 10, 0, Duration.ZERO))
                .hasMessageContaining("maxRunsPerTable");
        assertThatThrownBy(() -> new CheckpointSettings(INTERVAL, 10, 8, Duration.ZERO, 1L << 30, 4096, 64 << 20))
                .hasMessageContaining("segmentBytes");
        assertThatThrownBy(() -> new CheckpointSettings(INTERVAL, 10, 8, Duration.ZERO, 1L << 20, 10, 64 << 20))
                .hasMessageContaining("blockBytes");
        assertThatThrownBy(() -> new CheckpointSettings(INTERVAL, 10, 8, Duration.ZERO, 1L << 20, 4096, 1000))
                .hasMessageContaining("memtableBytes");
        assertThatThrownBy(() -> new CheckpointSettings(Duration.ZERO, 10, 8, Duration.ZERO))
                .hasMessageContaining("interval");
    }
}
