package io.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.log.LogEntry;
import io.cairn.data.testing.InProcessCluster;
import io.cairn.log.impl.LogCluster;
import io.cairn.node.testing.Wait;
import io.cairn.txn.SnapshotTooOldException;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.WriteConflictException;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.node.TransactionNode;
import io.cairn.txn.record.CommitRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Bank transfers from 16 clients between 100 accounts over two CNs and two TNs on a real 3-peer
 * Ratis log with checkpoints on six real S3 endpoints (S3Proxy, 4+2 erasure coding; {@link InProcessCluster}),
 * while in turn
 * the log leader is killed and restarted, one S3 endpoint stops, the active TN dies and a standby
 * takes over, and one CN dies and a new one starts from a checkpoint the new TN wrote with the S3
 * endpoint still down, and the CNs move onto each newer checkpoint as it appears: the total never
 * changes in any snapshot, every acknowledged transfer is in the final balances (read over the
 * latest checkpoint), no commit is applied twice, and every log peer ends with the same entries.
 */
class FailoverIT {
    private static final long TABLE = 7;
    private static final int ACCOUNTS = Bank.ACCOUNTS;
    private static final long INITIAL = Bank.INITIAL;

    @Test
    void bankSurvivesLogLeaderTransactionNodeAndComputeNodeFailures() throws Exception {
        try (InProcessCluster cluster = InProcessCluster.builder().logPeers(3).tns(2).cns(2).storage(4, 2).build()) {
            CheckpointStore checkpoints = cluster.checkpoints();
            // which CN each half of the clients uses: the second half moves to a replacement CN below
            List<Integer> cnOfSlot = new CopyOnWriteArrayList<>(List.of(0, 1));
            AtomicLongArray expected = Bank.open(cluster.cn(0), TABLE);
            AtomicLong acknowledged = new AtomicLong();
            AtomicLong unknown = new AtomicLong();
            AtomicLong badTotals = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService clients = Executors.newFixedThreadPool(16);
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                int slot = c % 2;
                Random random = new Random(c);
                workers.add(clients.submit(() -> {
                    while (!stop.get()) {
                        transfer(cluster.cn(cnOfSlot.get(slot)), random, expected, acknowledged, unknown, badTotals);
                    }
                    return null;
                }));
            }

            awaitMore(acknowledged, 30);
            int leader = cluster.waitForLeader();
            cluster.killLogPeer(leader);
            awaitMore(acknowledged, 30);
            cluster.restartLogPeer(leader, true);
            cluster.stopStorage(5);
            int active = cluster.waitForActiveTn();
            cluster.killTn(active);
            awaitMore(acknowledged, 30);
            // A CN dies; its clients move to a new CN that starts from a checkpoint of the new TN.
            TransactionNode successor = cluster.tn(cluster.waitForActiveTn());
            Wait.until("a checkpoint of the new TN", InProcessCluster.WAIT,
                    () -> checkpoints.latestManifest().map(m -> m.epoch() == successor.epoch()).orElse(false));
            int replacement = cluster.addCn();
            cnOfSlot.set(1, replacement);
            cluster.killCn(1);
            awaitMore(acknowledged, 30);
            cluster.startStorage(5);
            stop.set(true);
            for (Future<?> worker : workers) {
                worker.get();
            }
            clients.shutdown();

            List<DataNode> cns = List.of(cluster.cn(0), cluster.cn(replacement));
            Wait.until("every CN reads the latest checkpoint", InProcessCluster.WAIT, () -> cns.stream().allMatch(cn -> {
                String latest = checkpoints.latestManifest().map(Manifest::objectKey).orElse("none");
                return latest.equals(cn.checkpointInUse());
            }));
            assertThat(badTotals.get()).as("snapshots with a wrong total").isZero();
            assertThat(unknown.get()).as("commits with an unknown outcome").isZero();
            for (DataNode cn : cns) {
                Transaction check = cn.begin(Isolation.REPEATABLE_READ);
                long total = 0;
                for (int i = 0; i < ACCOUNTS; i++) {
                    long balance = Bank.amount(check.get(Bank.account(TABLE, i)));
                    assertThat(balance).as("account %d", i).isEqualTo(expected.get(i));
                    total += balance;
                }
                assertThat(total).isEqualTo(ACCOUNTS * INITIAL);
            }
            // no TN, no more checkpoints: every peer's log is truncated at the same point when they are compared
            for (int i = 0; i < cluster.tnCount(); i++) {
                cluster.killTn(i);
            }
            LogCluster logs = cluster.logs().orElseThrow();
            logs.waitUntilApplied(logs.newClient().commitIndex());
            List<String> first = null;
            for (int peer = 0; peer < 3; peer++) {
                List<String> ids = commitIds(retained(logs, peer));
                assertThat(new HashSet<>(ids)).as("no commit twice on peer %d", peer).hasSameSizeAs(ids);
                if (first == null) {
                    first = ids;
                } else {
                    assertThat(ids).as("peer %d has the same commits", peer).isEqualTo(first);
                }
            }
            assertThat(first).as("commits still in the log (the rest are in checkpoints)")
                    .hasSizeLessThanOrEqualTo((int) acknowledged.get() + 1);
        }
    }

    private static void transfer(DataNode cn, Random random, AtomicLongArray expected, AtomicLong acknowledged,
            AtomicLong unknown, AtomicLong badTotals) {
        if (cn == null) {
            return; // killed after this client picked it: the client picks its CN again
        }
        Transaction t;
        try {
            t = cn.begin(Isolation.REPEATABLE_READ);
        } catch (DataUnavailableException e) {
            return; // no log majority for the read barrier right now: nothing happened, try again
        }
        long total = 0;
        for (int i = 0; i < ACCOUNTS; i++) {
            total += Bank.amount(t.get(Bank.account(TABLE, i)));
        }
        if (total != ACCOUNTS * INITIAL) {
            badTotals.incrementAndGet();
        }
        int from = random.nextInt(ACCOUNTS);
        int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        long sum = 1 + random.nextInt(20);
        t.put(Bank.account(TABLE, from), Bank.amount(Bank.amount(t.get(Bank.account(TABLE, from))) - sum));
        t.put(Bank.account(TABLE, to), Bank.amount(Bank.amount(t.get(Bank.account(TABLE, to))) + sum));
        try {
            t.commit();
            expected.addAndGet(from, -sum);
            expected.addAndGet(to, sum);
            acknowledged.incrementAndGet();
        } catch (WriteConflictException | SnapshotTooOldException e) {
            // retryable, nothing written
        } catch (TransactionNodeUnavailableException | DataUnavailableException e) {
            unknown.incrementAndGet();
        } catch (IllegalStateException e) {
            // the CN this transaction ran on was closed under it: the commit was never sent
        }
    }

    private static void awaitMore(AtomicLong acknowledged, long more) {
        long target = acknowledged.get() + more;
        Wait.until(more + " more acknowledged transfers", Duration.ofSeconds(60), () -> acknowledged.get() >= target);
    }

    /** The entries a peer still holds: from the truncation point (the rest is in checkpoints). */
    private static List<LogEntry> retained(LogCluster logs, int peer) {
        try {
            return logs.readAll(peer, 1);
        } catch (io.cairn.log.LogTruncatedException e) {
            return logs.readAll(peer, e.firstAvailableLsn());
        }
    }

    private static List<String> commitIds(List<LogEntry> entries) {
        List<String> ids = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (LogEntry entry : entries) {
            if (entry.kind() == LogEntry.Kind.DATA && seen.add(entry.lsn())) {
                for (byte[] record : entry.records()) {
                    if (CommitRecord.isCommitRecord(record)) {
                        ids.add(CommitRecord.decode(record).txnId());
                    }
                }
            }
        }
        return ids;
    }
}
