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
     */
    record SessionView(long id, String user, String group, String computeNode, boolean inTransaction) {
    }
}
