package io.cairn.proxy;

import io.cairn.mysql.server.ServerStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client session has set up on its compute node and must find again on another one: the
 * current database, the SET statements that succeeded (replayed in order; a SET of only literal
 * values replaces an earlier one of the same keys), prepared statements, and the status flags of the
 * last answer (inside a transaction or not). The character set and capabilities come from the
 * handshake and are sent again with every login. Touched only by the session's event loop.
 *
 * <p>Not carried: user variables assigned inside other statements ({@code SELECT @x := …},
 * {@code SELECT … INTO @x}), SQL-level PREPARE, temporary tables; a SET whose value is an expression
 * ({@code NOW()}, {@code @x + 1}) is replayed as an expression, so it is evaluated again.
 */
final class SessionState {
    /** More SET statements than this and the session can no longer be moved. */
    static final int MAX_SETS = 256;

    /** A prepared statement as the client knows it, and its id on the current compute node. */
    static final class Prepared {
        final int clientId;
        final String sql;
        final int parameters;
        int backendId;
        /** The parameter types of the last execute that sent them (2 bytes each), or null. */
        byte[] types;
        /** Whether the current compute node has seen {@link #types} for this statement. */
        boolean typesSent;
        /** Long data sent and not yet consumed by an execute: the statement cannot move. */
        boolean longData;
        /**
         * The compute node holds an open cursor of this statement (an execute answered with
         * SERVER_STATUS_CURSOR_EXISTS, not yet ended by the last fetch, an error, a reset or a close): the
         * session cannot move, the cursor would not follow.
         */
        boolean cursorOpen;

        Prepared(int clientId, String sql, int parameters, int backendId) {
            this.clientId = clientId;
            this.sql = sql;
            this.parameters = parameters;
            this.backendId = backendId;
        }
    }

    private String database;
    private volatile int status = ServerStatus.AUTOCOMMIT; // volatile: the rebalance reads it from another thread
    private final Map<String, String> sets = new LinkedHashMap<>();
    private int expressionSets;
    private final Map<Integer, Prepared> statements = new LinkedHashMap<>();
    private int nextStatementId = 1;
    private int lastPrepared = -1;
    private boolean untracked;

    SessionState(String database) {
        this.database = database;
    }

    String database() {
        return database;
    }

    void database(String name) {
        database = name;
    }

    int status() {
        return status;
    }

    void status(int flags) {
        status = flags;
    }

    boolean inTransaction() {
        return (status & ServerStatus.IN_TRANS) != 0;
    }

    /** Records a SET statement that succeeded. */
    void recordSet(SessionStatement set, String sql) {
        String key = set.constant() ? String.join(",", set.keys()) : "expression#" + expressionSets++;
        sets.remove(key);
        sets.put(key, sql);
        if (sets.size() > MAX_SETS) {
            untracked = true;
        }
    }

    /** The SET statements to replay on a new compute node, in order. */
    Collection<String> sets() {
        return sets.values();
    }

    /** COM_RESET_CONNECTION succeeded: variables and prepared statements are gone, the database stays. */
    void reset() {
        sets.clear();
        statements.clear();
        lastPrepared = -1;
        untracked = false;
        status = ServerStatus.AUTOCOMMIT;
    }

    /** Records a statement the compute node prepared; returns the id the client is given. */
    int prepared(String sql, int parameters, int backendId) {
        int id = nextStatementId;
        nextStatementId = nextStatementId == Integer.MAX_VALUE ? 1 : nextStatementId + 1;
        statements.put(id, new Prepared(id, sql, parameters, backendId));
        lastPrepared = id;
        return id;
    }

    /** The statement with this client id (-1: the last prepared one), or null. */
    Prepared statement(int clientId) {
        return statements.get(clientId == -1 ? lastPrepared : clientId);
    }

    void closed(int clientId) {
        statements.remove(clientId);
    }

    List<Prepared> statements() {
        return new ArrayList<>(statements.values());
    }

    /** Why the session cannot move to another compute node now, or null when it can. */
    String unmovableReason() {
        if (untracked) {
            return "more than " + MAX_SETS + " SET statements to carry";
        }
        for (Prepared p : statements.values()) {
            if (p.longData) {
                return "long data pending for a prepared statement";
            }
            if (p.cursorOpen) {
                return "a cursor is open";
            }
        }
        return null;
    }
}
