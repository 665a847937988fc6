package io.cairn.sql.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable snapshot of the catalog at one catalog version: databases and their tables and views.
 * Name lookups ignore case. Thread-safe.
 */
public final class Catalog {
    private final long version;
    private final Map<String, String> databases;
    private final Map<String, TableDefinition> tables;

    /**
     * @param databases lower-cased name → name as created
     * @param tables    {@link TableDefinition#keyOf} → definition
     */
    public Catalog(long version, Map<String, String> databases, Map<String, TableDefinition> tables) {
        this.version = version;
        this.databases = Collections.unmodifiableMap(new TreeMap<>(databases));
        this.tables = Collections.unmodifiableMap(new TreeMap<>(tables));
    }

    public long version() {
        return version;
    }

    /** The database's name as created, or null when it does not exist. */
    public String database(String name) {
        return name == null ? null : databases.get(name.toLowerCase(Locale.ROOT));
    }

    /** Database names in name order. */
    public List<String> databases() {
        return new ArrayList<>(databases.values());
    }

    /** The table or view, or null. */
    public TableDefinition table(String database, String table) {
        return database == null ? null : tables.get(TableDefinition.keyOf(database, table));
    }

    /** Tables and views of a database in name order. */
    public List<TableDefinition> tables(String database) {
        String prefix = database.toLowerCase(Locale.ROOT) + "\u0000";
        List<TableDefinition> out = new ArrayList<>();
        for (Map.Entry<String, TableDefinition> e : tables.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                out.add(e.getValue());
            }
        }
        return out;
    }
}
