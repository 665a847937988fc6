package io.cairn.chaos;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One Jepsen-style workload: its tables, one operation of one client at a time, and the final check.
 * Operations report acknowledgements, unknown outcomes and violations to the run's
 * {@link Observations}; an operation's {@link SQLException} is counted by the caller, which then drops
 * the session. Each client index is driven by one thread; {@link #check} runs after all have stopped.
 */
interface Workload {
    String name();

    /** How many concurrent clients drive it. */
    int clients();

    /** Creates its tables afresh and their initial rows. */
    void setUp(Connection c) throws SQLException;

    /** One operation of client {@code index}. */
    void step(int index, Client client) throws SQLException;

    /** Reads the final state back: every acknowledged commit present, unknown outcomes resolved, invariants. */
    void check(Connection c) throws SQLException;
}
