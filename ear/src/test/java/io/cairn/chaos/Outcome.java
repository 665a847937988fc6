package io.cairn.chaos;

import java.sql.SQLException;

/** What a client was told of its write, which the final check holds against what the tables show. */
enum Outcome {
    ACKNOWLEDGED,
    /** The answer was lost: the write may or may not have been applied; the final read decides. */
    UNKNOWN,
    /** Refused for sure: the write must not show. */
    REFUSED;

    /** The outcome of a write that failed with {@code e} ({@link Client#outcomeUnknown}). */
    static Outcome ofFailure(SQLException e) {
        return Client.outcomeUnknown(e) ? UNKNOWN : REFUSED;
    }
}
