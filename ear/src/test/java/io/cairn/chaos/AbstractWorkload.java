package io.cairn.chaos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;

/**
 * What every workload has besides its own tables, operations and checks: its name, how many clients drive
 * it, and the run's {@link Observations} its operations and checks report to.
 */
abstract class AbstractWorkload implements Workload {
    protected final Observations obs;
    private final String name;
    private final int clients;

    protected AbstractWorkload(String name, Observations obs, int clients) {
        this.name = name;
        this.obs = Objects.requireNonNull(obs, "obs");
        this.clients = clients;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int clients() {
        return clients;
    }

    /** Runs one write statement whose two parameters are a value and the writing client's index. */
    protected static void write(Connection c, String sql, long value, int index) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, value);
            ps.setInt(2, index);
            ps.executeUpdate();
        }
    }
}
