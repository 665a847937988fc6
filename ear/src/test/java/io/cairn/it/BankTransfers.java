package io.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Money moving between accounts through plain JDBC, each transfer logged with its id in the same transaction:
 * any consistent state of the tables (a snapshot, a restored backup) has every account's balance equal to its
 * opening balance plus what the logged transfers moved, whatever it holds of them.
 */
final class BankTransfers implements AutoCloseable {
    static final int ACCOUNTS = 20;
    static final long OPENING = 1000;

    private final String url;
    private final String db;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();

    private BankTransfers(String url, String db) {
        this.url = url;
        this.db = db;
    }

    /** Makes the tables in database {@code db} and starts {@code threads} clients moving money. */
    static BankTransfers start(String url, String db, int threads) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
            s.execute("CREATE TABLE " + db + ".account (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            s.execute("CREATE TABLE " + db + ".transfer (id BIGINT PRIMARY KEY, src INT NOT NULL, dst INT NOT NULL,"
                    + " amount BIGINT NOT NULL, note VARCHAR(64))");
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < ACCOUNTS; i++) {
                rows.append(i == 0 ? "" : ",").append('(').append(i).append(',').append(OPENING).append(')');
            }
            s.execute("INSERT INTO " + db + ".account VALUES " + rows);
        }
        BankTransfers bank = new BankTransfers(url, db);
        for (int t = 0; t < threads; t++) {
            long first = (t + 1) * 1_000_000L;
            Thread thread = new Thread(() -> bank.run(first), "bank-" + t);
            bank.threads.add(thread);
            thread.start();
        }
        return bank;
    }

    private void run(long firstId) {
        long id = firstId;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running.get()) {
            try (Connection c = DriverManager.getConnection(url, "root", "")) {
                c.setAutoCommit(false);
                while (running.get()) {
                    int src = random.nextInt(ACCOUNTS);
                    int dst = (src + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                    long amount = 1 + random.nextInt(50);
                    try (PreparedStatement out = c.prepareStatement("UPDATE " + db + ".account SET balance = balance - ? WHERE id = ?");
                            PreparedStatement in = c.prepareStatement("UPDATE " + db + ".account SET balance = balance + ? WHERE id = ?");
                            PreparedStatement log = c.prepareStatement("INSERT INTO " + db + ".transfer VALUES (?, ?, ?, ?, ?)")) {
                        out.setLong(1, amount);
                        out.setInt(2, src);
                        out.executeUpdate();
                        in.setLong(1, amount);
                        in.setInt(2, dst);
                        in.executeUpdate();
                        log.setLong(1, ++id);
                        log.setInt(2, src);
                        log.setInt(3, dst);
                        log.setLong(4, amount);
                        log.setString(5, "transfer " + id);
                        log.executeUpdate();
                        c.commit();
                        acknowledged.add(id);
                    } catch (SQLException e) { // a deadlock victim or a lock wait: that transfer did not happen
                        c.rollback();
                    }
                }
            } catch (SQLException e) {
                if (running.get()) {
                    throw new IllegalStateException("bank client failed", e);
                }
            }
        }
    }

    /** The ids of the transfers whose COMMIT was acknowledged so far. */
    Set<Long> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
    }

    /**
     * Checks the state at {@code url}: the total is unchanged, each balance is what the logged transfers made
     * it, and every transfer of {@code mustHold} is there.
     *
     * @return the number of transfers it holds
     */
    static long assertConsistent(String url, String db, Set<Long> mustHold) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT SUM(balance), COUNT(*) FROM " + db + ".account")) {
                r.next();
                assertThat(r.getLong(1)).as("the bank's total").isEqualTo(ACCOUNTS * OPENING);
                assertThat(r.getInt(2)).isEqualTo(ACCOUNTS);
            }
            long[] expected = new long[ACCOUNTS];
            Arrays.fill(expected, OPENING);
            Set<Long> held = ConcurrentHashMap.newKeySet();
            try (ResultSet r = s.executeQuery("SELECT id, src, dst, amount FROM " + db + ".transfer")) {
                while (r.next()) {
                    held.add(r.getLong(1));
                    expected[r.getInt(2)] -= r.getLong(4);
                    expected[r.getInt(3)] += r.getLong(4);
                }
            }
            try (ResultSet r = s.executeQuery("SELECT id, balance FROM " + db + ".account ORDER BY id")) {
                while (r.next()) {
                    assertThat(r.getLong(2)).as("account %d against its logged transfers", r.getInt(1))
                            .isEqualTo(expected[r.getInt(1)]);
                }
            }
            assertThat(held).as("acknowledged transfers").containsAll(mustHold);
            return held.size();
        }
    }

    /** {@code CHECKSUM TABLE} of both tables: "table checksum" lines. */
    static List<String> checksums(String url, String db) throws SQLException {
        List<String> sums = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("CHECKSUM TABLE " + db + ".account, " + db + ".transfer")) {
            while (r.next()) {
                sums.add(r.getString(1) + " " + r.getString(2));
            }
        }
        assertThat(sums).hasSize(2).allSatisfy(line -> assertThat(line).doesNotEndWith(" null"));
        return sums;
    }

    /** Every row of both tables, in key order, as text: equal states give equal lists. */
    static List<String> rows(String url, String db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement()) {
            for (String query : List.of("SELECT id, balance FROM " + db + ".account ORDER BY id",
                    "SELECT id, src, dst, amount, note FROM " + db + ".transfer ORDER BY id")) {
                try (ResultSet r = s.executeQuery(query)) {
                    int columns = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= columns; i++) {
                            row.append(r.getString(i)).append('|');
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        return rows;
    }
}
