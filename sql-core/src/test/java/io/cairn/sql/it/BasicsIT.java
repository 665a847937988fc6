package io.cairn.sql.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Slice 1–2: connecting with Connector/J, session statements, DDL, INSERT and SELECT by key. */
class BasicsIT {
    static SqlCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = SqlCluster.builder().cns(1).build();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void sessionBasics() throws SQLException {
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT 1");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
            rs = s.executeQuery("SELECT DATABASE(), VERSION(), @@version_comment, @@autocommit");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isNull();
            assertThat(rs.getString(2)).startsWith("8.0");
            assertThat(rs.getString(3)).contains("Cairn");
            assertThat(rs.getInt(4)).isEqualTo(1);
            s.execute("SET NAMES utf8mb4");
            s.execute("SET @x = 41");
            rs = s.executeQuery("SELECT @x + 1");
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(42);
            rs = s.executeQuery("SHOW VARIABLES LIKE 'transaction_isolation'");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(2)).isEqualTo("REPEATABLE-READ");
            s.execute("/*!40101 SET @y = 7 */");
            rs = s.executeQuery("SELECT @y -- trailing comment");
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(7);
            rs = s.executeQuery("SHOW DATABASES");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("information_schema");
        }
    }

    /** Scans decode only the columns the operator above reads (ReadColumns): every shape must still see its columns. */
    @Test
    void queriesReadingSomeColumnsSeeThemAndNullsStayNull() throws SQLException {
        try (Connection c = DriverManager.getConnection(cluster.mysqlUrl(0, "") + "&useServerPrepStmts=true", "root", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE rc");
            s.execute("CREATE TABLE rc.t (id INT PRIMARY KEY, k INT NOT NULL, c VARCHAR(200), pad CHAR(60),"
                    + " d DECIMAL(10,2), x DOUBLE, b VARBINARY(8), INDEX (k))");
            s.execute("CREATE TABLE rc.solo (n INT NOT NULL PRIMARY KEY)");
            s.execute("INSERT INTO rc.t VALUES (1, 10, 'x', 'p', 1.50, 2.5, X'00ff'), (2, 20, NULL, 'q', NULL, 3.5, NULL),"
                    + " (3, 30, 'z', NULL, 2.25, NULL, X'01')");
            s.execute("INSERT INTO rc.solo VALUES (1), (2), (3)");
            assertThat(rows(s, "SELECT SUM(k) FROM rc.t WHERE id BETWEEN 1 AND 3")).containsExactly("60");
            assertThat(rows(s, "SELECT COUNT(*) FROM rc.solo")).containsExactly("3");
            assertThat(rows(s, "SELECT COUNT(*), COUNT(c), SUM(d), MAX(x) FROM rc.t")).containsExactly("3,2,3.75,3.5");
            assertThat(rows(s, "SELECT pad, d FROM rc.t WHERE k > 15 ORDER BY id")).containsExactly("q,null", "null,2.25");
            assertThat(rows(s, "SELECT DISTINCT c FROM rc.t WHERE id BETWEEN 1 AND 3 ORDER BY c"))
                    .containsExactly("null", "x", "z");
            assertThat(rows(s, "SELECT k + 1 FROM rc.t WHERE c = 'z'")).containsExactly("31");
            assertThat(rows(s, "SELECT LENGTH(b) FROM rc.t WHERE x IS NULL")).containsExactly("1");
            assertThat(rows(s, "SELECT c, COUNT(*) FROM rc.t GROUP BY c ORDER BY c")).containsExactly("null,1", "x,1", "z,1");
            assertThat(rows(s, "SELECT a.c, b.pad FROM rc.t a JOIN rc.t b ON a.id = b.id WHERE a.k > 10 ORDER BY a.id"))
                    .containsExactly("null,q", "z,null");
            assertThat(rows(s, "SELECT id, (SELECT MAX(k) FROM rc.t i WHERE i.id < o.id) FROM rc.t o ORDER BY id"))
                    .containsExactly("1,null", "2,10", "3,20");
            try (var ps = c.prepareStatement("SELECT c FROM rc.t WHERE id = ?")) {
                ps.setInt(1, 3);
                ResultSet rs = ps.executeQuery();
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("z");
            }
            s.execute("UPDATE rc.t SET k = k + 1 WHERE c = 'x'");
            assertThat(rows(s, "SELECT id, k, c, pad, d, x, LENGTH(b) FROM rc.t WHERE id = 1"))
                    .containsExactly("1,11,x,p,1.50,2.5,2");
            s.execute("DROP DATABASE rc");
        }
    }

    private static List<String> rows(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? "," : "").append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    @Test
    void unaliasedExpressionsAreLabelledAsWritten() throws SQLException {
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT 1 + 1, 'abc', CONCAT('a',  'b') AS ab, UPPER( 'x' ) FROM DUAL");
            var md = rs.getMetaData();
            assertThat(md.getColumnLabel(1)).isEqualTo("1 + 1");
            assertThat(md.getColumnLabel(2)).isEqualTo("abc");
            assertThat(md.getColumnLabel(3)).isEqualTo("ab");
            assertThat(md.getColumnLabel(4)).isEqualTo("UPPER( 'x' )");
            try (var ps = c.prepareStatement("SELECT ? + 1, 2 * 3")) {
                ps.setInt(1, 4);
                rs = ps.executeQuery();
                // Connector/J prepares on the client by default: the server sees the value inline, as MySQL would
                assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("4 + 1");
                assertThat(rs.getMetaData().getColumnLabel(2)).isEqualTo("2 * 3");
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(5);
            }
        }
    }

    @Test
    void selectsOverMaxExecutionTimeFailWith3024AndTheSessionGoesOn() throws SQLException {
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE timelimit");
            s.execute("USE timelimit");
            s.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
            for (int batch = 0; batch < 10; batch++) {
                StringBuilder sql = new StringBuilder("INSERT INTO t VALUES ");
                for (int i = 0; i < 3000; i++) {
                    int id = batch * 3000 + i;
                    sql.append(i == 0 ? "" : ", ").append('(').append(id).append(", ").append(id % 97).append(')');
                }
                s.executeUpdate(sql.toString());
            }
            s.execute("SET SESSION max_execution_time = 1");
            assertThatThrownBy(() -> s.executeQuery("SELECT COUNT(*) FROM t WHERE v >= 0"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(3024);
                        assertThat(e.getSQLState()).isEqualTo("HY000");
                    });
            s.execute("SET SESSION max_execution_time = 0");
            ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t WHERE v >= 0");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(30000);
        }
    }

    @Test
    void integerOverflowIsError1690() throws SQLException {
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            for (String sql : List.of("SELECT 9223372036854775807 + 1", "SELECT -9223372036854775807 - 2",
                    "SELECT 4611686018427387904 * 2")) {
                assertThatThrownBy(() -> s.executeQuery(sql)).as(sql)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1690));
            }
            ResultSet rs = s.executeQuery("SELECT 9223372036854775806 + 1, 3000000000 * 2");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(Long.MAX_VALUE);
            assertThat(rs.getLong(2)).isEqualTo(6000000000L);
        }
    }

    @Test
    void stringsAndHexLiteralsAreNumbersInArithmeticAndInAsInMysql() throws SQLException {
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE strnum");
            s.execute("USE strnum");
            s.execute("CREATE TABLE t (id INT PRIMARY KEY, n INT, s TEXT)");
            s.execute("INSERT INTO t VALUES (1, 0, 'abc'), (2, 12, '12ab'), (3, 65, ' 1.5e1x')");
            // unary plus is no operator in MySQL: + s is the string
            ResultSet rs = s.executeQuery("SELECT + s, + 'abc' FROM t WHERE id = 1");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("abc");
            assertThat(rs.getString(2)).isEqualTo("abc");
            // arithmetic takes the numeric prefix of a string, 0 if none, instead of failing
            rs = s.executeQuery("SELECT s + 0, - s, s * 2, s / 2, s DIV 2, s % 7 FROM t ORDER BY id");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getDouble(1)).isEqualTo(0.0);
            assertThat(rs.next()).isTrue();
            assertThat(List.of(rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5),
                    rs.getDouble(6))).containsExactly(12.0, -12.0, 24.0, 6.0, 6.0, 5.0);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getDouble(1)).isEqualTo(15.0);
            // a hex literal next to numbers is the number it spells; IN compares strings with numbers as numbers
            rs = s.executeQuery("SELECT x'41' + 0, x'303132' IN (SELECT n FROM t WHERE n < 0), "
                    + "x'303132' NOT IN (SELECT n FROM t WHERE n < 0), 65 IN (x'41', 1), '12ab' IN (12, 13)");
            assertThat(rs.next()).isTrue();
            assertThat(List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5)))
                    .containsExactly(65, 0, 1, 1, 1);
            rs = s.executeQuery("SELECT id FROM t WHERE n IN ('12xyz', x'41', 'abc') ORDER BY id");
            List<Integer> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
            assertThat(ids).containsExactly(1, 2, 3);
        }
    }

    @Test
    void divBindsLikeMultiplication() throws SQLException {
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT - 7 * 12 DIV 43, 2 * 7 DIV 2, 37 DIV + - 9, 100 DIV 7 DIV 2");
            assertThat(rs.next()).isTrue();
            assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                    .containsExactly(-1L, 7L, -4L, 7L);
            rs = s.executeQuery("SELECT DISTINCT ( + 20 ) DIV COUNT( * ) FROM (SELECT 1 UNION ALL SELECT 2) AS t");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(10);
        }
    }

    @Test
    void ddlInsertSelect() throws SQLException {
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE basics");
            assertThatThrownBy(() -> s.execute("CREATE TABLE t (id INT PRIMARY KEY)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1046));
            s.execute("USE basics");
            s.execute("CREATE TABLE sbtest1 (id INTEGER NOT NULL AUTO_INCREMENT, k INTEGER DEFAULT '0' NOT NULL, "
                    + "c CHAR(120) DEFAULT '' NOT NULL, pad CHAR(60) DEFAULT '' NOT NULL, PRIMARY KEY (id)) "
                    + "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
            s.execute("CREATE INDEX k_1 ON sbtest1(k)");
            assertThat(s.executeUpdate("INSERT INTO sbtest1 (k, c, pad) VALUES (10, 'a', 'x'), (20, 'b', 'y'), (30, 'it''s', 'z')"))
                    .isEqualTo(3);
            ResultSet rs = s.executeQuery("SELECT c FROM sbtest1 WHERE id = 2");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("b");
            assertThat(rs.next()).isFalse();
            rs = s.executeQuery("SELECT id, c FROM sbtest1 WHERE k = 30");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(3);
            assertThat(rs.getString(2)).isEqualTo("it's");
            rs = s.executeQuery("SELECT COUNT(*), SUM(k), AVG(k) FROM sbtest1");
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(3);
            assertThat(rs.getBigDecimal(2)).isEqualByComparingTo("60");
            assertThat(rs.getBigDecimal(3)).isEqualByComparingTo("20");
            rs = s.executeQuery("SELECT 7/2, 7 DIV 2 + 0, 1/0");
            rs.next();
            assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("3.5");
            assertThat(rs.getObject(3)).isNull();
            rs = s.executeQuery("SELECT LAST_INSERT_ID()");
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
            assertThatThrownBy(() -> s.execute("INSERT INTO sbtest1 (id, k) VALUES (2, 5)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1062);
                        assertThat(e.getMessage()).isEqualTo("Duplicate entry '2' for key 'sbtest1.PRIMARY'");
                    });
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM nope"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1146));
            assertThatThrownBy(() -> s.executeQuery("SELECT nope FROM sbtest1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1054));
            assertThatThrownBy(() -> s.execute("SELEC 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1064));
            rs = s.executeQuery("SELECT 1");
            assertThat(rs.next()).as("connection stays usable").isTrue();
        }
    }

    @Test
    void requireSecureTransportCannotBeTurnedOnWhereNoClientCouldUseTls() throws Exception {
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("SET GLOBAL require_secure_transport = ON"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(3160);
                        assertThat(e.getSQLState()).isEqualTo("HY000");
                    });
            try (ResultSet rs = s.executeQuery("SELECT @@global.require_secure_transport")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isZero();
            }
        }
        try (Connection c = cluster.connect(0, "")) {
            assertThat(c.isValid(5)).isTrue(); // still let in
        }
    }

    // ---- SHOW [GLOBAL|SESSION] STATUS: real counters, per session and per compute node

    private static Map<String, Long> status(Statement s, String scope) throws SQLException {
        Map<String, Long> values = new HashMap<>();
        try (ResultSet r = s.executeQuery("SHOW " + scope + " STATUS")) {
            while (r.next()) {
                values.put(r.getString(1), Long.parseLong(r.getString(2)));
            }
        }
        return values;
    }

    @Test
    void questionsAndCommandCountersGrowPerSessionAndForTheComputeNode() throws SQLException {
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement();
                Connection other = cluster.connect(0, ""); Statement o = other.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS status_it");
            s.execute("CREATE TABLE IF NOT EXISTS status_it.t (id INT PRIMARY KEY, v INT)");
            Map<String, Long> globalBefore = status(s, "GLOBAL");
            Map<String, Long> sessionBefore = status(s, "SESSION");
            for (int i = 0; i < 3; i++) {
                s.executeQuery("SELECT 1").close();
            }
            s.executeUpdate("INSERT INTO status_it.t VALUES (1, 1), (2, 2)");
            s.executeUpdate("UPDATE status_it.t SET v = v + 1");
            try (PreparedStatement ps = c.prepareStatement("SELECT v FROM status_it.t WHERE id = ?")) {
                ps.setInt(1, 1);
                ps.executeQuery().close();
            }
            o.executeQuery("SELECT 2").close(); // another session: the global counters only

            Map<String, Long> session = status(s, "SESSION");
            assertThat(session.get("Com_select") - sessionBefore.get("Com_select")).isEqualTo(4); // 3 + the prepared one
            assertThat(session.get("Com_insert") - sessionBefore.get("Com_insert")).isEqualTo(1);
            assertThat(session.get("Com_update") - sessionBefore.get("Com_update")).isEqualTo(1);
            // 3 SELECT, INSERT, UPDATE, the prepared SELECT, the SHOW SESSION STATUS before: 7
            assertThat(session.get("Questions") - sessionBefore.get("Questions")).isEqualTo(7);
            Map<String, Long> global = status(s, "GLOBAL");
            assertThat(global.get("Com_select") - globalBefore.get("Com_select")).isGreaterThanOrEqualTo(5);
            assertThat(global.get("Questions")).isGreaterThan(session.get("Questions"));
            assertThat(global.get("Questions") - globalBefore.get("Questions")).isGreaterThanOrEqualTo(8);
            assertThat(global.get("Threads_connected")).isGreaterThanOrEqualTo(2);
            assertThat(global.get("Connections")).isGreaterThanOrEqualTo(2);
            assertThat(global.get("Max_used_connections")).isGreaterThanOrEqualTo(2);
            assertThat(global).containsKeys("Uptime", "Com_commit", "Com_show_status");
        }
    }

    @Test
    void bytesReceivedAndSentGrowByTheStatementAndItsResultPerSessionAndForTheServer() throws SQLException {
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            Map<String, Long> sessionBefore = status(s, "SESSION");
            Map<String, Long> globalBefore = status(s, "GLOBAL");
            String padding = "x".repeat(50_000);
            // a 50 kB statement text and a 300 kB answer (3 rows of 100,000 characters)
            String sql = "SELECT REPEAT('y', 100000) AS r FROM (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) t"
                    + " WHERE '" + padding + "' <> ''";
            int rows = 0;
            try (ResultSet r = s.executeQuery(sql)) {
                while (r.next()) {
                    assertThat(r.getString(1)).hasSize(100_000);
                    rows++;
                }
            }
            assertThat(rows).isEqualTo(3);
            Map<String, Long> session = status(s, "SESSION");
            Map<String, Long> global = status(s, "GLOBAL");
            assertThat(session.get("Bytes_received") - sessionBefore.get("Bytes_received")).isGreaterThanOrEqualTo(sql.length());
            assertThat(session.get("Bytes_sent") - sessionBefore.get("Bytes_sent")).isGreaterThanOrEqualTo(300_000);
            assertThat(global.get("Bytes_received") - globalBefore.get("Bytes_received")).isGreaterThanOrEqualTo(sql.length());
            assertThat(global.get("Bytes_sent") - globalBefore.get("Bytes_sent")).isGreaterThanOrEqualTo(300_000);
            // the server counted the login and this session's earlier answers too, and other sessions' bytes
            assertThat(global.get("Bytes_sent")).isGreaterThanOrEqualTo(session.get("Bytes_sent"));
            assertThat(global.get("Bytes_received")).isGreaterThanOrEqualTo(session.get("Bytes_received"));
        }
    }

    @Test
    void likeFiltersTheCountersByName() throws SQLException {
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            long first;
            try (ResultSet r = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Questions'")) {
                assertThat(r.next()).isTrue();
                first = Long.parseLong(r.getString(2));
                assertThat(r.next()).isFalse();
            }
            s.executeQuery("SELECT 1").close();
            try (ResultSet r = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Questions'")) {
                assertThat(r.next()).isTrue();
                assertThat(Long.parseLong(r.getString(2))).isGreaterThanOrEqualTo(first + 2);
            }
        }
    }

    @Test
    void statementsSlowerThanLongQueryTimeAreCountedAndLoggedInMysqlsFormatWhileTheLogIsOn(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("slow.log");
        cluster.engine(0).logSlowQueriesTo(new io.cairn.sql.session.SlowQueryLog(file));
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT @@slow_query_log_file")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo(file.toString());
            }
            assertThatThrownBy(() -> s.execute("SET GLOBAL slow_query_log_file = '/tmp/elsewhere'"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1238));
            s.execute("SET long_query_time = 0.5");
            s.executeQuery("SELECT SLEEP(0.6)").close(); // slow, but the log is off: counted only
            assertThat(status(s, "SESSION").get("Slow_queries")).isEqualTo(1);
            assertThat(file).doesNotExist();

            s.execute("SET GLOBAL slow_query_log = ON");
            try {
                s.execute("USE status_it_slow");
            } catch (SQLException noDatabase) {
                s.execute("CREATE DATABASE status_it_slow");
                s.execute("USE status_it_slow");
            }
            s.executeQuery("SELECT SLEEP(0.6), 'slow one'").close();
            s.executeQuery("SELECT 'fast one'").close();
            s.execute("SET GLOBAL slow_query_log = OFF");
            s.executeQuery("SELECT SLEEP(0.6), 'after'").close();
            assertThat(status(s, "SESSION").get("Slow_queries")).isEqualTo(3);
            assertThat(status(s, "GLOBAL").get("Slow_queries")).isGreaterThanOrEqualTo(3);
        }
        List<String> lines = java.nio.file.Files.readAllLines(file);
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).matches("# Time: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        assertThat(lines.get(1)).matches("# User@Host: root\\[root\\] @ localhost \\[\\]  Id: +\\d+");
        assertThat(lines.get(2)).matches("# Query_time: [0-9]\\.\\d{6}  Lock_time: 0\\.000000 Rows_sent: 1  Rows_examined: 0");
        assertThat(lines.get(3)).isEqualTo("use status_it_slow;");
        assertThat(lines.get(4)).matches("SET timestamp=\\d+;");
        assertThat(lines.get(5)).isEqualTo("SELECT SLEEP(0.6), 'slow one';");
    }
}
