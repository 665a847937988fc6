package io.cairn.mysql;

/**
 * Creates the engine side of a client connection once the client has authenticated.
 *
 * <p>Threading: called on a wire-layer executor thread (never a Netty event loop), concurrently for
 * different connections; implementations must be thread-safe.
 */
@FunctionalInterface
public interface SessionHandlerFactory {
    /**
     * Opens a session.
     *
     * @param info the authenticated client
     * @return the session's handler, not null
     * @throws MysqlException to refuse the session (e.g. {@link MysqlError#BAD_DB} for an unknown database,
     *                        {@link MysqlError#DB_ACCESS_DENIED}); the error is sent to the client and the
     *                        connection is closed
     */
    SessionHandler open(SessionInfo info) throws MysqlException;
}
