package io.cairn.sql.catalog;

import io.cairn.data.Transaction;

/**
 * The catalog as a compute node caches it. {@link #at(Transaction)} costs one key read when nothing
 * changed: it reads the catalog version row at the transaction's snapshot and reloads the catalog
 * only when that version differs from the cached one. So a transaction always sees the catalog of its
 * own snapshot, and DDL committed on another CN is seen by the next snapshot that includes it.
 *
 * <p>Thread-safe; the cached snapshot is immutable.
 */
public final class CatalogCache {
    private final CatalogStore store;
    private volatile Catalog latest;

    public CatalogCache(CatalogStore store) {
        this.store = store;
    }

    /** The catalog as {@code t} sees it (including its own uncommitted DDL). */
    public Catalog at(Transaction t) {
        long version = store.version(t);
        Catalog cached = latest;
        if (cached != null && cached.version() == version) {
            return cached;
        }
        Catalog loaded = store.load(t);
        if (!t.hasWrites() && (cached == null || loaded.version() > cached.version())) {
            latest = loaded;
        }
        return loaded;
    }
}
