package io.cairn.chaos;

import io.cairn.node.testing.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;

/**
 * One chaos run: the workloads run through the proxies the whole time; every cycle injects a fault
 * (kinds in turn), holds it, heals it and waits for recovery (every server ready, a commit begun after
 * the fault acknowledged); then the workloads stop and their final checks run. RTO of a cycle = fault →
 * the first acknowledged commit that began after it.
 */
final class ChaosRun {
    /** Per worker: at most one operation per this many ms, so the load leaves the 2-core machine usable. */
    private static final long PACE_MS = 20;
    private static final Duration RECOVERY = Duration.ofMinutes(5);
    private static final Duration CHECK = Duration.ofMinutes(3);
    /** After recovery, how long every client gets to complete an operation before the next fault. */
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final CairnCluster cluster;
    private final List<FaultKind> faults;
    private final int cycles;
    private final Duration hold;
    private final FaultInjector injector;
    private final Observations obs = new Observations();
    private final List<String> timeline = new ArrayList<>();
    /** Per client (worker thread): when it last completed an operation. */
    private final AtomicLongArray lastSuccess;
    private final List<Workload> workloads;
    /** When this file exists, no further cycle starts: the run goes on to its final checks and report. */
    private Path stopFile;
    private FaultTrace trace = new FaultTrace(null);

    ChaosRun(CairnCluster cluster, List<FaultKind> faults, int cycles, Duration hold, long seed) {
        this.cluster = cluster;
        this.faults = List.copyOf(faults);
        this.cycles = cycles;
        this.hold = hold;
        this.injector = new FaultInjector(cluster, seed);
        this.workloads = List.of(new BankWorkload(obs, 16, 3), new SetWorkload(obs, 2), new RegisterWorkload(obs, 2));
        this.lastSuccess = new AtomicLongArray(workloads.stream().mapToInt(Workload::clients).sum());
    }

    /**
     * Lets an operator end a long run early but cleanly: once {@code file} exists, the run injects no
     * further fault, checks everything it acknowledged and reports the cycles it ran (the timeline says
     * where it stopped).
     */
    ChaosRun stopWhenExists(Path file) {
        this.stopFile = file;
        return this;
    }

    /** Writes every client operation during each fault to {@code file} (see {@link FaultTrace}). */
    ChaosRun traceTo(Path file) {
        this.trace = new FaultTrace(file);
        return this;
    }

    Observations observations() {
        return obs;
    }

    List<String> timeline() {
        return timeline;
    }

    void run() throws IOException, InterruptedException {
        setUp();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        int rotation = 0;
        for (Workload w : workloads) {
            for (int i = 0; i < w.clients(); i++) {
                int worker = rotation++;
                Client client = new Client(cluster, worker, "chaos");
                int index = i;
                Thread t = new Thread(() -> drive(w, index, worker, client, stop), "chaos-" + w.name() + "-" + i);
                t.setDaemon(true);
                workers.add(t);
                t.start();
            }
        }
        try {
            waitFor("the first commits", Duration.ofMinutes(2), () -> total(obs) > 0);
            int[] perKind = new int[FaultKind.values().length];
            for (int c = 0; c < cycles; c++) {
                if (stopFile != null && Files.exists(stopFile)) {
                    log("stopped after " + c + " of " + cycles + " cycles: " + stopFile + " exists");
                    break;
                }
                FaultKind kind = faults.get(c % faults.size());
                cycle(c, kind, perKind[kind.ordinal()]++);
            }
        } finally {
            stop.set(true);
            for (Thread t : workers) {
                t.join(Duration.ofSeconds(30).toMillis());
            }
        }
        check();
    }

    private void cycle(int c, FaultKind kind, int ofKind) throws IOException, InterruptedException {
        FaultInjector.Target target = injector.choose(kind, ofKind);
        log("cycle " + (c + 1) + "/" + cycles + ": " + kind.label() + " " + target.describe(kind));
        long start = System.nanoTime();
        obs.faultInjecting(kind);
        injector.inject(kind, target);
        obs.faultInEffect();
        trace.begin(System.nanoTime());
        // the fault lasts the hold time whether or not commits already resumed around it: a duration, not a wait
        Thread.sleep(hold.toMillis());
        injector.heal(kind, target);
        long healed = System.nanoTime();
        boolean recovered = Wait.within(RECOVERY, () -> allReady() && obs.rtoSeconds() >= 0);
        double rto = obs.rtoSeconds();
        if (!recovered) {
            obs.violation(kind.label(), "cycle " + (c + 1) + " (" + kind.label() + " " + target.describe(kind)
                    + "): not recovered within " + RECOVERY.toSeconds() + " s after healing"
                    + (rto < 0 ? ", no commit since the fault" : ", a server is not ready"));
        }
        obs.rto(kind, rto < 0 ? (System.nanoTime() - start) / 1e9 : rto);
        // errors of sessions the fault left hanging (socket timeouts) still count towards this fault
        if (!Wait.within(SETTLE, () -> everyClientSucceededSince(healed))) {
            log("cycle " + (c + 1) + ": not every client completed an operation within " + SETTLE.toSeconds()
                    + " s after recovery");
        }
        obs.recovered();
        String outcome = String.format("cycle %d/%d: %s healed; RTO %.2f s, recovered in %.1f s", c + 1, cycles,
                kind.label(), rto, (System.nanoTime() - start) / 1e9);
        trace.end(CLOCK.format(LocalTime.now()) + " cycle " + (c + 1) + ": " + kind.label() + " "
                + target.describe(kind) + ", held " + hold.toSeconds() + " s; RTO " + String.format("%.2f s", rto));
        log(outcome);
    }

    private boolean allReady() {
        for (int i = 1; i <= cluster.servers(); i++) {
            if (!cluster.ready(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean everyClientSucceededSince(long nanos) {
        for (int i = 0; i < lastSuccess.length(); i++) {
            if (lastSuccess.get(i) - nanos < 0) {
                return false;
            }
        }
        return true;
    }

    private void drive(Workload w, int index, int worker, Client client, AtomicBoolean stop) {
        try (client) {
            while (!stop.get()) {
                long began = System.nanoTime();
                String proxy = client.proxy();
                try {
                    w.step(index, client);
                    long now = System.nanoTime();
                    lastSuccess.set(worker, now);
                    trace.op(w.name() + "-" + index, proxy != null ? proxy : client.proxy(), began, now, null);
                } catch (SQLException e) {
                    obs.error(e);
                    trace.op(w.name() + "-" + index, proxy != null ? proxy : client.proxy(), began, System.nanoTime(), e);
                    client.reset(); // the next operation starts on a fresh session, maybe through another proxy
                }
                long left = PACE_MS - (System.nanoTime() - began) / 1_000_000;
                if (left > 0) {
                    Thread.sleep(left); // the client's pace (an operation per PACE_MS at most), not a wait
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            obs.violation(obs.phase(), w.name() + " client " + index + " crashed: " + e);
        }
    }

    private void setUp() throws InterruptedException {
        Client client = new Client(cluster, 0, "");
        // a freshly started cluster may still be settling its TN lease: repeated until it passes
        waitFor("the chaos tables", RECOVERY, () -> {
            try (Statement s = client.connection().createStatement()) {
                s.execute("CREATE DATABASE IF NOT EXISTS chaos");
                s.execute("USE chaos");
                for (Workload w : workloads) {
                    w.setUp(client.connection());
                }
                return true;
            } catch (SQLException e) {
                log("setting up: " + e.getErrorCode() + " " + e.getMessage());
                client.reset();
                return false;
            }
        });
        client.close();
    }

    private void check() throws InterruptedException {
        for (Workload w : workloads) {
            Client client = new Client(cluster, 0, "chaos");
            waitFor("the final check of " + w.name(), CHECK, () -> {
                try {
                    Connection c = client.connection();
                    w.check(c);
                    return true;
                } catch (SQLException e) {
                    log("checking " + w.name() + ": " + e.getErrorCode() + " " + e.getMessage());
                    client.reset();
                    return false;
                }
            });
            client.close();
        }
    }

    private static long total(Observations obs) {
        return obs.phases().values().stream().mapToLong(p -> p.acknowledged).sum();
    }

    /** An exception, not an AssertionError: {@link Chaos} reports a run that stopped early by catching it. */
    private static void waitFor(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        if (!Wait.within(timeout, condition)) {
            throw new IllegalStateException("chaos: gave up waiting for " + what + " after " + timeout.toSeconds() + " s");
        }
    }

    private void log(String text) {
        String line = text.lines().findFirst().orElse(""); // a driver message's first line says what happened
        synchronized (timeline) {
            timeline.add(LocalTime.now().format(CLOCK) + " " + line);
        }
        System.out.println("chaos: " + line);
    }
}
