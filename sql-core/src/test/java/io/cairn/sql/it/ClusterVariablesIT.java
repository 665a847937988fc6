package io.cairn.sql.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The global variables that decide logins and idle sessions hold on every compute node once set on one
 * (they live in the catalog), while other globals stay per compute node.
 */
class ClusterVariablesIT {
    static SqlCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = SqlCluster.builder().cns(2).build();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aLimitSetOnOneComputeNodeHoldsOnTheOtherAtItsNextLogin() throws Exception {
        try (Connection admin = cluster.connect(0, ""); Statement s = admin.createStatement()) {
            s.execute("CREATE USER 'spread'@'%' IDENTIFIED BY 'pw'");
            s.execute("SET GLOBAL max_user_connections = 1");
            s.execute("SET GLOBAL wait_timeout = 123");
            s.execute("SET GLOBAL net_read_timeout = 77"); // not cluster-wide
        }
        try (Connection first = DriverManager.getConnection(cluster.mysqlUrl(1, ""), "spread", "pw")) {
            assertThat(first.isValid(5)).isTrue();
            assertThatThrownBy(() -> DriverManager.getConnection(cluster.mysqlUrl(1, ""), "spread", "pw"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1203));
        }
        try (Connection other = cluster.connect(1, "")) {
            assertThat(value(other, "@@global.max_user_connections")).isEqualTo("1");
            assertThat(value(other, "@@wait_timeout")).isEqualTo("123");
            assertThat(value(other, "@@global.net_read_timeout")).isEqualTo("30");
            try (Statement s = other.createStatement()) {
                s.execute("SET GLOBAL max_user_connections = 0");
            }
        }
        try (Connection a = DriverManager.getConnection(cluster.mysqlUrl(0, ""), "spread", "pw");
                Connection b = DriverManager.getConnection(cluster.mysqlUrl(0, ""), "spread", "pw")) {
            assertThat(a.isValid(5) && b.isValid(5)).isTrue();
        }
    }

    /**
     * {@code @@read_only} says what the active TN's lease says: 1 on every compute node while the cluster refuses
     * writes (a standby, a drained or fenced primary), also in a session opened before, and 0 again after. A client
     * cannot set it: the write mode follows the cluster's role.
     */
    @Test
    void readOnlyFollowsTheTransactionNodeOnEveryComputeNode() throws Exception {
        try (Connection a = cluster.connect(0, ""); Connection b = cluster.connect(1, "");
                Statement s = a.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS ro");
            s.execute("CREATE TABLE IF NOT EXISTS ro.t (id INT PRIMARY KEY)");
            assertThat(value(a, "@@read_only")).isEqualTo("0");
            assertThat(value(b, "@@global.super_read_only")).isEqualTo("0");

            cluster.transactionNode().refuseWrites("a standby of /archive");
            io.cairn.node.testing.Wait.until("both compute nodes to read the lease that says so",
                    java.time.Duration.ofSeconds(20),
                    () -> valueOrNull(a, "@@read_only").equals("1") && valueOrNull(b, "@@global.read_only").equals("1"));
            assertThat(value(b, "@@super_read_only")).isEqualTo("1");
            try (ResultSet rs = b.createStatement().executeQuery("SHOW GLOBAL VARIABLES LIKE 'read_only'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).isIn("1", "ON");
            }
            assertThatThrownBy(() -> s.execute("INSERT INTO ro.t VALUES (1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1290));
            assertThatThrownBy(() -> s.execute("SET GLOBAL read_only = 0"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1238));

            cluster.transactionNode().refuseWrites(null);
            io.cairn.node.testing.Wait.until("the compute nodes to read that the cluster takes writes again",
                    java.time.Duration.ofSeconds(20),
                    () -> valueOrNull(a, "@@read_only").equals("0") && valueOrNull(b, "@@read_only").equals("0"));
            s.execute("INSERT INTO ro.t VALUES (1)");
        } finally {
            cluster.transactionNode().refuseWrites(null);
        }
    }

    private static String valueOrNull(Connection c, String expression) {
        try {
            return String.valueOf(value(c, expression));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String value(Connection c, String expression) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + expression)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
