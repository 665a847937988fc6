package io.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.log.LogTruncatedException;
import io.cairn.data.testing.InProcessCluster;
import io.cairn.log.impl.LogCluster;
import io.cairn.node.testing.Wait;
import io.cairn.storage.testing.InMemoryObjectStore;
import io.cairn.txn.Key;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.node.CheckpointSettings;
import io.cairn.txn.node.TransactionNode;
import io.cairn.server.ObjectStoreCheckpoints;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint, log truncation, then a restart of everything (log peers, TN, CN): the data read
 * afterwards is exactly the data read before, and writing goes on.
 */
class CheckpointIT {
    private static final long TABLE = 3;
    private static final long DROPPED = 4;

    private static Key key(int i) {
        return Key.of(TABLE, ByteBuffer.allocate(4).putInt(i).array());
    }

    private static TransactionNode tn(LogCluster logs, CheckpointStore store) {
        return tn(logs, store, new CheckpointSettings(Duration.ofMillis(300), 50, 8, Duration.ofSeconds(30)));
    }

    private static TransactionNode tn(LogCluster logs, CheckpointStore store, CheckpointSettings checkpoints) {
        TransactionNode tn = new TransactionNode(logs.newClient(), Clock.systemUTC(), new TransactionNode.Settings(
                "tn", "tn", Duration.ofMillis(600), Duration.ofSeconds(60), Duration.ofSeconds(5)));
        tn.enableCheckpoints(store, checkpoints);
        tn.start();
        return tn;
    }

    /**
     * A CN that reads the checkpoint it started from for the whole test: with no grace period (the compaction test)
     * the objects of a checkpoint it moved onto could be collected as soon as the next one supersedes it.
     */
    private static DataNode cn(LogCluster logs, TransactionNode tn, CheckpointStore store) {
        DataNode cn = new DataNode(logs.newClient(), () -> tn,
                new DataNode.Settings("cn", Duration.ofSeconds(10), Duration.ofSeconds(10)), store,
                new DataNode.CacheSettings(DataNode.CacheSettings.defaultBlockCacheBytes(), Duration.ofHours(1)));
        cn.start();
        return cn;
    }

    private static List<String> contents(DataNode cn) {
        List<String> rows = new ArrayList<>();
        Iterator<Map.Entry<byte[], byte[]>> it = cn.begin(Isolation.REPEATABLE_READ).scan(TABLE, null, null);
        it.forEachRemaining(e -> rows.add(ByteBuffer.wrap(e.getKey()).getInt() + "="
                + new String(e.getValue(), StandardCharsets.UTF_8)));
        return rows;
    }

    @Test
    void restartFromCheckpointAndLogTailGivesTheSameData() throws Exception {
        try (InProcessCluster cluster = InProcessCluster.builder().logPeers(3).tns(1).cns(1).inMemoryStorage()
                .checkpointSettings(new CheckpointSettings(Duration.ofMillis(300), 50, 8, Duration.ofSeconds(30)))
                .build()) {
            CheckpointStore store = cluster.checkpoints();
            LogCluster logs = cluster.logs().orElseThrow();
            DataNode cn = cluster.cn(0);
            for (int round = 0; round < 6; round++) {
                Transaction t = cn.begin(Isolation.REPEATABLE_READ);
                for (int i = 0; i < 40; i++) {
                    int k = round * 25 + i;
                    if (k % 11 == 0 && round > 0) {
                        t.delete(key(k));
                    } else {
                        t.put(key(k), ("r" + round + "k" + k).getBytes(StandardCharsets.UTF_8));
                    }
                }
                t.commit();
            }
            Wait.until("a checkpoint", InProcessCluster.WAIT, () -> store.list(Manifest.PREFIX).size() >= 1);
            Wait.until("the log truncated behind it", InProcessCluster.WAIT, () -> truncated(logs));
            // A commit after the checkpoint lives only in the log tail.
            Transaction last = cn.begin(Isolation.REPEATABLE_READ);
            last.put(key(9999), "tail".getBytes(StandardCharsets.UTF_8));
            last.delete(key(1));
            last.commit();
            List<String> before = contents(cn);
            assertThat(before).contains("9999=tail").doesNotContain("1=r0k1");

            // everything stops, then starts again from the log peers' files and the checkpoint
            cluster.killCn(0);
            cluster.killTn(0);
            for (int peer = 0; peer < logs.size(); peer++) {
                cluster.killLogPeer(peer);
            }
            for (int peer = 0; peer < logs.size(); peer++) {
                cluster.restartLogPeer(peer, true);
            }
            cluster.waitForLeader();
            cluster.restartTn(0);
            cluster.waitForActiveTn();
            cluster.restartCn(0);
            DataNode fresh = cluster.cn(0);
            assertThat(contents(fresh)).isEqualTo(before);
            Transaction more = fresh.begin(Isolation.REPEATABLE_READ);
            more.put(key(10_000), "after".getBytes(StandardCharsets.UTF_8));
            more.commit();
            assertThat(contents(fresh)).hasSize(before.size() + 1);
        }
    }

    @Test
    void restartFromACompactedCheckpointGivesTheSameRowsAndDroppedRowsLeaveStorage() throws Exception {
        CheckpointStore store = ObjectStoreCheckpoints.over(new InMemoryObjectStore());
        int maxRuns = 2;
        CheckpointSettings compacting = new CheckpointSettings(Duration.ofMillis(200), 1000, maxRuns, Duration.ZERO);
        try (LogCluster logs = LogCluster.builder().peers(3).build()) {
            logs.waitForLeader();
            List<String> before;
            TransactionNode tn = tn(logs, store, compacting);
            try (DataNode cn = cn(logs, tn, store)) {
                for (int round = 0; round < 6; round++) {
                    Transaction t = cn.begin(Isolation.REPEATABLE_READ);
                    for (int i = 0; i < 20; i++) {
                        int k = round * 5 + i;
                        if (k % 7 == 0 && round > 0) {
                            t.delete(key(k));
                        } else {
                            t.put(key(k), ("r" + round + "k" + k).getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    t.put(Key.of(DROPPED, new byte[] {(byte) round}), new byte[] {1});
                    awaitCheckpointAfter(logs, store, t.commit().commitTs());
                }
                assertThat(segments(store, TABLE).stream().filter(s -> !s.bottom()).map(Manifest.Segment::run).distinct())
                        .as("upper runs merged").hasSizeLessThanOrEqualTo(maxRuns);
                assertThat(segments(store, DROPPED)).isNotEmpty();

                Transaction drop = cn.begin(Isolation.REPEATABLE_READ);
                drop.dropKeySpace(DROPPED);
                awaitCheckpointAfter(logs, store, drop.commit().commitTs());
                assertThat(segments(store, DROPPED)).isEmpty();
                logs.waitUntil("the dropped table's objects deleted", () -> store.list(Manifest.SEGMENT_PREFIX).stream()
                        .noneMatch(key -> key.contains("/" + DROPPED + "-")));
                before = contents(cn);
            } finally {
                tn.close();
            }
            TransactionNode again = tn(logs, store, compacting);
            try (DataNode fresh = cn(logs, again, store)) {
                assertThat(contents(fresh)).isEqualTo(before);
                assertThat(fresh.keyCounts()).doesNotContainKey(DROPPED);
            } finally {
                again.close();
            }
        }
    }

    @Test
    void aRunningComputeNodeMovesOntoEachNewerCheckpoint() throws Exception {
        CheckpointStore store = ObjectStoreCheckpoints.over(new InMemoryObjectStore());
        try (LogCluster logs = LogCluster.builder().peers(3).build()) {
            logs.waitForLeader();
            TransactionNode tn = tn(logs, store);
            DataNode cn = new DataNode(logs.newClient(), () -> tn, new DataNode.Settings("cn", Duration.ofSeconds(10),
                    Duration.ofSeconds(10)), store, new DataNode.CacheSettings(1 << 20, Duration.ofMillis(200)));
            cn.start();
            try {
                long lastTs = 0;
                for (int round = 0; round < 4; round++) {
                    Transaction t = cn.begin(Isolation.REPEATABLE_READ);
                    for (int k = 0; k < 40; k++) {
                        if (k % 9 == round) {
                            t.delete(key(k));
                        } else {
                            t.put(key(k), ("r" + round).getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    lastTs = t.commit().commitTs();
                }
                List<String> before = contents(cn);
                long covered = lastTs;
                logs.waitUntil("the CN reads the checkpoint with every commit", () -> {
                    Manifest latest = store.latestManifest().orElse(null);
                    return latest != null && latest.maxTs() >= covered && latest.objectKey().equals(cn.checkpointInUse());
                });
                assertThat(cn.store().keysInMemory(TABLE)).as("memory holds nothing the checkpoint has").isZero();
                assertThat(contents(cn)).isEqualTo(before);
                Transaction more = cn.begin(Isolation.REPEATABLE_READ);
                more.put(key(1000), "after".getBytes(StandardCharsets.UTF_8));
                more.commit();
                assertThat(contents(cn)).hasSize(before.size() + 1);
            } finally {
                cn.close();
                tn.close();
            }
        }
    }

    private static void awaitCheckpointAfter(LogCluster logs, CheckpointStore store, long commitTs) {
        logs.waitUntil("a checkpoint with the commit at " + commitTs,
                () -> store.latestManifest().map(m -> m.maxTs() >= commitTs).orElse(false));
    }

    private static List<Manifest.Segment> segments(CheckpointStore store, long table) {
        return store.latestManifest().orElseThrow().segments().stream().filter(s -> s.tableId() == table).toList();
    }

    private static boolean truncated(LogCluster logs) {
        try {
            logs.newClient().read(1, 1024);
            return false;
        } catch (LogTruncatedException e) {
            return true;
        }
    }

    @Test
    void aManifestThatCannotBeReadIsAnError() {
        CheckpointStore store = ObjectStoreCheckpoints.over(new InMemoryObjectStore());
        store.put(Manifest.objectKey(1, 1), new byte[] {1, 2, 3});
        assertThatThrownBy(store::latestManifest).isInstanceOf(IllegalArgumentException.class);
    }
}
