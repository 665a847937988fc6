package io.cairn.data.bench;

import io.cairn.data.DataNode;
import io.cairn.data.Isolation;
import io.cairn.data.Transaction;
import io.cairn.log.LogService;
import io.cairn.log.impl.LogCluster;
import io.cairn.log.impl.RaftLogClient;
import io.cairn.txn.Key;
import io.cairn.txn.TransactionException;
import io.cairn.txn.TransactionService;
import io.cairn.txn.node.TransactionNode;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Commit benchmark (not a test): single-row transactions through the CN transaction API on a
 * 3-peer in-process Ratis log with two TNs, at 1, 16 and 64 clients; the single-append log
 * latency in the same run; and TN failover time under load (kill the active TN, seconds until the
 * next commit succeeds on the other). Properties: {@code bench.seconds} (10 per phase),
 * {@code bench.dir}, {@code bench.leader} (a peer id, {@code p1}..{@code p3}: move the log leadership
 * there before measuring; default: whichever peer won the election), {@code bench.cn-peer}
 * ({@code follower}, the default: the CN reads from a co-located follower, as two of three compute nodes
 * of a cluster do; {@code leader}; {@code none}: no co-located peer, reads go to the leader over RPC).
 * The TNs' log clients have no co-located peer. Each phase prints the log leader and the peer the CN
 * reads from.
 *
 * <pre>mvn -q -pl cn-data test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.cairn.data.bench.TxnBench</pre>
 */
public final class TxnBench {
    private static final int[] PHASES = {1, 16, 64};

    private TxnBench() {
    }

    private record Phase(int clients, long commits, double seconds, double p50Ms, double p99Ms) {
        double tps() {
            return commits / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        Logger.getLogger("").setLevel(Level.WARNING);
        Logger.getLogger("org.apache.ratis").setLevel(Level.SEVERE);
        int seconds = Integer.getInteger("bench.seconds", 10);
        Path dir = Path.of(System.getProperty("bench.dir", "target/bench")).toAbsolutePath();
        Files.createDirectories(dir);
        try (LogCluster logs = LogCluster.builder().peers(3).baseDir(dir).electionTimeout(Duration.ofSeconds(1))
                .appendTimeout(Duration.ofSeconds(5)).build()) {
            logs.waitForLeader();
            String wanted = System.getProperty("bench.leader");
            if (wanted != null && !wanted.isBlank()) {
                RaftLogClient admin = logs.newClient();
                admin.transferLeadership(wanted.strip());
                logs.waitUntil("log peer " + wanted + " leads", () -> wanted.strip().equals(leader(logs)));
            }
            System.out.printf(Locale.ROOT, "log leader=%s (bench.leader=%s)%n", leader(logs), wanted);
            List<TransactionNode> tns = new CopyOnWriteArrayList<>();
            for (String id : List.of("tn-a", "tn-b")) {
                TransactionNode tn = new TransactionNode(logs.newClient(), Clock.systemUTC(),
                        new TransactionNode.Settings(id, id, Duration.ofSeconds(1), Duration.ofSeconds(60),
                                Duration.ofSeconds(5)));
                tn.start();
                tns.add(tn);
            }
            Supplier<TransactionService> active = () -> tns.stream()
                    .filter(t -> t.state() == TransactionNode.State.ACTIVE).findFirst().orElse(tns.get(0));
            RaftLogClient cnLog = cnLogClient(logs, System.getProperty("bench.cn-peer", "follower").strip());
            try (DataNode cn = new DataNode(cnLog, active,
                    new DataNode.Settings("bench", Duration.ofSeconds(10), Duration.ofSeconds(20)))) {
                cn.start();
                LogService log = logs.newClient();
                double appendP50 = appendLatencyP50(log, Duration.ofSeconds(Math.max(2, seconds / 3)));
                System.out.printf(Locale.ROOT, "log single-append p50=%.3fms%n", appendP50);

                List<Phase> phases = new ArrayList<>();
                for (int clients : PHASES) {
                    run(cn, clients, Duration.ofSeconds(2));
                    Phase p = run(cn, clients, Duration.ofSeconds(seconds));
                    phases.add(p);
                    System.out.printf(Locale.ROOT, "clients=%d commits=%d tps=%.0f p50=%.3fms p99=%.3fms leader=%s"
                            + " cn-reads-from=%s%n", p.clients(), p.commits(), p.tps(), p.p50Ms(), p.p99Ms(), leader(logs),
                            cnLog.readPeer().orElse("none"));
                }
                double failover = failoverSeconds(cn, tns);
                System.out.printf(Locale.ROOT, "tn failover: %.2f s%n", failover);
                System.out.printf(Locale.ROOT, "txn commit-p50-vs-log-append=%.2f tps64=%.0f tn-failover-s=%.2f%n",
                        phases.get(0).p50Ms() / appendP50, phases.get(2).tps(), failover);
            } finally {
                tns.forEach(TransactionNode::close);
            }
        }
    }

    private static RaftLogClient cnLogClient(LogCluster logs, String where) {
        int leader = logs.waitForLeader();
        return switch (where) {
            case "follower" -> logs.newClientOn((leader + 1) % logs.size());
            case "leader" -> logs.newClientOn(leader);
            case "none" -> logs.newClient();
            default -> throw new IllegalArgumentException("bench.cn-peer: follower, leader or none, not " + where);
        };
    }

    /** The peer that leads the log now (as the peers themselves see it), or "none". */
    private static String leader(LogCluster logs) {
        for (int i = 0; i < logs.size(); i++) {
            String id = LogCluster.id(i);
            if (logs.isRunning(i) && logs.peer(i).status().map(s -> id.equals(s.leaderId())).orElse(false)) {
                return id;
            }
        }
        return "none";
    }

    private static double appendLatencyP50(LogService log, Duration duration) {
        byte[] record = new byte[200];
        List<Long> nanos = new ArrayList<>();
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            log.append(List.of(record));
            nanos.add(System.nanoTime() - start);
        }
        return percentile(nanos, 0.50);
    }

    private static Phase run(DataNode cn, int clients, Duration duration) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<List<Long>> latencies = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(clients);
        long started = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            List<Long> mine = new ArrayList<>();
            latencies.add(mine);
            int client = c;
            Thread thread = new Thread(() -> {
                long n = 0;
                while (!stop.get()) {
                    long start = System.nanoTime();
                    if (commitOne(cn, client, n++)) {
                        mine.add(System.nanoTime() - start);
                    }
                }
                done.countDown();
            });
            thread.setDaemon(true);
            thread.start();
        }
        Thread.sleep(duration.toMillis());
        stop.set(true);
        done.await();
        double seconds = (System.nanoTime() - started) / 1e9;
        List<Long> all = new ArrayList<>();
        latencies.forEach(all::addAll);
        return new Phase(clients, all.size(), seconds, percentile(all, 0.50), percentile(all, 0.99));
    }

    /** One single-row write transaction on the client's own row (no conflicts between clients). */
    private static boolean commitOne(DataNode cn, int client, long n) {
        try {
            Transaction t = cn.begin(Isolation.REPEATABLE_READ);
            t.put(Key.of(1, ByteBuffer.allocate(4).putInt(client).array()), ByteBuffer.allocate(8).putLong(n).array());
            t.commit();
            return true;
        } catch (TransactionException | io.cairn.data.DataUnavailableException e) {
            return false;
        }
    }

    private static double failoverSeconds(DataNode cn, List<TransactionNode> tns) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        Thread load = new Thread(() -> {
            long n = 0;
            while (!stop.get()) {
                commitOne(cn, 1000, n++);
            }
        });
        load.setDaemon(true);
        load.start();
        Thread.sleep(1000);
        TransactionNode active = tns.stream().filter(t -> t.state() == TransactionNode.State.ACTIVE).findFirst()
                .orElseThrow();
        tns.remove(active);
        long killed = System.nanoTime();
        active.close();
        while (!commitOne(cn, 2000, 0)) {
            Thread.sleep(10);
        }
        double seconds = (System.nanoTime() - killed) / 1e9;
        stop.set(true);
        load.join();
        return seconds;
    }

    private static double percentile(List<Long> nanos, double p) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }
}
