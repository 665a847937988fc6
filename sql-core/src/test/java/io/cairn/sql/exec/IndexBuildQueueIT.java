package io.cairn.sql.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.node.testing.Wait;
import io.cairn.sql.it.SqlCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A server fills one index at a time: a second CREATE INDEX waits, shows it, and KILL QUERY ends the wait. */
class IndexBuildQueueIT {
    @Test
    void aBuildWaitsForTheServersRunningOneAndKillQueryEndsTheWait() throws Exception {
        try (SqlCluster sql = SqlCluster.builder().build(); Connection c = sql.connect(0, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE q");
            s.execute("CREATE TABLE q.t (id INT PRIMARY KEY, k INT NOT NULL)");
            s.execute("INSERT INTO q.t VALUES (1, 10), (2, 20), (3, 30)");
            long waiterId;
            CompletableFuture<Integer> waited;
            IndexBuild.ONE_AT_A_TIME.acquire(); // as if another build ran on this server
            try (Connection w = sql.connect(0, "q")) {
                waiterId = connectionId(w);
                waited = CompletableFuture.supplyAsync(() -> {
                    try (Statement ws = w.createStatement()) {
                        ws.execute("CREATE INDEX k ON t (k)");
                        return 0;
                    } catch (SQLException e) {
                        return e.getErrorCode();
                    }
                });
                Wait.until("the build shows that it waits", Duration.ofSeconds(30),
                        Wait.checked(() -> "building index k: waiting for another index build on this server"
                                .equals(state(s, waiterId))));
                s.execute("KILL QUERY " + waiterId);
                assertThat(waited.get(20, TimeUnit.SECONDS)).as("ended by KILL QUERY").isEqualTo(1317);
            } finally {
                IndexBuild.ONE_AT_A_TIME.release();
            }
            assertThat(indexes(s)).as("the index it was to build is removed").doesNotContain("k");

            s.execute("CREATE INDEX k ON q.t (k)"); // the server's turn is free again
            assertThat(indexes(s)).contains("k");
            try (ResultSet r = s.executeQuery("SELECT id FROM q.t FORCE INDEX (k) WHERE k = 20")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getInt(1)).isEqualTo(2);
            }
        }
    }

    private static long connectionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT CONNECTION_ID()")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String state(Statement s, long id) throws SQLException {
        try (ResultSet r = s.executeQuery("SHOW PROCESSLIST")) {
            while (r.next()) {
                if (r.getLong("Id") == id) {
                    return r.getString("State");
                }
            }
        }
        return null;
    }

    private static java.util.List<String> indexes(Statement s) throws SQLException {
        java.util.List<String> names = new java.util.ArrayList<>();
        try (ResultSet r = s.executeQuery("SHOW INDEX FROM q.t")) {
            while (r.next()) {
                names.add(r.getString("Key_name"));
            }
        }
        return names;
    }
}
