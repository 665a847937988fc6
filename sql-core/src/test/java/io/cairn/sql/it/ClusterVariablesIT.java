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

    private static String value(Connection c, String expression) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + expression)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
