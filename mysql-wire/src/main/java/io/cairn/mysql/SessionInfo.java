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
 */
public record SessionInfo(long connectionId, String user, String database, Map<String, String> attributes,
                          int clientCapabilities, SocketAddress remoteAddress) {
    public SessionInfo {
        attributes = Map.copyOf(attributes);
    }
}
