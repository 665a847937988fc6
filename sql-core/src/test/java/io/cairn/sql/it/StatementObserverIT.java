package io.cairn.sql.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's statement hook ({@code SqlEngine.observeStatements}) as a client drives it with Connector/J: one
 * report per statement, of the statement's Com_ kind (also for server-side prepared executes and failed
 * statements), and "other" for a kind outside the listed set, so a client cannot make up new kinds.
 */
class StatementObserverIT {
    static SqlCluster cluster;
    private static final List<String> kinds = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = SqlCluster.builder().cns(1).build();
        cluster.engine(0).observeStatements((kind, nanos) -> {
            assertThat(nanos).isPositive();
            synchronized (kinds) {
                kinds.add(kind);
            }
        });
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static List<String> reported() {
        synchronized (kinds) {
            List<String> copy = List.copyOf(kinds);
            kinds.clear();
            return copy;
        }
    }

    @Test
    void everyStatementIsReportedWithItsKind() throws SQLException {
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            reported(); // what Connector/J sent while connecting
            s.execute("CREATE DATABASE obs");
            s.execute("CREATE TABLE obs.t (id INT PRIMARY KEY, v INT)");
            s.executeUpdate("INSERT INTO obs.t VALUES (1, 10)");
            s.executeUpdate("UPDATE obs.t SET v = 11 WHERE id = 1");
            s.executeQuery("SELECT v FROM obs.t WHERE id = 1").close();
            assertThatThrownBy(() -> s.executeQuery("SELECT nope FROM obs.t")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.execute("FROBNICATE everything")).isInstanceOf(SQLException.class);
            s.executeUpdate("DELETE FROM obs.t WHERE id = 1");
            List<String> seen = reported();
            // (Connector/J sends statements of its own in between, e.g. SELECT @@session.transaction_read_only)
            assertThat(seen).containsSubsequence("create_db", "create_table", "insert", "update", "select", "select",
                    "other", "delete");
            assertThat(seen).filteredOn("other"::equals).hasSize(1);
            assertThat(seen).allSatisfy(kind -> assertThat(kind).matches("[a-z_]+")).doesNotContain("frobnicate");
        }
    }

    @Test
    void aServerPreparedExecuteIsReportedAsTheStatementItRuns() throws SQLException {
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS obs2");
            s.execute("CREATE TABLE IF NOT EXISTS obs2.t (id INT PRIMARY KEY)");
        }
        try (Connection c = java.sql.DriverManager.getConnection(cluster.mysqlUrl(0, "obs2") + "&useServerPrepStmts=true",
                "root", "")) {
            reported();
            try (PreparedStatement p = c.prepareStatement("INSERT INTO t VALUES (?)")) {
                p.setInt(1, 1);
                p.executeUpdate();
                p.setInt(1, 2);
                p.executeUpdate();
            }
            assertThat(reported()).containsExactly("insert", "insert");
        }
    }

    /** {@code mariadb-admin status} (COM_STATISTICS) reports the compute node's Questions, as SHOW GLOBAL STATUS. */
    @Test
    void mariadbAdminStatusCountsTheStatements() throws Exception {
        long before = globalQuestions();
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            for (int i = 0; i < 20; i++) {
                s.executeQuery("SELECT " + i).close();
            }
        }
        Process admin = new ProcessBuilder("mariadb-admin", "-h127.0.0.1", "-P" + cluster.port(0), "-uroot", "status")
                .redirectErrorStream(true).start();
        String out = new String(admin.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(admin.waitFor()).as(out).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Questions: (\\d+) +Slow queries: (\\d+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        assertThat(Long.parseLong(m.group(1))).as(out).isGreaterThanOrEqualTo(before + 20).isLessThanOrEqualTo(globalQuestions());
        assertThat(out).matches("(?s).*Queries per second avg: \\d+\\.\\d{3}.*");
    }

    private static long globalQuestions() throws SQLException {
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Questions'")) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(2);
        }
    }
}
