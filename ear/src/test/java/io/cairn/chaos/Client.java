package io.cairn.chaos;

import com.mysql.cj.jdbc.JdbcConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One JDBC session of a workload through the proxies: an unmodified Connector/J multi-host URL (the
 * host order rotated per client, so new sessions spread), bounded connect and socket timeouts, no
 * auto-reconnect. A broken session is closed and the next call opens a new one through the URL,
 * which fails over to the next proxy that answers.
 */
final class Client implements AutoCloseable {
    /**
     * Connector/J's options: short timeouts so a paused server costs seconds, not minutes (a silent server
     * holds a new connection for the socket timeout in the handshake); writes allowed after a failover;
     * both "retry source" thresholds 0, so a session never falls back to the first host by itself.
     */
    private static final String OPTIONS = "?sslMode=DISABLED&allowPublicKeyRetrieval=true&connectTimeout=2000"
            + "&socketTimeout=8000&autoReconnect=false&failOverReadOnly=false&retriesAllDown=3"
            + "&initialTimeout=1&queriesBeforeRetrySource=0&secondsBeforeRetrySource=0"
            // the driver's own failover warnings (stack traces on stderr); the run counts every error by code
            + "&logger=com.mysql.cj.log.NullLogger";

    private final String url;
    private Connection connection;

    Client(CairnCluster cluster, int rotation, String database) {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < cluster.servers(); i++) {
            hosts.add("127.0.0.1:" + cluster.proxyPort(1 + (i + rotation) % cluster.servers()));
        }
        this.url = "jdbc:mysql://" + String.join(",", hosts) + "/" + database + OPTIONS;
    }

    /** The session, opened (through the multi-host URL) if there is none. */
    Connection connection() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(url, "root", "");
        }
        return connection;
    }

    /** The proxy (host:port) the open session goes through, or null without one. */
    String proxy() {
        try {
            return connection == null ? null : connection.unwrap(JdbcConnection.class).getHostPortPair();
        } catch (SQLException | RuntimeException e) {
            return "?";
        }
    }

    /** Drops the session after an error that may have broken it; the next call opens a new one. */
    void reset() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // the session is already gone; nothing to release
            }
            connection = null;
        }
    }

    /**
     * Whether an error leaves the statement's effect unknown: anything but a definite refusal
     * (write conflict 1213/40001, duplicate key 1062, a syntax or catalog error) may have been
     * applied before the answer was lost.
     */
    static boolean outcomeUnknown(SQLException e) {
        int code = e.getErrorCode();
        return !(code == 1213 || "40001".equals(e.getSQLState()) || code == 1062 || code == 1064 || code == 1146);
    }

    /** {@code code/SQLSTATE: first line of the message}, as the report names an error. */
    static String describe(SQLException e) {
        return e.getErrorCode() + "/" + e.getSQLState() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }

    @Override
    public void close() {
        reset();
    }
}
