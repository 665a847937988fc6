package io.cairn.chaos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Register: each client owns one row and counts it up (autocommit UPDATE), reading it back after every
 * write, possibly through another proxy and CN after a failover. A read below the last value the
 * client saw acknowledged or read is a stale read (read-your-writes / monotonic reads broken). After a
 * write whose answer was lost the client first reads the row to learn which value holds.
 */
final class RegisterWorkload extends AbstractWorkload {
    /** Per client: the highest value acknowledged to it or read by it. */
    private final long[] floor;
    /** Per client: the last write's outcome is unknown, read before writing again. */
    private final boolean[] resync;
    /** Per client: the phase of the write that set {@link #floor}. */
    private final String[] floorPhase;

    RegisterWorkload(Observations obs, int clients) {
        super("register", obs, clients);
        this.floor = new long[clients];
        this.resync = new boolean[clients];
        this.floorPhase = new String[clients];
    }

    @Override
    public void setUp(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS registers");
            s.execute("CREATE TABLE registers (client INT PRIMARY KEY, v BIGINT NOT NULL)");
            StringBuilder rows = new StringBuilder("INSERT INTO registers VALUES ");
            for (int i = 0; i < clients(); i++) {
                rows.append(i == 0 ? "" : ", ").append('(').append(i).append(", 0)");
                floorPhase[i] = Observations.STEADY;
            }
            s.execute(rows.toString());
        }
    }

    @Override
    public void step(int index, Client client) throws SQLException {
        Connection c = client.connection();
        c.setAutoCommit(true);
        if (resync[index]) {
            floor[index] = Math.max(floor[index], read(index, c, obs.phase()));
            resync[index] = false;
        }
        long next = floor[index] + 1;
        Attempt attempt = obs.begin();
        try {
            write(c, "UPDATE registers SET v = ? WHERE client = ?", next, index);
        } catch (SQLException e) {
            resync[index] = Client.outcomeUnknown(e);
            throw e;
        }
        floor[index] = next;
        floorPhase[index] = attempt.phase();
        obs.acknowledged(attempt);
        floor[index] = Math.max(floor[index], read(index, c, attempt.phase()));
    }

    /** Reads the client's row; a value below what it knows is a violation (reported, then returned). */
    private long read(int index, Connection c, String phase) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM registers WHERE client = ?")) {
            ps.setInt(1, index);
            try (ResultSet rs = ps.executeQuery()) {
                long v = rs.next() ? rs.getLong(1) : -1;
                if (v < floor[index]) {
                    obs.violation(phase, "register: client " + index + " read " + v + " after it had seen "
                            + floor[index] + " (stale read)");
                }
                return v;
            }
        }
    }

    @Override
    public void check(Connection c) throws SQLException {
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM registers WHERE client = ?")) {
            for (int i = 0; i < clients(); i++) {
                ps.setInt(1, i);
                try (ResultSet rs = ps.executeQuery()) {
                    long v = rs.next() ? rs.getLong(1) : -1;
                    if (v < floor[i]) {
                        obs.lost(floorPhase[i], "register: client " + i + "'s value " + floor[i] + " is gone (reads " + v + ")");
                    }
                }
            }
        }
    }
}
