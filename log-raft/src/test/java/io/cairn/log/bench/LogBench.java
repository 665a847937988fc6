package io.cairn.log.bench;

import io.cairn.log.LogService;
import io.cairn.log.impl.LogCluster;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.impl.RatisMetricRegistryImpl;
import org.apache.ratis.thirdparty.com.codahale.metrics.Timer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Log append benchmark (not a test): a 3-peer in-process group on the local disk; appends/s and
 * latency percentiles of 200-byte records with 1, 16 and 64 concurrent appenders, and the raw
 * 4 KiB write+fsync rate of the same disk. After the single-appender phase it prints where one append's
 * time goes, from the Ratis timers of the three peers (medians; see {@link #stages}). Properties: {@code bench.seconds} (10 per phase),
 * {@code bench.dir} (data directory root; the exec plugin sets {@code log-raft/target/bench}).
 *
 * <pre>mvn -q -pl log-raft test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.cairn.log.bench.LogBench</pre>
 */
public final class LogBench {
    private static final int RECORD_BYTES = 200;
    private static final int[] PHASES = {1, 16, 64};

    private LogBench() {
    }

    /** Result of one phase. */
    private record Phase(int appenders, long appends, double seconds, double p50Ms, double p99Ms) {
        double throughput() {
            return appends / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        quietLogging();
        int seconds = Integer.getInteger("bench.seconds", 10);
        Path dir = Path.of(System.getProperty("bench.dir", "target/bench")).toAbsolutePath();
        Files.createDirectories(dir);

        double fsyncMs = fsyncLatencyMs(dir, Duration.ofSeconds(Math.max(2, seconds / 3)));
        List<Phase> phases = new ArrayList<>();
        try (LogCluster cluster = LogCluster.builder().peers(3).baseDir(dir)
                .electionTimeout(Duration.ofSeconds(1)).appendTimeout(Duration.ofSeconds(5)).build()) {
            // Appenders share the leader's JVM, as the active TN does (it pulls the leadership to its
            // own log peer): appends skip the client RPC hop but still wait for a follower's fsync.
            int leader = cluster.waitForLeader();
            LogService log = cluster.newClientOn(leader);
            for (int appenders : PHASES) {
                run(log, appenders, Duration.ofSeconds(2)); // warm-up
                Phase p = run(log, appenders, Duration.ofSeconds(seconds));
                phases.add(p);
                System.out.printf(Locale.ROOT, "appenders=%d appends=%d appends/s=%.0f p50=%.3fms p99=%.3fms%n",
                        p.appenders(), p.appends(), p.throughput(), p.p50Ms(), p.p99Ms());
                if (appenders == 1) {
                    stages(LogCluster.id(leader), p.p50Ms());
                }
            }
        }
        System.out.printf(Locale.ROOT, "fsync 4KiB write+fdatasync on %s: %.0f/s, mean %.3fms%n", dir, 1000 / fsyncMs, fsyncMs);
        double speedup = phases.get(2).throughput() / phases.get(0).throughput();
        double p50VsFsync = phases.get(0).p50Ms() / fsyncMs;
        System.out.printf(Locale.ROOT, "log-append group-commit-speedup=%.1f p50-vs-fsync=%.2f%n", speedup, p50VsFsync);
        System.exit(0); // Ratis/gRPC leave non-daemon threads behind for a while
    }

    /**
     * Where a single append's time goes, from the Ratis timers (medians over the phase and its warm-up;
     * the timers of concurrent stages overlap, so the parts are read as nested, not summed):
     * <pre>
     * append p50 (this JVM, caller to caller)
     *   leader request: the leader's server from taking the request to its reply (clientWriteRequest)
     *     follower round trip: the leader's appender from sending the entry to a follower to its answer
     *       follower append: the follower from receiving the entry to its answer being ready
     *         fsync: the follower's log write + fdatasync (syncTime)
     * </pre>
     * What is left at each level is thread hand-offs and transport: caller to leader and back (client),
     * leader appending, waking its appenders, counting the majority and applying (leader), gRPC both ways
     * (transport), and the follower's queueing around its fsync (follower).
     */
    private static void stages(String leaderId, double p50Ms) {
        Map<String, Double> t = new TreeMap<>();
        for (RatisMetricRegistry r : MetricRegistries.global().getMetricRegistries()) {
            if (r instanceof RatisMetricRegistryImpl impl) {
                for (Map.Entry<String, Timer> e : impl.getDropWizardMetricRegistry().getTimers().entrySet()) {
                    if (e.getValue().getCount() > 0) {
                        t.put(e.getKey(), e.getValue().getSnapshot().getMedian() / 1e6);
                    }
                }
            }
        }
        double request = find(t, "server." + leaderId + "@", ".clientWriteRequest");
        double leaderSync = find(t, "log_worker." + leaderId + "@", ".syncTime");
        // The follower that answers first is the one that completes the majority.
        String fastest = null;
        double roundTrip = Double.NaN;
        for (Map.Entry<String, Double> e : t.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("ratis_grpc.log_appender." + leaderId + "@") && k.endsWith("_latency")
                    && !(e.getValue() >= roundTrip)) {
                roundTrip = e.getValue();
                fastest = k.substring(k.lastIndexOf('.') + 1, k.length() - "_latency".length());
            }
        }
        double followerAppend = find(t, "server." + fastest + "@", ".follower_append_entry_latency");
        double followerSync = find(t, "log_worker." + fastest + "@", ".syncTime");
        System.out.printf(Locale.ROOT, "  one append (appenders=1), medians: append %.3fms > leader request %.3f > round trip"
                        + " to %s %.3f > follower append %.3f > follower fsync %.3f; leader fsync %.3f (in parallel)%n",
                p50Ms, request, fastest, roundTrip, followerAppend, followerSync, leaderSync);
        System.out.printf(Locale.ROOT, "  differences of those medians (approximate): client %.3f, leader %.3f, transport"
                        + " %.3f, follower queueing %.3f, fsync %.3f%n",
                p50Ms - request, request - roundTrip, roundTrip - followerAppend, followerAppend - followerSync,
                followerSync);
    }

    /** The value of the one timer whose name contains {@code part} and ends with {@code suffix}, or NaN. */
    private static double find(Map<String, Double> timers, String part, String suffix) {
        return timers.entrySet().stream().filter(e -> e.getKey().contains(part) && e.getKey().endsWith(suffix))
                .mapToDouble(Map.Entry::getValue).findFirst().orElse(Double.NaN);
    }

    /** exec:java shares Maven's JVM, whose logging is set up already: apply the test logging config. */
    private static void quietLogging() throws IOException {
        try (var in = LogBench.class.getResourceAsStream("/logging.properties")) {
            if (in != null) {
                java.util.logging.LogManager.getLogManager().readConfiguration(in);
            }
        }
    }

    private static Phase run(LogService log, int appenders, Duration duration) throws InterruptedException {
        long[][] latencies = new long[appenders][];
        int[] counts = new int[appenders];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        long[] window = new long[2];
        for (int t = 0; t < appenders; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                byte[] record = new byte[RECORD_BYTES];
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long end = window[1];
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    log.append(List.of(record));
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = System.nanoTime() - t0;
                }
                latencies[id] = lat;
                counts[id] = n;
            }, "bench-appender-" + t);
            threads.add(th);
            th.start();
        }
        window[0] = System.nanoTime();
        window[1] = window[0] + duration.toNanos();
        start.countDown();
        for (Thread th : threads) {
            th.join(duration.toMillis() + 30_000);
        }
        double elapsed = (System.nanoTime() - window[0]) / 1e9;
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] all = new long[total];
        int k = 0;
        for (int t = 0; t < appenders; t++) {
            System.arraycopy(latencies[t], 0, all, k, counts[t]);
            k += counts[t];
        }
        Arrays.sort(all);
        return new Phase(appenders, total, elapsed, percentileMs(all, 0.50), percentileMs(all, 0.99));
    }

    private static double percentileMs(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
    }

    /** Mean latency of a sequential 4 KiB write followed by fdatasync, on a file in {@code dir}. */
    private static double fsyncLatencyMs(Path dir, Duration duration) throws IOException {
        Path file = dir.resolve("fsync-probe.dat");
        ByteBuffer block = ByteBuffer.allocate(4096);
        long n = 0;
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (System.nanoTime() < end) {
                block.clear();
                ch.write(block);
                ch.force(false);
                n++;
            }
        } finally {
            Files.deleteIfExists(file);
        }
        return (System.nanoTime() - t0) / 1e6 / n;
    }
}
