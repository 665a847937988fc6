package io.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.chaos.FreshFolder;
import io.cairn.node.testing.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A standby cluster, as an operator runs one with {@code bin/cairn}: a primary all-in-one server archiving its log
 * into a folder, backed up there, and a second all-in-one set up from that folder as its standby
 * ({@code bin/cairn standby up}). Both are real Liberty servers of their own (state folders under
 * {@code target/standby-it}, ports + 4100 and + 4150: clear of every other test's, among them the shared
 * {@link LocalCluster}'s S3 endpoints on 10001–10006, which stay up while the later tests run).
 */
class StandbyIT {
    private static final int PRIMARY = 4100;
    private static final int STANDBY = 4150;
    private static final String PRIMARY_URL = url(PRIMARY);
    private static final String STANDBY_URL = url(STANDBY);
    private static final String STANDBY_CONSOLE = "https://127.0.0.1:" + (9443 + STANDBY) + "/console/";
    private static final int SYSBENCH_TABLES = 4;

    private final Path repo = Path.of(System.getProperty("cairn.repo", "..")).toAbsolutePath().normalize();
    private final Path base = Path.of("target/standby-it").toAbsolutePath();
    private final Path primaryVar = base.resolve("primary");
    private final Path standbyVar = base.resolve("standby");
    private final Path archive = base.resolve("archive");

    private static String url(int offset) {
        return "jdbc:mysql://127.0.0.1:" + (6001 + offset) + "/?sslMode=DISABLED&connectTimeout=5000";
    }

    @AfterEach
    void stopBoth() throws Exception {
        BinCairn.run(repo, standbyVar, STANDBY, Duration.ofMinutes(1), "down");
        BinCairn.run(repo, primaryVar, PRIMARY, Duration.ofMinutes(1), "down");
    }

    /**
     * Under sysbench oltp_insert at 16 threads on the primary, a row committed there is readable on the standby
     * within 2 s (p99 of heartbeats acknowledged every 100 ms); the standby serves reads and refuses writes (1290).
     * A planned switchover (drain the primary, promote the standby) loses nothing: every table has the same
     * CHECKSUM TABLE on both sides. The promoted standby takes writes; the old primary refuses them (fenced through
     * the archive), also after a restart.
     */
    @Test
    void aStandbyFollowsUnderLoadAndAPlannedSwitchoverLosesNothingAndFencesTheOldPrimary() throws Exception {
        FreshFolder.recreate(base);
        Files.createDirectories(primaryVar);
        Files.createDirectories(standbyVar);
        Files.createDirectories(archive);
        Map<String, String> archiving = Map.of("CAIRN_BACKUP_ARCHIVE", archive.toString());
        BinCairn.run(repo, primaryVar, PRIMARY, Duration.ofMinutes(4), archiving, "up");
        execute(PRIMARY_URL, "CREATE DATABASE sbstandby", "CREATE DATABASE beat",
                "CREATE TABLE beat.beat (id BIGINT PRIMARY KEY, at_ms BIGINT NOT NULL)");
        sysbench(PRIMARY, "prepare", "--threads=4");
        BinCairn.run(repo, primaryVar, PRIMARY, Duration.ofMinutes(2), "backup", "create", archive.toString());
        String up = BinCairn.run(repo, standbyVar, STANDBY, Duration.ofMinutes(4), "standby", "up", archive.toString());
        assertThat(up).contains("standby: following of " + archive);

        // a fresh JVM plans its first statements slowly (seconds, on 2 busy cores): a standby runs long and warm
        for (int i = 0; i < 50; i++) {
            execute(PRIMARY_URL, "INSERT INTO beat.beat VALUES (" + (-1000 - i) + ", 0)");
            execute(STANDBY_URL, "SELECT MAX(id) FROM beat.beat");
        }
        List<Long> lagsMillis;
        try (Heartbeats beats = new Heartbeats()) {
            sysbench(PRIMARY, "run", "--threads=16", "--time=20");
            lagsMillis = beats.stop();
        }
        assertThat(lagsMillis).as("heartbeats seen on the standby").hasSizeGreaterThan(100);
        List<Long> sorted = lagsMillis.stream().sorted().toList();
        long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
        System.out.printf("standby lag under sysbench oltp_insert at 16 threads: p50 %d ms, p99 %d ms, max %d ms"
                + " over %d heartbeats%n", sorted.get(sorted.size() / 2), p99, sorted.get(sorted.size() - 1), sorted.size());
        assertThat(p99).as("standby lag p99 (ms) over %d heartbeats: %s", lagsMillis.size(), lagsMillis)
                .isLessThanOrEqualTo(2000);
        assertThat(count(STANDBY_URL, "sbstandby.sbtest1")).as("the standby serves reads").isPositive();
        assertThatThrownBy(() -> execute(STANDBY_URL, "INSERT INTO beat.beat VALUES (-1, 0)"))
                .as("the standby refuses writes").isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(1290));
        assertThat(BinCairn.run(repo, standbyVar, STANDBY, Duration.ofMinutes(1), "standby", "status"))
                .contains("standby: following of " + archive);
        assertThat(readOnly(STANDBY_URL)).as("@@read_only on the standby, as replicas are told apart").isEqualTo(1);
        assertThat(readOnly(PRIMARY_URL)).as("@@read_only on the primary").isZero();
        try (org.htmlunit.WebClient browser = consoleBrowser()) {
            org.htmlunit.html.HtmlPage page = browser.getPage(STANDBY_CONSOLE);
            Wait.until("the standby's console to show it following, its lag and the Promote button",
                    Duration.ofSeconds(30), () -> text(page, "standby-state").equals("FOLLOWING")
                            && text(page, "standby-lag").matches("\\d+\\.\\d s")
                            && !page.getElementById("standby-promote").hasAttribute("disabled"));
            assertThat(text(page, "standby-summary")).startsWith("This cluster is a standby");
            assertThat(text(page, "standby-archive")).isEqualTo(archive.toString());
            assertThat(text(page, "standby-applied")).startsWith("20");
        }

        BinCairn.run(repo, primaryVar, PRIMARY, Duration.ofMinutes(2), "standby", "drain");
        String promoted = BinCairn.run(repo, standbyVar, STANDBY, Duration.ofMinutes(2), "standby", "promote");
        assertThat(promoted).contains("this cluster takes writes");
        List<String> tables = new ArrayList<>(List.of("beat.beat"));
        for (int i = 1; i <= SYSBENCH_TABLES; i++) {
            tables.add("sbstandby.sbtest" + i);
        }
        try (org.htmlunit.WebClient browser = consoleBrowser()) {
            org.htmlunit.html.HtmlPage page = browser.getPage(STANDBY_CONSOLE);
            Wait.until("the standby's console to show the promotion", Duration.ofSeconds(30),
                    () -> text(page, "standby-state").equals("PROMOTED")
                            && text(page, "standby-promotion").startsWith("promoted at "));
            assertThat(page.getElementById("standby-promote-form").hasAttribute("hidden")).as("no Promote once promoted")
                    .isTrue();
        }
        for (String table : tables) {
            assertThat(checksum(STANDBY_URL, table)).as("CHECKSUM TABLE %s on the promoted standby", table)
                    .isEqualTo(checksum(PRIMARY_URL, table));
        }

        Wait.until("@@read_only 0 on the promoted standby", Duration.ofSeconds(10),
                Wait.checked(() -> readOnly(STANDBY_URL) == 0));
        execute(STANDBY_URL, "INSERT INTO beat.beat VALUES (-1, 0)");
        Path primaryLog = primaryVar.resolve("usr/servers/cairn/logs/messages.log");
        Wait.until("the old primary to see the promotion", Duration.ofSeconds(10),
                Wait.checked(() -> Files.readString(primaryLog).contains("CAIRN0127E")));
        BinCairn.run(repo, primaryVar, PRIMARY, Duration.ofMinutes(1), "standby", "undrain");
        assertThat(writeRefused(PRIMARY_URL)).as("the old primary, undrained, is fenced").isTrue();
        assertThat(readOnly(PRIMARY_URL)).as("@@read_only on the fenced old primary").isEqualTo(1);
        BinCairn.run(repo, primaryVar, PRIMARY, Duration.ofMinutes(1), "down");
        BinCairn.run(repo, primaryVar, PRIMARY, Duration.ofMinutes(4), archiving, "up");
        assertThat(writeRefused(PRIMARY_URL)).as("the old primary, restarted, is still fenced").isTrue();
    }

    /** The standby's admin console over HTTPS, trusting its self-signed certificate, logged in as the operator. */
    private org.htmlunit.WebClient consoleBrowser() throws java.io.IOException {
        org.htmlunit.WebClient browser = new org.htmlunit.WebClient();
        browser.getOptions().setCssEnabled(false);
        browser.getOptions().setThrowExceptionOnScriptError(true);
        browser.getOptions().setSSLContext(Http.tlsTrusting(standbyVar.resolve("https/admin-certificates.pem")));
        org.htmlunit.DefaultCredentialsProvider credentials = new org.htmlunit.DefaultCredentialsProvider();
        credentials.addCredentials("admin", Files.readString(standbyVar.resolve("admin-password")).trim().toCharArray());
        browser.setCredentialsProvider(credentials);
        return browser;
    }

    private static String text(org.htmlunit.html.HtmlPage page, String id) {
        synchronized (page) {
            return page.getElementById(id).asNormalizedText();
        }
    }

    /** Whether an insert on {@code url} is refused as on a read-only server (1290). */
    private static boolean writeRefused(String url) {
        try {
            execute(url, "INSERT INTO beat.beat VALUES (" + -System.nanoTime() + ", 0)");
            return false;
        } catch (SQLException e) {
            if (e.getErrorCode() != 1290) {
                throw new AssertionError("expected 1290, got " + e.getErrorCode() + ": " + e.getMessage(), e);
            }
            return true;
        }
    }

    private void sysbench(int offset, String command, String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of("sysbench", "oltp_insert", "--db-driver=mysql",
                "--mysql-host=127.0.0.1", "--mysql-port=" + (6001 + offset), "--mysql-user=root", "--mysql-password=",
                "--mysql-db=sbstandby", "--tables=" + SYSBENCH_TABLES, "--table-size=2000", "--db-ps-mode=auto"));
        line.addAll(List.of(args));
        line.add(command);
        Path out = base.resolve("sysbench-" + command + ".out");
        Process p = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("sysbench " + command + " did not finish");
        }
        assertThat(p.exitValue()).as("sysbench %s: %s", command, Files.readString(out)).isZero();
    }

    private static void execute(String url, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static long count(String url, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static long readOnly(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT @@global.read_only")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String checksum(String url, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("CHECKSUM TABLE " + table)) {
            r.next();
            assertThat(r.getString(2)).as("CHECKSUM TABLE %s", table).isNotNull();
            return r.getString(2);
        }
    }

    /**
     * A row into {@code beat.beat} on the primary every 100 ms, its acknowledgement time noted, and a reader on the
     * standby every 20 ms: the lag of a heartbeat is from its acknowledgement on the primary to the first read
     * that sees it on the standby (ids go up one by one, so the highest seen says which are there).
     */
    private static final class Heartbeats implements AutoCloseable {
        private final Map<Long, Long> acknowledgedAt = new ConcurrentHashMap<>();
        private final List<Long> lags = new ArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread writer = new Thread(this::write, "heartbeat-writer");
        private final Thread reader = new Thread(this::read, "heartbeat-reader");
        private volatile Throwable failure;

        Heartbeats() {
            writer.start();
            reader.start();
        }

        private void write() {
            try (Connection c = DriverManager.getConnection(PRIMARY_URL, "root", "");
                    PreparedStatement insert = c.prepareStatement("INSERT INTO beat.beat VALUES (?, ?)")) {
                for (long id = 1; running.get(); id++) {
                    insert.setLong(1, id);
                    insert.setLong(2, System.currentTimeMillis());
                    insert.executeUpdate();
                    acknowledgedAt.put(id, System.currentTimeMillis());
                    Thread.sleep(100);
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

        private void read() {
            long seen = 0;
            try (Connection c = DriverManager.getConnection(STANDBY_URL, "root", "");
                    PreparedStatement highest = c.prepareStatement("SELECT MAX(id) FROM beat.beat")) {
                while (running.get() || seen < acknowledgedAt.size()) {
                    long now;
                    long max;
                    try (ResultSet r = highest.executeQuery()) {
                        r.next();
                        max = r.getLong(1);
                        now = System.currentTimeMillis();
                    }
                    for (long id = seen + 1; id <= max; id++) {
                        Long acknowledged = acknowledgedAt.get(id); // null: seen before the writer noted it
                        synchronized (lags) {
                            lags.add(acknowledged == null ? 0 : Math.max(0, now - acknowledged));
                        }
                    }
                    seen = Math.max(seen, max);
                    Thread.sleep(20);
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

        /** Stops writing, waits for the reader to see the last heartbeat, and returns every lag in ms. */
        List<Long> stop() throws InterruptedException {
            running.set(false);
            writer.join(10_000);
            reader.join(30_000);
            if (failure != null) {
                throw new AssertionError("heartbeats failed: " + failure, failure);
            }
            synchronized (lags) {
                return new ArrayList<>(lags);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            writer.join(10_000);
            reader.join(10_000);
        }
    }
}
