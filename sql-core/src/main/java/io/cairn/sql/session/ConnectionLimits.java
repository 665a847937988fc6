package io.cairn.sql.session;

import io.cairn.mysql.MysqlError;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.SessionInfo;
import io.cairn.sql.auth.Account;
import java.util.Collection;

/**
 * Admits a logged-in client under the connection limits: {@code max_connections} (1040),
 * the account's {@code MAX_USER_CONNECTIONS} (1226) and the global {@code max_user_connections} (1203).
 *
 * <p>Where connections are counted: a client that connects to a compute node directly counts among that
 * compute node's direct sessions; a client of a proxy counts among that proxy's client connections, which
 * the proxy states in its login ({@link SessionInfo.ProxyCounts}), because clients connect to proxies and
 * a proxy spreads them over several compute nodes. So each limit holds per proxy and per compute node
 * port, like MySQL's per server, not for the cluster as a whole. A proxy counts users by name, not by
 * account: for a user with accounts on several host patterns the account's limit bounds all of them. A
 * session that the proxy moves between compute nodes (or a KILL the proxy sends for it) was admitted
 * already and is not checked again.
 */
final class ConnectionLimits {
    private ConnectionLimits() {
    }

    /**
     * @param others the compute node's other open sessions (not yet including this one)
     * @throws MysqlException 1040, 1226 or 1203
     */
    static void admit(SessionInfo info, Account account, GlobalVariables globals, Collection<Session> others)
            throws MysqlException {
        SessionInfo.ProxyCounts proxy = info.proxy();
        if (proxy != null && proxy.admitted()) {
            return;
        }
        long connections;
        long userConnections;
        if (proxy != null) {
            connections = proxy.connections();
            userConnections = proxy.userConnections();
        } else {
            connections = 1;
            userConnections = 1;
            for (Session s : others) {
                if (!s.viaProxy()) {
                    connections++;
                    if (s.account().user().equals(account.user()) && s.account().host().equals(account.host())) {
                        userConnections++;
                    }
                }
            }
        }
        if (connections > value(globals, "max_connections")) {
            throw MysqlException.of(MysqlError.CON_COUNT);
        }
        if (account.maxUserConnections() > 0) {
            if (userConnections > account.maxUserConnections()) {
                throw MysqlException.of(MysqlError.USER_LIMIT_REACHED, account.user(), "max_user_connections",
                        account.maxUserConnections());
            }
        } else {
            long global = value(globals, "max_user_connections");
            if (global > 0 && userConnections > global) {
                throw MysqlException.of(MysqlError.TOO_MANY_USER_CONNECTIONS, account.user());
            }
        }
    }

    private static long value(GlobalVariables globals, String name) {
        Object v = globals.get(name);
        return ((Number) (v != null ? v : SessionVariables.DEFAULTS.get(name))).longValue();
    }
}
