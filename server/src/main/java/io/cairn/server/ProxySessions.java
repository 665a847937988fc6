package io.cairn.server;

import java.util.List;
import java.util.Map;

/** A proxy's client sessions, as the admin API lists them. */
public interface ProxySessions {
    /** Sessions per compute node endpoint. */
    Map<String, Integer> sessions();

    /** Every logged-in session, by id. */
    List<SessionView> sessionViews();

    /** Ends session {@code id} as a KILL does (its running statement too); false when there is none. */
    boolean kill(long id);

    /**
     * One client session of a proxy.
     *
     * @param id          the connection id the client was given (what KILL takes)
     * @param computeNode endpoint of the CN it is on, or null while it has none (logging in, moving)
     * @param statement   the statement in flight (a query's text, or the SQL of a prepared statement being
     *                    executed or prepared), cut to {@link #STATEMENT_CHARS} characters; null while the
     *                    session waits for its client or runs a command that is no statement (ping, …)
     * @param statementMillis how long the command in flight has run, since the proxy sent it to the CN; null
     *                    while none is
     */
    record SessionView(long id, String user, String group, String computeNode, boolean inTransaction,
                       String statement, Long statementMillis) {
    }

    /** How much of a statement's text {@link SessionView#statement()} shows (as SHOW PROCESSLIST without FULL: 100). */
    int STATEMENT_CHARS = 256;
}
