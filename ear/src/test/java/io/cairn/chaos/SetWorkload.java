package io.cairn.chaos;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Set: unique values inserted in autocommit statements. At the end every acknowledged value is present,
 * none twice, none that was refused for sure; values whose answer was lost are resolved by reading.
 */
final class SetWorkload extends AbstractWorkload {
    private record Insert(String phase, Outcome outcome, String error) {
    }

    private final AtomicLong values = new AtomicLong();
    private final Map<Long, Insert> inserts = new ConcurrentHashMap<>();

    SetWorkload(Observations obs, int clients) {
        super("set", obs, clients);
    }

    @Override
    public void setUp(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS elements");
            s.execute("CREATE TABLE elements (val BIGINT PRIMARY KEY, client INT NOT NULL)");
        }
    }

    @Override
    public void step(int index, Client client) throws SQLException {
        Connection c = client.connection();
        c.setAutoCommit(true);
        long value = values.incrementAndGet();
        Attempt attempt = obs.begin();
        try {
            write(c, "INSERT INTO elements VALUES (?, ?)", value, index);
        } catch (SQLException e) {
            inserts.put(value, new Insert(attempt.phase(), Outcome.ofFailure(e), Client.describe(e)));
            throw e;
        }
        inserts.put(value, new Insert(attempt.phase(), Outcome.ACKNOWLEDGED, null));
        obs.acknowledged(attempt);
    }

    @Override
    public void check(Connection c) throws SQLException {
        c.setAutoCommit(true);
        Set<Long> present = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT val FROM elements")) {
            while (rs.next()) {
                long v = rs.getLong(1);
                if (!present.add(v)) {
                    obs.duplicate(Observations.STEADY, "set: value " + v + " read twice");
                }
            }
        }
        for (long v : present) {
            Insert mine = inserts.get(v);
            if (mine == null) {
                obs.phantom(Observations.STEADY, "set: value " + v + " was never inserted");
            } else if (mine.outcome() == Outcome.REFUSED) {
                obs.phantom(mine.phase(), "set: value " + v + " was refused to the client (" + mine.error()
                        + ") but is present");
            }
        }
        for (Map.Entry<Long, Insert> e : inserts.entrySet()) {
            Insert i = e.getValue();
            if (i.outcome() == Outcome.ACKNOWLEDGED && !present.contains(e.getKey())) {
                obs.lost(i.phase(), "set: acknowledged value " + e.getKey() + " is missing");
            } else if (i.outcome() == Outcome.UNKNOWN) {
                obs.unknownResolved(i.phase(), present.contains(e.getKey()));
            }
        }
    }
}
