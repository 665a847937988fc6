package io.cairn.storage;

/**
 * A connection handle from {@link ObjectStoreConnectionFactory#getConnection()}: the {@link ObjectStore}
 * operations plus health and repair.
 *
 * <p>Handles are cheap: they share the factory's endpoint clients and thread pool, so get one per unit of
 * work and close it (try-with-resources). A handle may be used by several threads until it is closed; after
 * {@link #close()} every call throws {@link IllegalStateException}.
 */
public interface ObjectStoreConnection extends ObjectStore, AutoCloseable {

    /** Probes every endpoint once (bounded by the connect timeout); never throws for a down endpoint. */
    StorageHealth health();

    /**
     * Checks every shard of one object and rewrites missing or corrupt shards from the intact ones.
     *
     * @throws ObjectNotFoundException if no committed object is under {@code key}
     * @throws StorageUnavailableException if too few endpoints answered to read k shards
     * @throws CorruptObjectException if fewer than k intact shards remain
     */
    HealReport heal(String key);

    /**
     * Heals every listed object; an object that cannot be healed is reported in
     * {@link HealReport#failures()} and the others are still healed.
     *
     * @throws StorageUnavailableException if too few endpoints answered to list
     */
    HealReport healAll();

    /** Releases the handle (not the shared clients). Idempotent. */
    /**
     * What the store behind this connection (one per connection factory, shared by its connections) did since it
     * started: calls, storage failures and healed shards. Answers from memory, no I/O.
     */
    default StorageStatistics statistics() {
        return StorageStatistics.NONE;
    }

    @Override
    void close();
}
