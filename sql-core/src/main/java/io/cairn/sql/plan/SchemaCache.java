package io.cairn.sql.plan;

import io.cairn.sql.catalog.Catalog;
import org.apache.calcite.schema.SchemaPlus;

/**
 * The Calcite schemas of the latest catalog version seen (queries and DML scans). Thread-safe:
 * the pair is replaced atomically when a newer catalog arrives; an older catalog (a long-running
 * transaction) gets schemas built for it without caching.
 */
public final class SchemaCache {
    private record Entry(Catalog catalog, SchemaPlus query, SchemaPlus dml) {
    }

    private volatile Entry latest;

    public SchemaPlus querySchema(Catalog catalog) {
        return entry(catalog).query;
    }

    public SchemaPlus dmlSchema(Catalog catalog) {
        return entry(catalog).dml;
    }

    private Entry entry(Catalog catalog) {
        Entry e = latest;
        if (e != null && e.catalog == catalog) {
            return e;
        }
        Entry built = new Entry(catalog, CatalogSchemas.build(catalog, false), CatalogSchemas.build(catalog, true));
        if (e == null || catalog.version() >= e.catalog.version()) {
            latest = built;
        }
        return built;
    }
}
