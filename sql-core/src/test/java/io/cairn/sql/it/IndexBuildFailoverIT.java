package io.cairn.sql.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.data.testing.InProcessCluster;
import io.cairn.node.testing.Wait;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * An online CREATE INDEX outlives a spell without a log majority: the build waits, then goes on from the batch it
 * was at, instead of removing an index half built (the growth bench lost two 1M-row builds to a 5 s gap in the
 * log's answers on a loaded machine).
 */
class IndexBuildFailoverIT {
    private static final int ROWS = 120_000;
    /** Index batches of half this (about 15k rows here, not 50k), so most of the build is left after the first. */
    private static final long WRITE_SET_LIMIT = 1L << 20;
    /** Longer than a CN waits for a read barrier (5 s in SqlCluster), so every read and commit fails meanwhile. */
    private static final Duration OUTAGE = Duration.ofSeconds(8);

    @Test
    void anIndexBuildWaitsOutALogWithoutMajorityAndCompletes() throws Exception {
        try (SqlCluster sql = SqlCluster.builder().maxWriteSetBytes(WRITE_SET_LIMIT)
                .underneath(c -> c.logPeers(3)).build();
                Connection c = sql.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE ix");
            s.execute("CREATE TABLE ix.t (id INT PRIMARY KEY, k INT NOT NULL, pad CHAR(20) NOT NULL)");
            for (int from = 0; from < ROWS; from += 2_000) {
                StringBuilder insert = new StringBuilder("INSERT INTO ix.t VALUES ");
                for (int id = from; id < from + 2_000; id++) {
                    insert.append(id == from ? "" : ",").append('(').append(id).append(',').append(id % 977)
                            .append(",'pad')");
                }
                s.execute(insert.toString());
            }

            CompletableFuture<Void> build = CompletableFuture.runAsync(() -> {
                try (Connection b = sql.connect(0, "ix"); Statement bs = b.createStatement()) {
                    bs.execute("CREATE INDEX k ON t (k)");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Wait.until("the build's first batch", Duration.ofSeconds(60), Wait.checked(() -> batchesDone(s) || build.isDone()));
            assertThat(build).as("the build is still running when the log loses its majority").isNotDone();

            InProcessCluster cluster = sql.cluster();
            int leader = cluster.waitForLeader();
            int other = (leader + 1) % 3;
            // both at once: stopping a peer takes a second or more, and the two left after the first would
            // elect a leader and let the build finish meanwhile
            CompletableFuture.allOf(CompletableFuture.runAsync(() -> cluster.killLogPeer(leader)),
                    CompletableFuture.runAsync(() -> cluster.killLogPeer(other))).join();
            Thread.sleep(OUTAGE.toMillis());
            assertThat(build).as("no log majority: the build cannot have finished").isNotDone();
            cluster.restartLogPeer(leader, true);
            cluster.restartLogPeer(other, true);

            build.get(120, java.util.concurrent.TimeUnit.SECONDS);
            boolean listed = false;
            try (ResultSet r = s.executeQuery("SHOW INDEX FROM ix.t")) {
                while (r.next()) {
                    listed |= r.getString("Key_name").equals("k");
                }
            }
            assertThat(listed).as("index k is complete (SHOW INDEX lists only complete ones)").isTrue();
            try (ResultSet r = s.executeQuery("SELECT COUNT(*), SUM(id) FROM ix.t WHERE k BETWEEN 10 AND 19")) {
                r.next();
                long expectedCount = 0;
                long expectedSum = 0;
                for (int id = 0; id < ROWS; id++) {
                    if (id % 977 >= 10 && id % 977 <= 19) {
                        expectedCount++;
                        expectedSum += id;
                    }
                }
                assertThat(r.getLong(1)).isEqualTo(expectedCount);
                assertThat(r.getLong(2)).isEqualTo(expectedSum);
            }
        }
    }

    /** Whether SHOW PROCESSLIST shows the build past its first batch. */
    private static boolean batchesDone(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("SHOW PROCESSLIST")) {
            while (r.next()) {
                String state = r.getString("State");
                if (state != null && state.startsWith("building index k: ") && !state.endsWith(": 0 rows")) {
                    return true;
                }
            }
        }
        return false;
    }
}
