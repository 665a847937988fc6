package io.cairn.sql.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SHOW [GLOBAL|SESSION] STATUS: real counters, per session and per compute node, through Connector/J. */
class StatusIT {
    static SqlCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = SqlCluster.builder().cns(1).build();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

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
}
