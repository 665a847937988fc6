package io.cairn.sql.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transactions over two compute nodes: visibility, rollback, isolation, and optimistic mode's
 * conflicts (1213/40001). Pessimistic locking is {@link LockingIT}'s.
 */
class TransactionsIT {
    static SqlCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = SqlCluster.builder().cns(2).build();
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE bank");
            s.execute("CREATE TABLE bank.accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            s.execute("INSERT INTO bank.accounts VALUES (1, 100), (2, 100), (3, 100)");
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static long balance(Connection c, int id) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT balance FROM accounts WHERE id = " + id)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    @Test
    void commitIsVisibleOnTheOtherNodeAndRollbackIsNot() throws SQLException {
        try (Connection a = cluster.connect(0, "bank"); Connection b = cluster.connect(1, "bank")) {
            a.setAutoCommit(false);
            try (Statement s = a.createStatement()) {
                s.executeUpdate("UPDATE accounts SET balance = balance - 10 WHERE id = 1");
                s.executeUpdate("UPDATE accounts SET balance = balance + 10 WHERE id = 2");
            }
            assertThat(balance(a, 1)).as("own writes").isEqualTo(90);
            assertThat(balance(b, 1)).as("uncommitted is invisible").isEqualTo(100);
            a.commit();
            assertThat(balance(b, 1)).as("committed on CN0, read on CN1").isEqualTo(90);
            assertThat(balance(b, 2)).isEqualTo(110);

            try (Statement s = a.createStatement()) {
                s.executeUpdate("UPDATE accounts SET balance = 0 WHERE id = 3");
            }
            a.rollback();
            assertThat(balance(b, 3)).isEqualTo(100);
            assertThat(balance(a, 3)).isEqualTo(100);
            a.setAutoCommit(true);
        }
    }

    @Test
    void rollbackToASavepointUndoesTheWorkSinceAndForgetsLaterSavepoints() throws SQLException {
        try (Connection a = cluster.connect(0, "bank"); Connection b = cluster.connect(1, "bank");
                Statement s = a.createStatement()) {
            s.execute("CREATE TABLE marks (id INT PRIMARY KEY, v INT)");
            s.execute("BEGIN");
            s.execute("INSERT INTO marks VALUES (1, 1)");
            s.execute("SAVEPOINT first");
            s.execute("INSERT INTO marks VALUES (2, 2)");
            s.execute("UPDATE marks SET v = 10 WHERE id = 1");
            s.execute("SAVEPOINT second");
            s.execute("INSERT INTO marks VALUES (3, 3)");
            s.execute("ROLLBACK TO SAVEPOINT FIRST"); // names ignore case
            assertThat(ids(a, "marks")).isEqualTo("1:1");
            assertThatThrownBy(() -> s.execute("ROLLBACK TO second"))
                    .as("a savepoint set after the one rolled back to is gone")
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1305);
                        assertThat(e.getSQLState()).isEqualTo("42000");
                        assertThat(e.getMessage()).isEqualTo("SAVEPOINT second does not exist");
                    });
            s.execute("INSERT INTO marks VALUES (4, 4)");
            s.execute("RELEASE SAVEPOINT first");
            assertThatThrownBy(() -> s.execute("ROLLBACK TO SAVEPOINT first")).isInstanceOf(SQLException.class);
            assertThat(ids(b, "marks")).as("nothing visible before the commit").isEmpty();
            s.execute("COMMIT");
            assertThat(ids(b, "marks")).isEqualTo("1:1,4:4");
            assertThatThrownBy(() -> s.execute("ROLLBACK TO SAVEPOINT first"))
                    .as("savepoints end with their transaction").isInstanceOf(SQLException.class);
        }
    }

    private static String ids(Connection c, String table) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, v FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                out.append(out.length() > 0 ? "," : "").append(rs.getInt(1)).append(':').append(rs.getInt(2));
            }
        }
        return out.toString();
    }

    @Test
    void optimisticModeFirstCommitterWinsAndTheLoserGets1213() throws SQLException {
        try (Connection a = cluster.connect(0, "bank"); Connection b = cluster.connect(1, "bank");
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            sa.execute("SET cairn_txn_mode = 'optimistic'");
            sb.execute("SET SESSION cairn_txn_mode = 'OPTIMISTIC'");
            sa.execute("CREATE TABLE counters (id INT PRIMARY KEY, n INT)");
            sa.execute("INSERT INTO counters VALUES (1, 0)");
            sa.execute("BEGIN");
            sb.execute("START TRANSACTION");
            sa.executeUpdate("UPDATE counters SET n = n + 1 WHERE id = 1");
            sb.executeUpdate("UPDATE counters SET n = n + 1 WHERE id = 1");
            sa.execute("COMMIT");
            assertThatThrownBy(() -> sb.execute("COMMIT")).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getErrorCode()).isEqualTo(1213);
                assertThat(e.getSQLState()).isEqualTo("40001");
            });
            ResultSet rs = sb.executeQuery("SELECT n FROM counters WHERE id = 1");
            rs.next();
            assertThat(rs.getInt(1)).as("exactly one increment survived").isEqualTo(1);
        }
    }

    @Test
    void optimisticModeSelectForUpdateJoinsTheConflictCheck() throws SQLException {
        try (Connection a = cluster.connect(0, "bank"); Connection b = cluster.connect(1, "bank");
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            sa.execute("SET cairn_txn_mode = 'optimistic'");
            sb.execute("SET cairn_txn_mode = 'optimistic'");
            sa.execute("CREATE TABLE locks (id INT PRIMARY KEY, v INT)");
            sa.execute("INSERT INTO locks VALUES (1, 1), (2, 2)");
            sa.execute("BEGIN");
            sa.executeQuery("SELECT v FROM locks WHERE id = 1 FOR UPDATE").close();
            sa.executeUpdate("UPDATE locks SET v = 20 WHERE id = 2");
            sb.executeUpdate("UPDATE locks SET v = 10 WHERE id = 1");
            assertThatThrownBy(() -> sa.execute("COMMIT"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1213));
            ResultSet rs = sa.executeQuery("SELECT v FROM locks ORDER BY id");
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(10);
            rs.next();
            assertThat(rs.getInt(1)).as("the aborted transaction wrote nothing").isEqualTo(2);
        }
    }

    @Test
    void isolationLevels() throws SQLException {
        try (Connection a = cluster.connect(0, "bank"); Connection b = cluster.connect(1, "bank");
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            sa.execute("CREATE TABLE iso (id INT PRIMARY KEY, v INT)");
            sa.execute("INSERT INTO iso VALUES (1, 1)");
            a.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            a.setAutoCommit(false);
            assertThat(value(sa)).isEqualTo(1);
            sb.executeUpdate("UPDATE iso SET v = 2 WHERE id = 1");
            assertThat(value(sa)).as("snapshot isolation keeps the first read").isEqualTo(1);
            a.commit();
            a.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            assertThat(value(sa)).isEqualTo(2);
            sb.executeUpdate("UPDATE iso SET v = 3 WHERE id = 1");
            assertThat(value(sa)).as("read committed sees the new commit").isEqualTo(3);
            a.commit();
            ResultSet rs = sa.executeQuery("SELECT @@transaction_isolation");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("READ-COMMITTED");
            a.setAutoCommit(true);
        }
    }

    private static int value(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT v FROM iso WHERE id = 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
