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
}
