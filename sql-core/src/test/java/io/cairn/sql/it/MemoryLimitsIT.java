package io.cairn.sql.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.node.testing.Wait;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The write set limit (cairn.txn.max-size → 1197) and the operator memory limit
 * (cairn.sql.max-operator-memory → 1038), set small, through Connector/J.
 */
class MemoryLimitsIT {
    private static final long TXN_LIMIT = 64 << 10;
    private static final long OPERATOR_LIMIT = 256 << 10;
    private static final int ROWS = 2000;
    static SqlCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = SqlCluster.builder().maxWriteSetBytes(TXN_LIMIT).maxOperatorMemory(OPERATOR_LIMIT).build();
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE lim");
            s.execute("CREATE TABLE lim.big (id INT PRIMARY KEY, pad VARCHAR(200))");
            // about 220 bytes a row: 100 rows a statement stay within the 64 KiB write set
            try (PreparedStatement p = c.prepareStatement("INSERT INTO lim.big VALUES (?, ?)")) {
                for (int i = 0; i < ROWS; i++) {
                    p.setInt(1, i);
                    p.setString(2, String.format("%05d", (i * 7919) % ROWS) + "x".repeat(195));
                    p.addBatch();
                    if (i % 100 == 99) {
                        p.executeBatch();
                    }
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static List<String> rows(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    private static void assertMysqlError(SQLException e, int code, String sqlState) {
        assertThat(e.getErrorCode()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.getSQLState()).isEqualTo(sqlState);
    }

    @Test
    void aStatementPastTheWriteSetLimitFailsWith1197AndTheTransactionKeepsItsEarlierStatements() throws Exception {
        try (Connection c = cluster.connect(0, "lim"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE copy1 (id INT PRIMARY KEY, pad VARCHAR(200))");
            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO copy1 VALUES (-1, 'before')");
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO copy1 SELECT id, pad FROM big"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertMysqlError(e, 1197, "HY000");
                        assertThat(e.getMessage()).contains("'cairn.txn.max-size'").contains(String.valueOf(TXN_LIMIT))
                                .contains("transaction too large");
                    });
            s.executeUpdate("INSERT INTO copy1 SELECT id, pad FROM big WHERE id < 10"); // the transaction goes on
            s.executeUpdate("INSERT INTO copy1 VALUES (-2, 'after')");
            c.commit();
            c.setAutoCommit(true);
            assertThat(rows(s, "SELECT COUNT(*), MIN(id), MAX(id) FROM copy1")).containsExactly("12|-2|9");
        }
    }

    @Test
    void anAutocommitStatementPastTheLimitChangesNothing() throws Exception {
        try (Connection c = cluster.connect(0, "lim"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE copy2 (id INT PRIMARY KEY, pad VARCHAR(200), KEY (pad))");
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO copy2 SELECT id, pad FROM big WHERE id < 200"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertMysqlError(e, 1197, "HY000"));
            assertThat(rows(s, "SELECT COUNT(*) FROM copy2")).containsExactly("0");
            // index entries count too: 100 rows fit without the index, not with it
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO copy2 SELECT id, pad FROM big WHERE id < 150"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertMysqlError(e, 1197, "HY000"));
            s.executeUpdate("INSERT INTO copy2 SELECT id, pad FROM big WHERE id < 50");
            assertThat(rows(s, "SELECT COUNT(*) FROM copy2")).containsExactly("50");
        }
    }

    @Test
    void sortingMoreThanTheOperatorMemoryFailsWith1038() throws Exception {
        try (Connection c = cluster.connect(0, "lim"); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> rows(s, "SELECT id, pad FROM big ORDER BY pad DESC"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertMysqlError(e, 1038, "HY001");
                        assertThat(e.getMessage()).startsWith("Out of sort memory")
                                .contains("'cairn.sql.max-operator-memory'");
                    });
            // the session goes on, and a sort within the limit works
            List<String> sorted = rows(s, "SELECT id FROM big WHERE id < 100 ORDER BY pad DESC, id");
            assertThat(sorted).hasSize(100);
            assertThat(rows(s, "SELECT COUNT(*) FROM big")).as("no sort, no limit").containsExactly(String.valueOf(ROWS));
            // a top-N sort holds N rows only
            assertThat(rows(s, "SELECT id FROM big ORDER BY pad DESC LIMIT 3")).hasSize(3);

        }
    }

    @Test
    void groupingIntoMoreGroupsThanTheOperatorMemoryHoldsFailsWith1038() throws Exception {
        try (Connection c = cluster.connect(0, "lim"); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> rows(s, "SELECT pad, COUNT(*) FROM big GROUP BY pad"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertMysqlError(e, 1038, "HY001"));
            assertThatThrownBy(() -> rows(s, "SELECT DISTINCT pad FROM big"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertMysqlError(e, 1038, "HY001"));
            // few groups hold little, however many rows go into them
            assertThat(rows(s, "SELECT id % 4, COUNT(*) FROM big GROUP BY id % 4 ORDER BY 1"))
                    .containsExactly("0|500", "1|500", "2|500", "3|500");
            assertThat(rows(s, "SELECT COUNT(DISTINCT id % 10) FROM big")).containsExactly("10");
        }
    }

    /** A copy of {@code big} made within the write-set limit, 100 rows a statement, with k a permutation of the ids. */
    private static void copyBig(Statement s, String table) throws SQLException {
        s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, k INT, pad VARCHAR(200))");
        for (int from = 0; from < ROWS; from += 100) {
            s.executeUpdate("INSERT INTO " + table + " SELECT id, (id * 7919) % " + ROWS + ", pad FROM big WHERE id >= "
                    + from + " AND id < " + (from + 100));
        }
    }

    /** The ids with k below {@code bound} in the order of an index on (k, pad), from a full scan's rows. */
    private static List<String> idsInIndexOrder(Statement s, String table, int bound) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT id, k, pad FROM " + table)) {
            while (rs.next()) {
                rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        return rows.stream().filter(r -> Integer.parseInt(r[1]) < bound)
                .sorted(java.util.Comparator.<String[]>comparingInt(r -> Integer.parseInt(r[1]))
                        .thenComparing(r -> r[2]).thenComparingInt(r -> Integer.parseInt(r[0])))
                .map(r -> r[0]).toList();
    }

    @Test
    void anIndexWhoseEntriesExceedTheWriteSetLimitIsBuiltInBatchesWhileWritersChangeTheTable() throws Exception {
        try (Connection c = cluster.connect(0, "lim"); Statement s = c.createStatement()) {
            copyBig(s, "ix1");
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger updates = new java.util.concurrent.atomic.AtomicInteger();
            Thread writer = new Thread(() -> {
                java.util.Random random = new java.util.Random(7);
                try (Connection w = cluster.connect(0, "lim");
                        PreparedStatement u = w.prepareStatement("UPDATE ix1 SET k = ?, pad = ? WHERE id = ?")) {
                    while (!stop.get()) {
                        u.setInt(1, random.nextInt(ROWS));
                        u.setString(2, String.format("%05d", random.nextInt(ROWS)) + "y".repeat(195));
                        u.setInt(3, random.nextInt(ROWS));
                        u.executeUpdate();
                        updates.incrementAndGet();
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            int before;
            int after;
            try {
                // the writer is under way before the build starts (the build of 2,000 rows can take a quarter second)
                Wait.until("the writer's first update", Duration.ofSeconds(30),
                        () -> updates.get() > 0 || !writer.isAlive());
                before = updates.get();
                // about 440 KB of index entries against a 64 KiB write set: one transaction would fail with 1197
                s.execute("CREATE INDEX k_pad ON ix1 (k, pad)");
                after = updates.get();
            } finally {
                stop.set(true);
                writer.join();
            }
            assertThat(after).as("rows changed while the index was built").isGreaterThan(before);
            // the index is read in (k, pad) order, a full scan in id order: the same ids in index order prove its entries
            assertThat(rows(s, "SELECT id FROM ix1 WHERE k < 100")).isEqualTo(idsInIndexOrder(s, "ix1", 100));
            assertThat(rows(s, "SELECT COUNT(*), SUM(id) FROM ix1 WHERE k >= 0"))
                    .as("one entry per row, none left behind by an update").containsExactly(ROWS + "|" + (ROWS * (ROWS - 1) / 2));
            assertThat(rows(s, "SHOW INDEX FROM ix1").stream().filter(r -> r.contains("k_pad")).count()).isEqualTo(2);
        }
    }

    @Test
    void aUniqueIndexOverDuplicatesFailsWith1062AndIsRemoved() throws Exception {
        try (Connection c = cluster.connect(0, "lim"); Statement s = c.createStatement()) {
            copyBig(s, "ix2");
            s.executeUpdate("UPDATE ix2 SET pad = (SELECT pad FROM big WHERE id = 3) WHERE id = 1999");
            assertThatThrownBy(() -> s.execute("ALTER TABLE ix2 ADD UNIQUE INDEX pad_u (pad)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertMysqlError(e, 1062, "23000");
                        assertThat(e.getMessage()).contains("pad_u");
                    });
            assertThat(rows(s, "SHOW INDEX FROM ix2")).noneMatch(r -> r.contains("pad_u"));
            s.executeUpdate("UPDATE ix2 SET pad = 'unique now' WHERE id = 1999");
            s.execute("ALTER TABLE ix2 ADD UNIQUE INDEX pad_u (pad)");
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO ix2 VALUES (5000, 1, 'unique now')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertMysqlError(e, 1062, "23000"));
        }
    }
}
