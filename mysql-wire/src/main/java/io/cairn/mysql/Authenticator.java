package io.cairn.mysql;

import java.net.SocketAddress;
import java.util.Optional;

/**
 * Looks up stored credentials; the wire layer verifies the client's scramble against them. The remote
 * address is the client's, also when a Cairn proxy logs in on the client's behalf (the proxy passes it
 * in its authenticated {@code cairn_proxy} login).
 *
 * <p>Threading: called on a wire-layer executor thread, concurrently for different connections; may block
 * briefly (e.g. reading a user table). Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Authenticator {
    /**
     * @param user          the user name the client sent
     * @param remoteAddress the client's address (for host-based rules)
     * @return the user's credential, or empty when the user does not exist (the client then gets
     *         {@link MysqlError#ACCESS_DENIED}, indistinguishable from a wrong password)
     * @throws MysqlException to refuse the connection with a specific error
     */
    Optional<Credential> lookup(String user, SocketAddress remoteAddress) throws MysqlException;

    /**
     * The client failed to prove the password of the credential {@link #lookup} returned (for
     * failed-login counting; a successful login reaches {@link SessionHandlerFactory#open} instead).
     *
     * @return the error to refuse the connection with, or null for {@link MysqlError#ACCESS_DENIED}
     */
    default MysqlException loginFailed(String user, SocketAddress remoteAddress) {
        return null;
    }
}
