package io.cairn.mysql.fuzz;

import io.cairn.mysql.fuzz.FuzzCase.Category;
import io.cairn.mysql.fuzz.FuzzReport.Finding;
import io.cairn.node.testing.Wait;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Runs seeded fuzz cases ({@link FuzzKind}) against a MySQL port and checks, after every case, that
 * a new client logs in and runs {@code SELECT 1} within {@value #LIVENESS_MILLIS} ms, that a session
 * open since the start still works (every {@value #LONG_LIVED_EVERY} cases), and the target's
 * invariants. Meanwhile it watches that stalled connections get closed by the server in time, and
 * records every WARNING or SEVERE log record of the server (an exception escaped a handler) and every
 * uncaught exception (a thread died).
 *
 * <p>Findings: CRASH (the port stopped accepting or greeting, a thread died, an Error was logged),
 * LIVENESS (a new login or the long-lived session failed or was slow, an invariant broke), HANG (no
 * answer and no close in time, a stalled connection held past the server's timeout, connections not
 * released at the end), WRONG_ANSWER (an answer the protocol does not allow there, an error code or
 * SQLSTATE that is not MySQL's), INTERNAL_ERROR (a WARNING/SEVERE log record).
 *
 * <p>System properties: {@value #SEED} (replay a run), {@value #CASES} (how many cases),
 * {@value #REPLAY} ({@code KIND:seed}, run only that case, as printed with a finding).
 */
public final class WireFuzzer {
    /** How long after the server's write timeout a client that stopped reading starts reading to see the close. */
    private static final long NOT_READING_GRACE_MILLIS = 4_000;

    public static final String SEED = "cairn.fuzz.seed";
    public static final String CASES = "cairn.fuzz.cases";
    public static final String REPLAY = "cairn.fuzz.replay";
    /** Seconds a run may take before it stops with a finding (a server that hangs must not hang the build). */
    public static final String BUDGET = "cairn.fuzz.budget-seconds";
    public static final long LIVENESS_MILLIS = 2_000;
    public static final int LONG_LIVED_EVERY = 10;

    private final FuzzTarget target;
    private final FuzzReport report;
    private final ExecutorService watchers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fuzz-watch");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fuzz-timer");
        t.setDaemon(true);
        return t;
    });
    private final List<Future<?>> watches = new ArrayList<>();
    private final List<LogRecord> logged = new ArrayList<>();
    private Connection longLived;
    private FuzzKind currentKind;
    private long currentSeed;

    private WireFuzzer(FuzzTarget target, long seed) {
        this.target = target;
        this.report = new FuzzReport(target.name(), seed);
    }

    /** Makes Netty log through java.util.logging, where the run sees it; call before the servers start. */
    public static void routeNettyLogging() {
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    }

    /**
     * Runs {@code defaultCases} cases (or {@value #CASES}) with a random seed (or {@value #SEED}), prints
     * the seed first and the summary last, and returns the report (the caller asserts on it).
     */
    public static FuzzReport run(FuzzTarget target, int defaultCases) {
        long seed = Long.getLong(SEED, new SecureRandom().nextLong());
        int cases = Integer.getInteger(CASES, defaultCases);
        System.out.println("wire fuzz of " + target.name() + ": seed " + seed + ", " + cases
                + " cases (replay the run with -D" + SEED + "=" + seed + ")");
        WireFuzzer fuzzer = new WireFuzzer(target, seed);
        fuzzer.runAll(seed, cases);
        System.out.println(fuzzer.report.summary());
        return fuzzer.report;
    }

    private void runAll(long seed, int cases) {
        long start = System.nanoTime();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue() && r.getLoggerName() != null
                        && (r.getLoggerName().startsWith("io.cairn") || r.getLoggerName().startsWith("io.netty"))
                        && !expected(r)) {
                    synchronized (logged) {
                        logged.add(r);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> report.add(new Finding(Category.CRASH, currentKind,
                currentSeed, "thread " + t.getName() + " died: " + e)));
        try {
            longLived = jdbc();
            String replay = System.getProperty(REPLAY);
            if (replay != null && !replay.isBlank()) {
                int colon = replay.indexOf(':');
                runCase(FuzzKind.valueOf(replay.substring(0, colon).trim()), Long.parseLong(replay.substring(colon + 1).trim()), 0);
            } else {
                Random master = new Random(seed);
                FuzzKind[] kinds = FuzzKind.values();
                int totalWeight = 0;
                for (FuzzKind k : kinds) {
                    totalWeight += k.weight;
                }
                long budget = start + TimeUnit.SECONDS.toNanos(Long.getLong(BUDGET, 240));
                for (int i = 0; i < cases; i++) {
                    FuzzKind kind = i < kinds.length ? kinds[i] : weighted(master, kinds, totalWeight);
                    runCase(kind, master.nextLong(), i);
                    if (System.nanoTime() > budget) {
                        report.add(new Finding(Category.HANG, null, 0, "the run went over its budget of "
                                + Long.getLong(BUDGET, 240) + " s and stopped after " + (i + 1) + " of " + cases
                                + " cases: the server answers too slowly or not at all"));
                        break;
                    }
                }
            }
            awaitWatches();
            checkGauges();
            checkLongLived();
            drainLogs();
        } catch (SQLException e) {
            throw new AssertionError("the target " + target.name() + " does not serve SQL: " + e, e);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
            root.removeHandler(capture);
            watchers.shutdownNow();
            timer.shutdownNow();
            closeQuietly(longLived);
            report.finished((System.nanoTime() - start) / 1_000_000);
        }
    }

    private static FuzzKind weighted(Random r, FuzzKind[] kinds, int totalWeight) {
        int x = r.nextInt(totalWeight);
        for (FuzzKind k : kinds) {
            x -= k.weight;
            if (x < 0) {
                return k;
            }
        }
        throw new IllegalStateException();
    }

    private final FuzzCase.Sink sink = new FuzzCase.Sink() {
        @Override
        public void report(FuzzKind kind, long seed, Category category, String detail) {
            report.add(new Finding(category, kind, seed, detail));
        }

        @Override
        public void watchClose(FuzzKind kind, long seed, WireClient client, long serverTimeoutMillis, boolean read) {
            long limit = serverTimeoutMillis + FuzzCase.SLACK_MILLIS;
            String what = read ? "a stalled connection" : "a connection that stopped reading";
            Runnable check = () -> {
                long waited = read ? limit : limit - serverTimeoutMillis - NOT_READING_GRACE_MILLIS;
                if (!client.awaitClose(waited)) {
                    report(kind, seed, Category.HANG, what + " was still open " + limit + " ms later (the server's"
                            + " timeout: " + serverTimeoutMillis + " ms)");
                }
                client.abort();
            };
            synchronized (watches) {
                if (read) {
                    watches.add(watchers.submit(check));
                } else {
                    // not read until the server's timeout is over: then read to see whether it closed. The
                    // server's timer starts only once its buffers are full, which on a loaded machine comes
                    // seconds after the case began; reading earlier makes the client a reading one again and
                    // the server rightly keeps it (ProxyWireFuzzIT reported HANGs at load 8-16 on 2 cores)
                    watches.add(timer.schedule(() -> watchers.submit(check),
                            serverTimeoutMillis + NOT_READING_GRACE_MILLIS, TimeUnit.MILLISECONDS));
                }
            }
        }
    };

    private void runCase(FuzzKind kind, long seed, int index) {
        currentKind = kind;
        currentSeed = seed;
        FuzzCase c = new FuzzCase(target, kind, seed, sink);
        try {
            kind.body.run(c);
        } catch (FuzzCase.Abort e) {
            // reported already
        } catch (SocketTimeoutException e) {
            c.report(Category.HANG, "the case's I/O timed out: " + e.getMessage());
        } catch (ConnectException e) {
            c.report(acceptsLogins() == null ? Category.LIVENESS : Category.CRASH, "cannot connect: " + e.getMessage());
        } catch (IOException e) {
            if (!c.closeAllowed) {
                c.report(Category.WRONG_ANSWER, "the server dropped a connection it should have kept: " + e);
            }
        } finally {
            c.finish();
            report.ran(kind, c.connections());
        }
        // the invariants first: the liveness login may repair what they look at (a CN marked down)
        for (FuzzTarget.Invariant inv : target.invariants()) {
            String problem = inv.problem().get();
            if (problem != null) {
                c.report(Category.LIVENESS, inv.name() + ": " + problem);
            }
        }
        checkLiveness(c);
        if (index % LONG_LIVED_EVERY == 0) {
            checkLongLived();
        }
        drainLogs();
    }

    /** A new client logs in and runs SELECT 1 within the limit. */
    private void checkLiveness(FuzzCase c) {
        report.livenessChecked();
        long t0 = System.nanoTime();
        try (Connection conn = jdbc(); Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            if (!rs.next() || rs.getInt(1) != 1) {
                c.report(Category.LIVENESS, "SELECT 1 of a new session did not return 1");
            }
        } catch (SQLException e) {
            String crash = acceptsLogins();
            c.report(crash == null ? Category.LIVENESS : Category.CRASH, "a new login + SELECT 1 failed: " + e
                    + (crash == null ? "" : "; " + crash));
            return;
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (ms > LIVENESS_MILLIS) {
            c.report(Category.LIVENESS, "a new login + SELECT 1 took " + ms + " ms");
        }
    }

    private void checkLongLived() {
        try (Statement s = longLived.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            if (!rs.next() || rs.getInt(1) != 1) {
                sink.report(currentKind, currentSeed, Category.LIVENESS, "the long-lived session's SELECT 1 did not return 1");
            }
        } catch (SQLException e) {
            sink.report(currentKind, currentSeed, Category.LIVENESS, "the long-lived session failed: " + e);
            closeQuietly(longLived);
            try {
                longLived = jdbc();
            } catch (SQLException again) {
                sink.report(currentKind, currentSeed, Category.LIVENESS, "cannot open a session: " + again);
            }
        }
    }

    /** Null when the port greets a new connection; else what is wrong (the server is dead or stuck). */
    private String acceptsLogins() {
        try (WireClient w = WireClient.connect(target.host(), target.port(), 1000)) {
            w.readGreeting(LIVENESS_MILLIS);
            return null;
        } catch (ConnectException e) {
            return "the port refuses connections: " + e.getMessage();
        } catch (SocketTimeoutException e) {
            return "the port accepts but does not greet within " + LIVENESS_MILLIS + " ms";
        } catch (IOException e) {
            return e.getMessage().contains("1040") ? null : "no greeting: " + e.getMessage();
        }
    }

    private Connection jdbc() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", target.user());
        p.setProperty("password", target.password());
        p.setProperty("connectTimeout", Long.toString(LIVENESS_MILLIS));
        p.setProperty("socketTimeout", Long.toString(LIVENESS_MILLIS));
        p.setProperty("sslMode", "DISABLED");
        return DriverManager.getConnection(target.jdbcUrl(), p);
    }

    private void awaitWatches() {
        List<Future<?>> all;
        synchronized (watches) {
            all = new ArrayList<>(watches);
        }
        // every watch ends by itself within its server timeout plus slack (a minute at most)
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        for (Future<?> f : all) {
            try {
                Object inner = f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (inner instanceof Future<?> submitted) {
                    submitted.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            } catch (Exception e) {
                throw new IllegalStateException("a close watch failed", e);
            }
        }
    }

    /** Once every fuzz client is gone, the open-connection counts fall back to idle (nothing leaked). */
    private void checkGauges() {
        for (FuzzTarget.Gauge g : target.gauges()) {
            boolean idle;
            try {
                idle = Wait.within(Duration.ofSeconds(10), () -> g.value().getAsInt() <= g.idle()); // polled: no event
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!idle) {
                int v = g.value().getAsInt();
                report.add(new Finding(Category.HANG, null, 0, g.name() + " is " + v + " 10 s after the last fuzz client"
                        + " left (idle: " + g.idle() + "): connections leaked"));
            }
        }
    }

    /**
     * Netty's line when it closes a TLS connection whose close_notify it could not send within its flush timeout:
     * what a server must do to a client that stopped reading (NOT_READING over TLS), not an internal error.
     */
    private static boolean expected(LogRecord r) {
        return r.getLoggerName().equals("io.netty.handler.ssl.SslHandler") && r.getMessage() != null
                && r.getMessage().contains("Last write attempt timed out; force-closing the connection");
    }

    private void drainLogs() {
        List<LogRecord> records;
        synchronized (logged) {
            records = new ArrayList<>(logged);
            logged.clear();
        }
        for (LogRecord r : records) {
            Throwable t = r.getThrown();
            boolean fatal = t instanceof Error || t != null && t.getCause() instanceof Error;
            String text = r.getLoggerName() + " " + r.getLevel() + ": " + format(r) + (t == null ? "" : " — " + t);
            report.add(new Finding(fatal ? Category.CRASH : Category.INTERNAL_ERROR, currentKind, currentSeed, text));
        }
    }

    private static String format(LogRecord r) {
        String m = r.getMessage();
        Object[] params = r.getParameters();
        if (m != null && params != null && params.length > 0) {
            try {
                m = java.text.MessageFormat.format(m, params);
            } catch (IllegalArgumentException e) {
                // keep the raw message
            }
        }
        return m;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // the session is gone either way
            }
        }
    }
}
