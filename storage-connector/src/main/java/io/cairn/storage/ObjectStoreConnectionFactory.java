package io.cairn.storage;

import jakarta.resource.Referenceable;
import java.io.Serializable;

/**
 * The connection factory the storage resource adapter binds in JNDI; inject it with
 * {@code @Resource(lookup = "jca/cairn/storage") ObjectStoreConnectionFactory storage;}.
 *
 * <p>Thread-safe. {@link #getConnection()} is cheap (no network I/O): endpoint clients are created once per
 * factory and shared by all connections.
 */
public interface ObjectStoreConnectionFactory extends Serializable, Referenceable {

    /**
     * Returns a new connection handle; close it when done.
     *
     * @throws StorageException if the resource adapter is misconfigured or stopped
     */
    ObjectStoreConnection getConnection();
}
