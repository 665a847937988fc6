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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MySQL/InnoDB locking semantics over two compute nodes and one TN: writers and locking reads wait
 * for row locks, time out with 1205, deadlocks roll back one victim with 1213, writes read the
 * latest committed row, and no read-modify-write loses an update, in either concurrency mode.
 */
class LockingIT {
    private static SqlCluster cluster;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() throws Exception {
        cluster = SqlCluster.builder().cns(2).build();
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE locks");
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @BeforeEach
    void table() throws SQLException {
        try (Connection c = cluster.connect(0, "locks"); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS t");
            s.execute("CREATE TABLE t (id INT PRIMARY KEY, n INT NOT NULL, version INT NOT NULL DEFAULT 0)");
            s.execute("INSERT INTO t (id, n) VALUES (1, 0), (2, 0), (3, 0)");
        }
    }

    private static int n(Connection c, int id) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT n FROM t WHERE id = " + id)) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }

    private <T> Future<T> inBackground(Callable<T> body) {
        return pool.submit(body);
    }

    /** Waits until {@code n} transactions wait for a lock at the TN (a condition, bounded). */
    private static void awaitWaiters(int n) throws InterruptedException {
        Wait.until(n + " transactions waiting for locks", Duration.ofSeconds(20),
                () -> cluster.transactionNode().waitingForLocks() == n);
    }

    @Test
    void anUpdateWaitsForTheHolderThenChangesTheCommittedRow() throws Exception {
        try (Connection a = cluster.connect(0, "locks"); Connection b = cluster.connect(1, "locks");
             Statement sa = a.createStatement()) {
            a.setAutoCommit(false);
            sa.executeUpdate("UPDATE t SET n = n + 1 WHERE id = 1");
            Future<Integer> bUpdate = inBackground(() -> {
                try (Statement sb = b.createStatement()) {
                    return sb.executeUpdate("UPDATE t SET n = n + 10 WHERE id = 1");
                }
            });
            awaitWaiters(1);
            assertThat(bUpdate).isNotDone();
            a.commit();
            assertThat(bUpdate.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(n(b, 1)).as("B's update read A's commit (current read)").isEqualTo(11);
            a.setAutoCommit(true);
        }
    }

    /**
     * An autocommit write nobody contends commits without asking the TN for row locks; inside a
     * transaction the same write locks its row. (That a contended autocommit write still waits for the
     * holder is {@link #anUpdateWaitsForTheHolderThenChangesTheCommittedRow}.)
     */
    @Test
    void anUncontendedAutocommitWriteTakesNoRowLocks() throws Exception {
        try (Connection a = cluster.connect(0, "locks"); Statement sa = a.createStatement()) {
            long before = cluster.transactionNode().lockRequests();
            sa.executeUpdate("UPDATE t SET n = n + 1 WHERE id = 1");
            sa.executeUpdate("INSERT INTO t (id, n) VALUES (4, 4)");
            sa.executeUpdate("DELETE FROM t WHERE id = 3");
            assertThat(cluster.transactionNode().lockRequests()).isEqualTo(before);
            assertThat(n(a, 1)).isEqualTo(1);
            assertThat(n(a, 4)).isEqualTo(4);

            a.setAutoCommit(false);
            sa.executeUpdate("UPDATE t SET n = n + 1 WHERE id = 1");
            a.commit();
            a.setAutoCommit(true);
            assertThat(cluster.transactionNode().lockRequests()).isGreaterThan(before);
            assertThat(n(a, 1)).isEqualTo(2);
        }
    }

    @Test
    void aWaitLongerThanInnodbLockWaitTimeoutFailsWith1205AndKeepsTheTransaction() throws Exception {
        try (Connection a = cluster.connect(0, "locks"); Connection b = cluster.connect(1, "locks");
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            sb.execute("SET SESSION innodb_lock_wait_timeout = 1");
            try (ResultSet rs = sb.executeQuery("SELECT @@innodb_lock_wait_timeout, @@global.innodb_lock_wait_timeout")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
                assertThat(rs.getLong(2)).isEqualTo(50);
            }
            a.setAutoCommit(false);
            sa.executeUpdate("UPDATE t SET n = 5 WHERE id = 1");
            b.setAutoCommit(false);
            sb.executeUpdate("UPDATE t SET n = 7 WHERE id = 2");
            long start = System.nanoTime();
            assertThatThrownBy(() -> sb.executeUpdate("UPDATE t SET n = 7 WHERE id = 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1205);
                        assertThat(e.getMessage()).isEqualTo("Lock wait timeout exceeded; try restarting transaction");
                    });
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(waitedMs).isBetween(900L, 5000L);
            assertThat(n(b, 2)).as("the transaction is still open with its earlier write").isEqualTo(7);
            b.commit();
            a.commit();
            assertThat(n(a, 1)).isEqualTo(5);
            assertThat(n(a, 2)).isEqualTo(7);
            a.setAutoCommit(true);
            b.setAutoCommit(true);
        }
    }

    @Test
    void setGlobalInnodbLockWaitTimeoutReachesNewSessionsOfThatComputeNode() throws Exception {
        try (Connection root = cluster.connect(1, "locks"); Statement s = root.createStatement()) {
            s.execute("SET GLOBAL innodb_lock_wait_timeout = 2");
            try (ResultSet rs = s.executeQuery("SELECT @@session.innodb_lock_wait_timeout")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the running session keeps its value").isEqualTo(50);
            }
            try (Connection fresh = cluster.connect(1, "locks"); Statement f = fresh.createStatement();
                 ResultSet rs = f.executeQuery("SELECT @@innodb_lock_wait_timeout")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
            }
            s.execute("SET GLOBAL innodb_lock_wait_timeout = 50");
            assertThatThrownBy(() -> s.execute("SET cairn_txn_mode = 'sometimes'"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1231));
        }
    }

    @Test
    void aDeadlockRollsBackExactlyOneTransaction() throws Exception {
        try (Connection a = cluster.connect(0, "locks"); Connection b = cluster.connect(1, "locks");
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            sa.executeUpdate("UPDATE t SET n = n + 1 WHERE id = 1");
            sb.executeUpdate("UPDATE t SET n = n + 100 WHERE id = 2");
            Future<Integer> aSecond = inBackground(() -> sa.executeUpdate("UPDATE t SET n = n + 1 WHERE id = 2"));
            awaitWaiters(1);
            SQLException victim = null;
            try {
                sb.executeUpdate("UPDATE t SET n = n + 100 WHERE id = 1");
            } catch (SQLException e) {
                victim = e;
            }
            assertThat((Object) victim).as("B closed the cycle: it is the victim").isNotNull();
            assertThat(victim.getErrorCode()).isEqualTo(1213);
            assertThat(victim.getSQLState()).isEqualTo("40001");
            assertThat(aSecond.get(10, TimeUnit.SECONDS)).as("A goes on once B is rolled back").isEqualTo(1);
            a.commit();
            b.commit(); // B's transaction was rolled back: nothing left to commit
            assertThat(n(a, 1)).isEqualTo(1);
            assertThat(n(a, 2)).as("B's first update was rolled back with it").isEqualTo(1);
            a.setAutoCommit(true);
            b.setAutoCommit(true);
        }
    }

    @Test
    void selectForUpdateOnTwoComputeNodesSerializesReadModifyWrite() throws Exception {
        try (Connection a = cluster.connect(0, "locks"); Connection b = cluster.connect(1, "locks");
             Statement sa = a.createStatement()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            int read;
            try (ResultSet rs = sa.executeQuery("SELECT n FROM t WHERE id = 3 FOR UPDATE")) {
                rs.next();
                read = rs.getInt(1);
            }
            Future<Integer> bRead = inBackground(() -> {
                try (Statement sb = b.createStatement(); ResultSet rs = sb.executeQuery("SELECT n FROM t WHERE id = 3 FOR UPDATE")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            awaitWaiters(1);
            sa.executeUpdate("UPDATE t SET n = " + (read + 1) + " WHERE id = 3");
            a.commit();
            int bSaw = bRead.get(10, TimeUnit.SECONDS);
            assertThat(bSaw).as("the locking read returns the latest commit").isEqualTo(read + 1);
            try (Statement sb = b.createStatement()) {
                sb.executeUpdate("UPDATE t SET n = " + (bSaw + 1) + " WHERE id = 3");
            }
            b.commit();
            assertThat(n(a, 3)).isEqualTo(read + 2);
            a.setAutoCommit(true);
            b.setAutoCommit(true);
        }
    }

    @Test
    void forShareIsSharedByReadersAndMakesWritersWait() throws Exception {
        try (Connection a = cluster.connect(0, "locks"); Connection b = cluster.connect(1, "locks");
             Connection c = cluster.connect(0, "locks"); Statement sa = a.createStatement();
             Statement sb = b.createStatement()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            sa.executeQuery("SELECT n FROM t WHERE id = 1 FOR SHARE").close();
            sb.executeQuery("SELECT n FROM t WHERE id = 1 LOCK IN SHARE MODE").close();
            Future<Integer> write = inBackground(() -> {
                try (Statement sc = c.createStatement()) {
                    return sc.executeUpdate("UPDATE t SET n = 42 WHERE id = 1");
                }
            });
            awaitWaiters(1);
            a.commit();
            assertThat(write).as("B still shares the row").isNotDone();
            assertThatThrownBy(() -> sa.executeQuery("SELECT n FROM t WHERE id = 1 FOR UPDATE NOWAIT"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(3572));
            a.rollback();
            b.commit();
            assertThat(write.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(n(a, 1)).isEqualTo(42);
            a.setAutoCommit(true);
            b.setAutoCommit(true);
        }
    }

    @Test
    void sixteenSessionsDoingReadModifyWriteLoseNoUpdate() throws Exception {
        int sessions = 16;
        int rounds = 15;
        List<Future<Integer>> workers = new ArrayList<>();
        AtomicInteger deadlocks = new AtomicInteger();
        for (int i = 0; i < sessions; i++) {
            int cn = i % 2;
            int pattern = i % 4;
            workers.add(inBackground(() -> {
                try (Connection c = cluster.connect(cn, "locks")) {
                    for (int r = 0; r < rounds; r++) {
                        while (!readModifyWrite(c, pattern)) {
                            deadlocks.incrementAndGet();
                        }
                    }
                }
                return rounds;
            }));
        }
        int done = 0;
        for (Future<Integer> w : workers) {
            done += w.get(5, TimeUnit.MINUTES);
        }
        try (Connection c = cluster.connect(0, "locks")) {
            assertThat(n(c, 1) + n(c, 2)).as("every increment is there (%d retried)", deadlocks.get()).isEqualTo(done);
        }
    }

    /**
     * One increment of row 1 or 2 by one of four patterns, each moving the row's version as JPA's
     * guard needs: SELECT … FOR UPDATE then UPDATE; UPDATE n = n + 1; the JPA @Version pattern under
     * READ COMMITTED (plain read, then a guarded UPDATE that may match nothing); the same in
     * optimistic mode.
     *
     * @return false when the attempt was refused (1213, or the version moved) and must be repeated
     */
    private static boolean readModifyWrite(Connection c, int pattern) throws SQLException {
        int id = 1 + ThreadLocalRandom.current().nextInt(2);
        try (Statement s = c.createStatement()) {
            s.execute("SET cairn_txn_mode = '" + (pattern == 3 ? "optimistic" : "pessimistic") + "'");
            c.setTransactionIsolation(pattern >= 2 ? Connection.TRANSACTION_READ_COMMITTED
                    : Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            try {
                switch (pattern) {
                    case 0 -> {
                        int n;
                        try (ResultSet rs = s.executeQuery("SELECT n FROM t WHERE id = " + id + " FOR UPDATE")) {
                            rs.next();
                            n = rs.getInt(1);
                        }
                        s.executeUpdate("UPDATE t SET n = " + (n + 1) + ", version = version + 1 WHERE id = " + id);
                    }
                    case 1 -> s.executeUpdate("UPDATE t SET n = n + 1, version = version + 1 WHERE id = " + id);
                    default -> {
                        int n;
                        int version;
                        try (ResultSet rs = s.executeQuery("SELECT n, version FROM t WHERE id = " + id)) {
                            rs.next();
                            n = rs.getInt(1);
                            version = rs.getInt(2);
                        }
                        try (PreparedStatement u = c.prepareStatement(
                                "UPDATE t SET n = ?, version = ? WHERE id = ? AND version = ?")) {
                            u.setInt(1, n + 1);
                            u.setInt(2, version + 1);
                            u.setInt(3, id);
                            u.setInt(4, version);
                            if (u.executeUpdate() != 1) {
                                c.rollback(); // OptimisticLockException, as JPA would raise it
                                return false;
                            }
                        }
                    }
                }
                c.commit();
                return true;
            } catch (SQLException e) {
                if (e.getErrorCode() != 1213) {
                    throw e;
                }
                c.rollback();
                return false;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    @Test
    void jpaStyleTransfersUnderReadCommittedKeepEveryBalanceExactInBothModes() throws Exception {
        for (String mode : List.of("pessimistic", "optimistic")) {
            try (Connection c = cluster.connect(0, "locks"); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS acct");
                s.execute("CREATE TABLE acct (id INT PRIMARY KEY, balance INT NOT NULL, version INT NOT NULL)");
                s.execute("INSERT INTO acct VALUES (1, 1000, 0), (2, 1000, 0), (3, 1000, 0), (4, 1000, 0)");
            }
            int[] expected = {0, 1000, 1000, 1000, 1000};
            List<Future<List<int[]>>> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int cn = i % 2;
                clients.add(inBackground(() -> {
                    List<int[]> committed = new ArrayList<>();
                    try (Connection c = cluster.connect(cn, "locks")) {
                        try (Statement s = c.createStatement()) {
                            s.execute("SET cairn_txn_mode = '" + mode + "'");
                        }
                        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED); // Liberty's default
                        c.setAutoCommit(false);
                        for (int r = 0; r < 25; r++) {
                            int from = 1 + ThreadLocalRandom.current().nextInt(4);
                            int to = 1 + (from + ThreadLocalRandom.current().nextInt(3)) % 4;
                            int amount = 1 + ThreadLocalRandom.current().nextInt(50);
                            if (versionedTransfer(c, from, to, amount)) {
                                committed.add(new int[] {from, to, amount});
                            }
                        }
                    }
                    return committed;
                }));
            }
            for (Future<List<int[]>> client : clients) {
                for (int[] t : client.get(5, TimeUnit.MINUTES)) {
                    expected[t[0]] -= t[2];
                    expected[t[1]] += t[2];
                }
            }
            try (Connection c = cluster.connect(1, "locks"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, balance FROM acct ORDER BY id")) {
                int total = 0;
                while (rs.next()) {
                    assertThat(rs.getInt(2)).as(mode + ": account " + rs.getInt(1) + " against the committed transfers")
                            .isEqualTo(expected[rs.getInt(1)]);
                    total += rs.getInt(2);
                }
                assertThat(total).as(mode).isEqualTo(4000);
            }
        }
    }

    /**
     * What EclipseLink does for a transfer between two {@code @Version} entities: read both, then
     * {@code UPDATE … WHERE id = ? AND version = ?} for each; an update that matches nothing is an
     * OptimisticLockException (rollback). A 1213 is a rollback too.
     *
     * @return whether the transfer committed
     */
    private static boolean versionedTransfer(Connection c, int from, int to, int amount) throws SQLException {
        try {
            int[] fromRow = versionedRead(c, from);
            int[] toRow = versionedRead(c, to);
            if (!versionedWrite(c, from, fromRow[0] - amount, fromRow[1]) || !versionedWrite(c, to, toRow[0] + amount, toRow[1])) {
                c.rollback();
                return false;
            }
            c.commit();
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() != 1213) {
                throw e;
            }
            c.rollback();
            return false;
        }
    }

    private static int[] versionedRead(Connection c, int id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT balance, version FROM acct WHERE id = ?")) {
            p.setInt(1, id);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return new int[] {rs.getInt(1), rs.getInt(2)};
            }
        }
    }

    private static boolean versionedWrite(Connection c, int id, int balance, int version) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE acct SET balance = ?, version = ? WHERE id = ? AND version = ?")) {
            u.setInt(1, balance);
            u.setInt(2, version + 1);
            u.setInt(3, id);
            u.setInt(4, version);
            return u.executeUpdate() == 1;
        }
    }

    @Test
    void theLocksOfADeadComputeNodeAreReleasedWithinTheOwnerTimeout() throws Exception {
        try (SqlCluster own = SqlCluster.builder().cns(2).build()) {
            try (Connection c = own.connect(0, ""); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE d");
                s.execute("CREATE TABLE d.t (id INT PRIMARY KEY, n INT)");
                s.execute("INSERT INTO d.t VALUES (1, 0)");
            }
            Connection doomed = own.connect(1, "d");
            doomed.setAutoCommit(false);
            try (Statement s = doomed.createStatement()) {
                s.executeUpdate("UPDATE t SET n = 99 WHERE id = 1");
            }
            own.killCn(1);
            long killed = System.nanoTime();
            try (Connection c = own.connect(0, "d"); Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("UPDATE t SET n = n + 1 WHERE id = 1")).isEqualTo(1);
                long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                assertThat(waitedMs).as("released by the TN's owner timeout (3 s)").isLessThan(7000);
                try (ResultSet rs = s.executeQuery("SELECT n FROM t WHERE id = 1")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("the dead CN's write never committed").isEqualTo(1);
                }
            }
            try {
                doomed.close();
            } catch (SQLException e) {
                // its server is gone
            }
        }
    }
}
