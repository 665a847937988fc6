package io.cairn.chaos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bank: transfers between {@code accounts} accounts in transactions, each also inserting its row into a
 * transfers table in the same transaction. Every read of the total (every few operations) must see
 * the constant total. At the end: every acknowledged transfer is in the transfers table, a transfer
 * whose COMMIT answer was lost is resolved by that table (never counted as lost), a transfer refused
 * for sure is absent (else a phantom), and each balance equals its initial amount plus the transfers in
 * the table.
 */
final class BankWorkload extends AbstractWorkload {
    private static final long INITIAL = 1000;

    /** What the client knows of one transfer: the phase it was in, its outcome and the error that told it. */
    private record Transfer(int from, int to, long amount, String phase, Outcome outcome, String error) {
    }

    private final int accounts;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Transfer> transfers = new ConcurrentHashMap<>();

    BankWorkload(Observations obs, int accounts, int clients) {
        super("bank", obs, clients);
        this.accounts = accounts;
    }

    @Override
    public void setUp(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS accounts");
            s.execute("DROP TABLE IF EXISTS transfers");
            s.execute("CREATE TABLE accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            s.execute("CREATE TABLE transfers (id BIGINT PRIMARY KEY, src INT NOT NULL, dst INT NOT NULL, amount BIGINT NOT NULL)");
            StringBuilder rows = new StringBuilder("INSERT INTO accounts VALUES ");
            for (int i = 0; i < accounts; i++) {
                rows.append(i == 0 ? "" : ", ").append('(').append(i).append(", ").append(INITIAL).append(')');
            }
            s.execute(rows.toString());
        }
    }

    @Override
    public void step(int index, Client client) throws SQLException {
        Connection c = client.connection();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        if (r.nextInt(5) == 0) {
            readTotal(c);
        }
        int from = r.nextInt(accounts);
        int to = (from + 1 + r.nextInt(accounts - 1)) % accounts;
        long amount = 1 + r.nextInt(20);
        long id = ids.incrementAndGet();
        Attempt attempt = obs.begin();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement debit = c.prepareStatement("UPDATE accounts SET balance = balance - ? WHERE id = ?");
                    PreparedStatement credit = c.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE id = ?");
                    PreparedStatement log = c.prepareStatement("INSERT INTO transfers VALUES (?, ?, ?, ?)")) {
                debit.setLong(1, amount);
                debit.setInt(2, from);
                debit.executeUpdate();
                credit.setLong(1, amount);
                credit.setInt(2, to);
                credit.executeUpdate();
                log.setLong(1, id);
                log.setInt(2, from);
                log.setInt(3, to);
                log.setLong(4, amount);
                log.executeUpdate();
            }
        } catch (SQLException e) {
            // nothing was committed: the workspace dies with the transaction
            transfers.put(id, new Transfer(from, to, amount, attempt.phase(), Outcome.REFUSED,
                    "before COMMIT: " + Client.describe(e)));
            throw e;
        }
        try {
            c.commit();
        } catch (SQLException e) {
            transfers.put(id, new Transfer(from, to, amount, attempt.phase(), Outcome.ofFailure(e),
                    "at COMMIT: " + Client.describe(e)));
            throw e;
        }
        transfers.put(id, new Transfer(from, to, amount, attempt.phase(), Outcome.ACKNOWLEDGED, null));
        obs.acknowledged(attempt);
    }

    private void readTotal(Connection c) throws SQLException {
        c.setAutoCommit(true);
        String phase = obs.phase();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT SUM(balance), COUNT(*) FROM accounts")) {
            rs.next();
            long total = rs.getLong(1);
            if (total != INITIAL * accounts || rs.getInt(2) != accounts) {
                obs.violation(phase, "bank: a read saw total " + total + " over " + rs.getInt(2)
                        + " accounts, expected " + INITIAL * accounts + " over " + accounts);
            }
        }
    }

    @Override
    public void check(Connection c) throws SQLException {
        c.setAutoCommit(true);
        Map<Long, long[]> inTable = new HashMap<>();
        long rows = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, src, dst, amount FROM transfers")) {
            while (rs.next()) {
                rows++;
                long[] previous = inTable.put(rs.getLong(1), new long[] {rs.getInt(2), rs.getInt(3), rs.getLong(4)});
                if (previous != null) {
                    obs.duplicate(Observations.STEADY, "bank: transfer " + rs.getLong(1) + " appears twice");
                }
            }
        }
        long[] expected = new long[accounts];
        Arrays.fill(expected, INITIAL);
        for (Map.Entry<Long, long[]> e : inTable.entrySet()) {
            long[] t = e.getValue();
            expected[(int) t[0]] -= t[2];
            expected[(int) t[1]] += t[2];
            Transfer mine = transfers.get(e.getKey());
            if (mine == null) {
                obs.phantom(Observations.STEADY, "bank: transfer " + e.getKey() + " in the table was never attempted");
            } else if (mine.outcome() == Outcome.REFUSED) {
                obs.phantom(mine.phase(), "bank: transfer " + e.getKey() + " was refused to the client (" + mine.error()
                        + ") but is committed");
            }
        }
        for (Map.Entry<Long, Transfer> e : transfers.entrySet()) {
            Transfer t = e.getValue();
            boolean present = inTable.containsKey(e.getKey());
            if (t.outcome() == Outcome.ACKNOWLEDGED && !present) {
                obs.lost(t.phase(), "bank: acknowledged transfer " + e.getKey() + " (" + t.from() + "→" + t.to()
                        + ", " + t.amount() + ") is not in the transfers table");
            } else if (t.outcome() == Outcome.UNKNOWN) {
                obs.unknownResolved(t.phase(), present);
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, balance FROM accounts")) {
            while (rs.next()) {
                int id = rs.getInt(1);
                if (rs.getLong(2) != expected[id]) {
                    obs.violation(Observations.STEADY, "bank: account " + id + " holds " + rs.getLong(2)
                            + ", its initial amount plus the " + rows + " committed transfers give " + expected[id]);
                }
            }
        }
        readTotal(c);
    }
}
