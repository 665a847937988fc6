package io.cairn.sql.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fractional seconds as MySQL 8 keeps them: DATETIME/TIMESTAMP(fsp) exact to the microsecond, rounded (not cut)
 * to the column's digits on insert, NOW(fsp) and its kin, and both protocols printing or sending exactly the
 * column's digits. Each expected value is MySQL 8.0's (documented behaviour: "Fractional Seconds in Time
 * Values"); where MariaDB 10.11 answers otherwise it is noted.
 */
class TemporalPrecisionIT {
    static SqlCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = SqlCluster.builder().cns(1).build();
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE fsp");
            s.execute("USE fsp");
            s.execute("CREATE TABLE t (id INT PRIMARY KEY, "
                    + "d DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), "
                    + "d2 DATETIME(2), d3 DATETIME(3), d0 DATETIME, ts TIMESTAMP(6) NULL, KEY (d3))");
            s.execute("INSERT INTO t (id, d, d2, d3, d0, ts) VALUES "
                    + "(1, '2026-01-02 03:04:05.123456', '2026-01-02 03:04:05.125', '2026-01-02 03:04:05.123456', "
                    + "'2026-01-02 03:04:05.5', '2026-01-02 03:04:05.000001'), "
                    + "(2, '2026-12-31 23:59:59.999999', '2026-12-31 23:59:59.999', '2026-12-31 23:59:59.9994', "
                    + "'2026-12-31 23:59:59.499999', NULL)");
            s.execute("CREATE TABLE k (k DATETIME(6) PRIMARY KEY, v INT)");
            s.execute("INSERT INTO k VALUES ('2026-01-02 03:04:05.000001', 1), ('2026-01-02 03:04:05.000002', 2), "
                    + "('2026-01-02 03:04:05.000003', 3), ('2026-01-02 03:04:05.001', 4)");
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static Connection connect(String params) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "root");
        p.setProperty("password", "");
        return DriverManager.getConnection(cluster.mysqlUrl(0, "fsp") + params, p);
    }

    /** The row's values as the server's text (getBytes: Connector/J's getString reformats DATETIMEs). */
    private static List<String> row(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                byte[] b = rs.getBytes(i);
                out.add(b == null ? null : new String(b, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static List<String> column(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void nowAndItsKinTakeAPrecision() throws SQLException {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            List<String> r = row(s, "SELECT NOW(6), CURRENT_TIMESTAMP(6), SYSDATE(6), UTC_TIMESTAMP(6), NOW(3), NOW(), "
                    + "CURTIME(6), LOCALTIMESTAMP(2), CURRENT_TIMESTAMP");
            String micros = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}";
            assertThat(r.get(0)).matches(micros);
            assertThat(r.get(1)).isEqualTo(r.get(0)); // one statement, one start time
            assertThat(r.get(2)).matches(micros);
            assertThat(r.get(3)).matches(micros);
            assertThat(r.get(4)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}")
                    .isEqualTo(r.get(0).substring(0, 23)); // cut, not rounded
            assertThat(r.get(5)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d").isEqualTo(r.get(0).substring(0, 19));
            assertThat(r.get(6)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
            assertThat(r.get(7)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{2}");
            assertThat(r.get(8)).isEqualTo(r.get(5));
            // MySQL 8: ERROR 1426 (42000); MariaDB says "Too big precision 7 specified for 'now'. Maximum is 6"
            assertThatThrownBy(() -> s.executeQuery("SELECT NOW(7)")).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getErrorCode()).isEqualTo(1426);
                assertThat(e.getMessage()).isEqualTo("Too-big precision 7 specified for 'now'. Maximum is 6.");
            });
            assertThatThrownBy(() -> s.execute("CREATE TABLE bad (d DATETIME(7))"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1426));
        }
    }

    @Test
    void columnsKeepMicrosecondsAndRoundToTheirDigits() throws SQLException {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            assertThat(row(s, "SELECT d, d2, d3, d0, ts FROM t WHERE id = 1")).containsExactly(
                    "2026-01-02 03:04:05.123456", "2026-01-02 03:04:05.13", "2026-01-02 03:04:05.123",
                    "2026-01-02 03:04:06", "2026-01-02 03:04:05.000001");
            // rounding carries into the next year (MySQL rounds unless TIME_TRUNCATE_FRACTIONAL is set)
            assertThat(row(s, "SELECT d, d2, d3, d0 FROM t WHERE id = 2")).containsExactly(
                    "2026-12-31 23:59:59.999999", "2027-01-01 00:00:00.00", "2026-12-31 23:59:59.999",
                    "2026-12-31 23:59:59");
            s.execute("INSERT INTO t (id) VALUES (3)");
            assertThat(row(s, "SELECT d FROM t WHERE id = 3").get(0)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
            s.execute("DELETE FROM t WHERE id = 3");
        }
    }

    @Test
    void functionsSeeMicroseconds() throws SQLException {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            assertThat(row(s, "SELECT MICROSECOND(d), EXTRACT(MICROSECOND FROM d), DATE_FORMAT(d, '%Y-%m-%d %H:%i:%s.%f'), "
                    + "TIMESTAMPDIFF(MICROSECOND, '2026-01-02 03:04:05', d), TIMESTAMPDIFF(MICROSECOND, d, d3), "
                    + "TIMESTAMPDIFF(SECOND, d0, d), CAST(d AS CHAR), CAST(d3 AS DATETIME(6)), CAST(d AS DATETIME(1)), "
                    + "MICROSECOND(d3), YEAR(d), CAST(d AS DATE) FROM t WHERE id = 1"))
                    .containsExactly("123456", "123456", "2026-01-02 03:04:05.123456", "123456", "-456", "0",
                            "2026-01-02 03:04:05.123456", "2026-01-02 03:04:05.123000", "2026-01-02 03:04:05.1",
                            "123000", "2026", "2026-01-02");
            assertThat(row(s, "SELECT MICROSECOND('2026-01-02 03:04:05.000042'), TIMESTAMPDIFF(MONTH, '2026-01-31', '2026-02-28'), "
                    + "TIMESTAMPDIFF(DAY, '2026-01-02', '2026-03-01 00:00:00.000001')"))
                    .containsExactly("42", "0", "58");
        }
    }

    /** Each value is MariaDB 10.11's (MySQL 8 gives the same, but reads a compound unit's fraction otherwise). */
    @Test
    void dateArithmeticIsExactToTheMicrosecond() throws SQLException {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            assertThat(row(s, "SELECT d + INTERVAL 1 DAY, d - INTERVAL 1 MICROSECOND, DATE_ADD(d, INTERVAL 5 MICROSECOND), "
                    + "DATE_SUB(d, INTERVAL 1 MONTH), TIMESTAMPADD(MICROSECOND, 7, d), TIMESTAMPADD(SECOND, 1, ts), "
                    + "INTERVAL 1 WEEK + d, d - INTERVAL 1 DAY - INTERVAL 1 HOUR, ADDDATE(d, 1), SUBDATE(d, INTERVAL 1 SECOND), "
                    + "d + INTERVAL 1.5 SECOND, d + INTERVAL 1.5 DAY, DATE_ADD(d, INTERVAL 2.5 MICROSECOND) FROM t WHERE id = 1"))
                    .containsExactly("2026-01-03 03:04:05.123456", "2026-01-02 03:04:05.123455", "2026-01-02 03:04:05.123461",
                            "2025-12-02 03:04:05.123456", "2026-01-02 03:04:05.123463", "2026-01-02 03:04:06.000001",
                            "2026-01-09 03:04:05.123456", "2026-01-01 02:04:05.123456", "2026-01-03 03:04:05.123456",
                            "2026-01-02 03:04:04.123456", "2026-01-02 03:04:06.623456", "2026-01-04 03:04:05.123456",
                            "2026-01-02 03:04:05.123459");
            // compound units; the result's digits are the column's and the interval's
            assertThat(row(s, "SELECT d + INTERVAL '1.05' SECOND_MICROSECOND, d - INTERVAL '1 2' DAY_HOUR, "
                    + "d + INTERVAL '1:2:3.4' HOUR_MICROSECOND, d + INTERVAL '2-3' YEAR_MONTH, d3 + INTERVAL 1 MICROSECOND, "
                    + "d0 + INTERVAL 1 DAY, d0 + INTERVAL 1.25 SECOND, d + INTERVAL '1 2 3' DAY_HOUR, d + INTERVAL 9999 YEAR "
                    + "FROM t WHERE id = 1"))
                    .containsExactly("2026-01-02 03:04:06.173456", "2026-01-01 01:04:05.123456", "2026-01-02 04:06:08.523456",
                            "2028-04-02 03:04:05.123456", "2026-01-02 03:04:05.123001", "2026-01-03 03:04:06",
                            "2026-01-02 03:04:07.25", null, null);
            // DATEs stay DATEs when moved by days or months; strings give strings
            assertThat(row(s, "SELECT CAST(d AS DATE) + INTERVAL 1 DAY, CAST(d AS DATE) + INTERVAL 1 MICROSECOND, "
                    + "TIMESTAMPADD(QUARTER, 1, CAST(d AS DATE)), '2026-01-31' + INTERVAL 1 MONTH, "
                    + "'2026-01-02 03:04:05.12' + INTERVAL 1 SECOND, DATE_ADD('2026-01-02', INTERVAL 1 SECOND), "
                    + "'2024-02-29 10:00:00' + INTERVAL 1 YEAR, 'abc' + INTERVAL 1 DAY, d + INTERVAL NULL DAY FROM t WHERE id = 1"))
                    .containsExactly("2026-01-03", "2026-01-02 00:00:00.000001", "2026-04-02", "2026-02-28",
                            "2026-01-02 03:04:06.12", "2026-01-02 00:00:01", "2025-02-28 10:00:00", null, null);
            assertThat(column(s, "SELECT id FROM t WHERE d + INTERVAL 1 MICROSECOND = '2026-01-02 03:04:05.123457'"))
                    .containsExactly("1");
        }
        try (Connection c = connect("&useServerPrepStmts=true");
                PreparedStatement p = c.prepareStatement("SELECT d + INTERVAL ? MICROSECOND FROM t WHERE id = 1")) {
            p.setInt(1, 44);
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getTimestamp(1).getNanos()).isEqualTo(123_500_000);
            }
        }
    }

    @Test
    void constantRowsKeepMicroseconds() throws SQLException {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            assertThat(column(s, "SELECT CAST(x AS CHAR) FROM (VALUES (TIMESTAMP '2026-01-02 03:04:05.123456'), "
                    + "(NULL)) AS v (x) ORDER BY x")).containsExactly(null, "2026-01-02 03:04:05.123456");
            s.execute("CREATE TABLE fromvalues (id INT PRIMARY KEY, d DATETIME(6))");
            s.execute("INSERT INTO fromvalues SELECT * FROM (VALUES (1, TIMESTAMP '2026-01-02 03:04:05.000007')) AS v (a, b)");
            assertThat(column(s, "SELECT d FROM fromvalues")).containsExactly("2026-01-02 03:04:05.000007");
        }
    }

    @Test
    void comparisonsAndKeyRangesAreExact() throws SQLException {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            assertThat(column(s, "SELECT id FROM t WHERE d = '2026-01-02 03:04:05.123456'")).containsExactly("1");
            assertThat(column(s, "SELECT id FROM t WHERE d = '2026-01-02 03:04:05.123'")).isEmpty();
            assertThat(column(s, "SELECT id FROM t WHERE d > '2026-01-02 03:04:05.123455' ORDER BY id")).containsExactly("1", "2");
            assertThat(column(s, "SELECT id FROM t WHERE d > TIMESTAMP '2026-01-02 03:04:05.123456' ORDER BY id"))
                    .containsExactly("2");
            assertThat(column(s, "SELECT id FROM t WHERE d3 = '2026-01-02 03:04:05.123'")).containsExactly("1");
            assertThat(column(s, "SELECT v FROM k WHERE k = '2026-01-02 03:04:05.000002'")).containsExactly("2");
            assertThat(column(s, "SELECT v FROM k WHERE k > '2026-01-02 03:04:05.000001' AND k < '2026-01-02 03:04:05.001' "
                    + "ORDER BY k")).containsExactly("2", "3");
            assertThat(column(s, "SELECT v FROM k WHERE k BETWEEN '2026-01-02 03:04:05.000002' AND '2026-01-02 03:04:05.000003'"
                    + " ORDER BY v")).containsExactly("2", "3");
            assertThat(column(s, "SELECT v FROM k WHERE k IN ('2026-01-02 03:04:05.000001', '2026-01-02 03:04:05.001') ORDER BY v"))
                    .containsExactly("1", "4");
            assertThat(column(s, "SELECT MAX(k) FROM k")).containsExactly("2026-01-02 03:04:05.001000");
            assertThatThrownBy(() -> s.execute("INSERT INTO k VALUES ('2026-01-02 03:04:05.0000021', 9)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1062));
        }
    }

    @Test
    void showCreateTableKeepsTheDigits() throws SQLException {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            String ddl = row(s, "SHOW CREATE TABLE t").get(1);
            assertThat(ddl).contains("`d` datetime(6) DEFAULT CURRENT_TIMESTAMP(6)", "`d2` datetime(2)",
                    "`d3` datetime(3)", "`d0` datetime", "`ts` timestamp(6)");
            assertThat(column(s, "SELECT DATETIME_PRECISION FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'fsp' "
                    + "AND TABLE_NAME = 't' ORDER BY ORDINAL_POSITION")).containsExactly(null, "6", "2", "3", "0", "6");
        }
    }

    @Test
    void bothProtocolsSendTheColumnsDigits() throws SQLException {
        for (String params : List.of("", "&useServerPrepStmts=true")) {
            try (Connection c = connect(params);
                    PreparedStatement p = c.prepareStatement("SELECT d, d3, d0, d2 FROM t WHERE id = ?")) {
                p.setInt(1, 1);
                try (ResultSet rs = p.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getTimestamp(1).getNanos()).as(params).isEqualTo(123_456_000);
                    assertThat(rs.getTimestamp(2).getNanos()).as(params).isEqualTo(123_000_000);
                    assertThat(rs.getTimestamp(3).getNanos()).as(params).isZero();
                    if (params.isEmpty()) { // the text protocol's own digits
                        assertThat(new String(rs.getBytes(2), java.nio.charset.StandardCharsets.UTF_8))
                                .isEqualTo("2026-01-02 03:04:05.123");
                        assertThat(new String(rs.getBytes(3), java.nio.charset.StandardCharsets.UTF_8))
                                .isEqualTo("2026-01-02 03:04:06");
                        assertThat(new String(rs.getBytes(4), java.nio.charset.StandardCharsets.UTF_8))
                                .isEqualTo("2026-01-02 03:04:05.13");
                    }
                }
            }
            try (Connection c = connect(params); Statement s = c.createStatement()) {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO k VALUES (?, ?)")) {
                    Timestamp ts = Timestamp.valueOf("2027-05-06 07:08:09.654321");
                    p.setTimestamp(1, ts);
                    p.setInt(2, 10);
                    p.executeUpdate();
                }
                try (PreparedStatement p = c.prepareStatement("SELECT v, k FROM k WHERE k = ?")) {
                    p.setTimestamp(1, Timestamp.valueOf("2027-05-06 07:08:09.654321"));
                    try (ResultSet rs = p.executeQuery()) {
                        assertThat(rs.next()).as(params).isTrue();
                        assertThat(rs.getInt(1)).isEqualTo(10);
                        assertThat(rs.getTimestamp(2).getNanos()).isEqualTo(654_321_000);
                    }
                }
                s.execute("DELETE FROM k WHERE v = 10");
            }
        }
    }
}
