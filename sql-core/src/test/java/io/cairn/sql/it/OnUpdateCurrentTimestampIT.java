package io.cairn.sql.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ON UPDATE CURRENT_TIMESTAMP[(n)]}: an UPDATE or ON DUPLICATE KEY UPDATE that changes a row sets such
 * columns it does not assign to the statement's start; one that changes nothing, or assigns the column, leaves
 * it; REPLACE is a new row (its defaults). Each expected value is MariaDB 10.11's (MySQL 8 answers the same; it
 * only refuses an ON UPDATE precision other than the column's, where MariaDB takes a larger one).
 */
class OnUpdateCurrentTimestampIT {
    private static final String OLD = "2000-01-01 00:00:00";
    static SqlCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = SqlCluster.builder().cns(1).build();
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE ou");
            s.execute("CREATE TABLE ou.u (id INT PRIMARY KEY, v INT, w INT, "
                    + "d DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), "
                    + "t2 TIMESTAMP(3) NULL ON UPDATE CURRENT_TIMESTAMP(3), d0 DATETIME ON UPDATE NOW(), UNIQUE KEY (w))");
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @BeforeEach
    void rows() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM u");
            s.execute("INSERT INTO u (id, v, w, d, t2, d0) VALUES (1, 10, 100, '" + OLD + "', '" + OLD + "', '" + OLD
                    + "'), (2, 20, 200, '" + OLD + "', NULL, NULL)");
        }
    }

    /** Affected rows as the mysql client counts them (changed, not matched rows). */
    private static Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "root");
        p.setProperty("password", "");
        return DriverManager.getConnection(cluster.mysqlUrl(0, "ou") + "&useAffectedRows=true", p);
    }

    /** The row's d, t2, d0 as the server's text. */
    private static List<String> stamps(Statement s, int id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT d, t2, d0 FROM u WHERE id = " + id)) {
            assertThat(rs.next()).isTrue();
            for (int i = 1; i <= 3; i++) {
                byte[] b = rs.getBytes(i);
                out.add(b == null ? null : new String(b, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static String now6(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT NOW(6)")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The statement's start, cut to each column's digits: the three stamps agree on their common digits. */
    private static void assertStampedAfter(List<String> stamps, String before) {
        assertThat(stamps.get(0)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}").isGreaterThanOrEqualTo(before);
        assertThat(stamps.get(1)).isEqualTo(stamps.get(0).substring(0, 23));
        assertThat(stamps.get(2)).isEqualTo(stamps.get(0).substring(0, 19));
    }

    @Test
    void anUpdateThatChangesTheRowStampsItsColumns() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            String before = now6(s);
            assertThat(s.executeUpdate("UPDATE u SET v = v + 1 WHERE id = 1")).isEqualTo(1);
            assertStampedAfter(stamps(s, 1), before);
            assertThat(stamps(s, 2)).containsExactly(OLD + ".000000", null, null);
        }
    }

    @Test
    void anUpdateThatChangesNothingLeavesThem() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE u SET v = 10 WHERE id = 1")).isZero();
            assertThat(stamps(s, 1)).containsExactly(OLD + ".000000", OLD + ".000", OLD);
        }
    }

    @Test
    void aColumnTheUpdateAssignsKeepsWhatItWasGiven() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE u SET v = 11, d = d WHERE id = 1");
            List<String> r = stamps(s, 1);
            assertThat(r.get(0)).isEqualTo(OLD + ".000000");
            assertThat(r.get(1)).isNotEqualTo(OLD + ".000");
            s.executeUpdate("UPDATE u SET v = 12, d = '2001-01-01', t2 = NULL WHERE id = 1");
            r = stamps(s, 1);
            assertThat(r.subList(0, 2)).containsExactly("2001-01-01 00:00:00.000000", null);
        }
    }

    @Test
    void onDuplicateKeyUpdateStampsAChangedRowOnly() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            // the same values: 0 rows affected, nothing stamped
            assertThat(s.executeUpdate("INSERT INTO u (id, v, w) VALUES (1, 10, 100) ON DUPLICATE KEY UPDATE v = VALUES(v)"))
                    .isZero();
            assertThat(stamps(s, 1)).containsExactly(OLD + ".000000", OLD + ".000", OLD);
            String before = now6(s);
            assertThat(s.executeUpdate("INSERT INTO u (id, v, w) VALUES (1, 13, 100) ON DUPLICATE KEY UPDATE v = VALUES(v)"))
                    .isEqualTo(2);
            assertStampedAfter(stamps(s, 1), before);
            s.executeUpdate("UPDATE u SET t2 = '" + OLD + "' WHERE id = 1");
            s.executeUpdate("INSERT INTO u (id, v, w) VALUES (1, 14, 100) ON DUPLICATE KEY UPDATE v = VALUES(v), t2 = t2");
            assertThat(stamps(s, 1).get(1)).isEqualTo(OLD + ".000");
        }
    }

    @Test
    void replaceWritesANewRowWithItsDefaults() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            String before = now6(s);
            s.executeUpdate("REPLACE INTO u (id, v, w) VALUES (1, 99, 100)");
            List<String> r = stamps(s, 1);
            assertThat(r.get(0)).isGreaterThanOrEqualTo(before); // DEFAULT CURRENT_TIMESTAMP(6)
            assertThat(r.subList(1, 3)).containsExactly(null, null); // no DEFAULT: NULL, as MariaDB
        }
    }

    @Test
    void showAndInformationSchemaShowTheClause() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW CREATE TABLE u")) {
                rs.next();
                assertThat(rs.getString(2)).contains(
                        "`d` datetime(6) DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)",
                        "`t2` timestamp(3) DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP(3)",
                        "`d0` datetime DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP,");
            }
            List<String> extra = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'ou' "
                    + "AND TABLE_NAME = 'u' ORDER BY ORDINAL_POSITION")) {
                while (rs.next()) {
                    extra.add(rs.getString(1));
                }
            }
            assertThat(extra).containsExactly("", "", "", "on update CURRENT_TIMESTAMP(6)",
                    "on update CURRENT_TIMESTAMP(3)", "on update CURRENT_TIMESTAMP");
        }
    }

    @Test
    void onlyDatetimeAndTimestampTakeTheClause() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String bad : List.of("x INT ON UPDATE CURRENT_TIMESTAMP", "x DATE ON UPDATE CURRENT_TIMESTAMP",
                    "x DATETIME(6) ON UPDATE CURRENT_TIMESTAMP(3)")) {
                assertThatThrownBy(() -> s.execute("CREATE TABLE bad (" + bad + ")")).as(bad)
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getErrorCode()).isEqualTo(1294);
                            assertThat(e.getMessage()).isEqualTo("Invalid ON UPDATE clause for 'x' column");
                        });
            }
            assertThatThrownBy(() -> s.execute("CREATE TABLE bad (x DATETIME ON UPDATE 5)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1064));
            // a larger precision is the column's (MariaDB; MySQL 8 refuses it)
            s.execute("CREATE TABLE ok2 (x DATETIME(2) ON UPDATE CURRENT_TIMESTAMP(6), y DATETIME ON UPDATE LOCALTIMESTAMP)");
            try (ResultSet rs = s.executeQuery("SHOW CREATE TABLE ok2")) {
                rs.next();
                assertThat(rs.getString(2)).contains("`x` datetime(2) DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP(2)");
            }
        }
    }
}
