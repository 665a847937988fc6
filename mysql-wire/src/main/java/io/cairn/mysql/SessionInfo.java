package io.cairn.mysql;

import java.net.SocketAddress;
import java.util.Map;

/**
 * Who connected: passed to {@link SessionHandlerFactory#open} after authentication succeeded.
 *
 * @param connectionId       the id announced in the handshake (what {@code KILL id} and CONNECTION_ID() use)
 * @param user               the authenticated user name
 * @param database           the database asked for in the handshake, or null
 * @param attributes         connection attributes sent by the client (CLIENT_CONNECT_ATTRS), possibly empty
 * @param clientCapabilities the capability flags both sides agreed on (client's flags ∩ server's)
 * @param remoteAddress      the client's address: the peer of the connection, or, for a login through a
 *                           Cairn proxy, the address of the proxy's client
 * @param secure             whether the client's connection uses TLS (through a proxy: the client's connection
 *                           to the proxy, as the proxy's login says)
 * @param proxy              the proxy's own connection counts when a Cairn proxy logged in on the client's
 *                           behalf, else null (a direct client)
 * @param traffic            the bytes this connection exchanged with its client so far, adding to its server's
 *                           ({@link ClientTraffic#server()}): MySQL's session and global {@code Bytes_received},
 *                           {@code Bytes_sent}
 */
public record SessionInfo(long connectionId, String user, String database, Map<String, String> attributes,
                          int clientCapabilities, SocketAddress remoteAddress, boolean secure, ProxyCounts proxy,
                          ClientTraffic traffic) {
    public SessionInfo {
        attributes = Map.copyOf(attributes);
        java.util.Objects.requireNonNull(traffic, "traffic");
    }

    /** A direct client's session without TLS, its bytes counted apart from any server's (tests, tools). */
    public SessionInfo(long connectionId, String user, String database, Map<String, String> attributes,
                       int clientCapabilities, SocketAddress remoteAddress) {
        this(connectionId, user, database, attributes, clientCapabilities, remoteAddress, false, null,
                ClientTraffic.forServer().forConnection());
    }

    /**
     * What a proxy counted when it logged in for a new client, so that connection limits hold per proxy,
     * where clients connect, rather than per compute node, where the proxy spreads them.
     *
     * @param connections     the proxy's client connections, this one included
     * @param userConnections the proxy's client connections of this user name, this one included
     * @param admitted        the proxy logs in for a client it admitted before (its session moves to another
     *                        compute node, or a KILL on its behalf): transport and limits were checked at its
     *                        first login and are not checked again
     */
    public record ProxyCounts(int connections, int userConnections, boolean admitted) {
    }
}
