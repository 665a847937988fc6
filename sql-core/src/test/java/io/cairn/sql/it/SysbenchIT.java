package io.cairn.sql.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * sysbench (the Debian package, an unmodified libmysqlclient client) runs its OLTP read/write workload
 * against a CN: prepare, run over server-side prepared statements and over the text protocol, then
 * cleanup. One thread has no one to conflict with, so any error fails; with four threads sysbench
 * retries only write conflicts (1213) and stops on any other error.
 */
class SysbenchIT {
    private static final Pattern IGNORED = Pattern.compile("ignored errors:\\s+(\\d+)");
    private static final Pattern TRANSACTIONS = Pattern.compile("transactions:\\s+(\\d+)");

    private static SqlCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = SqlCluster.builder().cns(1).build();
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE sbtest");
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void oltpReadWritePrepareRunCleanup() throws Exception {
        Result prepare = sysbench("prepare", 1, "auto");
        assertThat(prepare.exit).as("prepare:%n%s", prepare.output).isZero();
        try (Connection c = cluster.connect(0, "sbtest"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(k) > 0 FROM sbtest2")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(1000);
            assertThat(rs.getBoolean(2)).isTrue();
        }

        Result alone = sysbench("run", 1, "disable");
        assertThat(alone.exit).as("run, 1 thread, text protocol:%n%s", alone.output).isZero();
        assertThat(alone.count(TRANSACTIONS)).as(alone.output).isPositive();
        assertThat(alone.count(IGNORED)).as("errors without concurrency:%n%s", alone.output).isZero();

        Result concurrent = sysbench("run", 4, "auto");
        assertThat(concurrent.exit).as("run, 4 threads, prepared statements:%n%s", concurrent.output).isZero();
        assertThat(concurrent.count(TRANSACTIONS)).as(concurrent.output).isPositive();
        // every transaction keeps 1000 rows per table: DELETE and INSERT of one id go together
        try (Connection c = cluster.connect(0, "sbtest"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sbtest1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(1000);
        }

        Result cleanup = sysbench("cleanup", 1, "auto");
        assertThat(cleanup.exit).as("cleanup:%n%s", cleanup.output).isZero();
        try (Connection c = cluster.connect(0, "sbtest"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW TABLES")) {
            assertThat(rs.next()).as("tables left after cleanup").isFalse();
        }
    }

    private record Result(int exit, String output) {
        long count(Pattern p) {
            Matcher m = p.matcher(output);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }
    }

    private Result sysbench(String command, int threads, String psMode) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("timeout", "120", "sysbench", "oltp_read_write", "--db-driver=mysql",
                "--mysql-host=127.0.0.1", "--mysql-port=" + cluster.port(0), "--mysql-user=root", "--mysql-password=",
                "--mysql-db=sbtest", "--tables=2", "--table-size=1000", "--threads=" + threads, "--time=8",
                "--rand-type=uniform", "--db-ps-mode=" + psMode, command));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("sysbench is not installed (Debian package sysbench; .ci/run installs it)", e);
        }
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
            }
        }
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("sysbench %s finished", command).isTrue();
        return new Result(p.exitValue(), out.toString());
    }
}
