package io.cairn.sql.catalog;

import java.util.List;

/**
 * A secondary index (or UNIQUE key). Its entries live under their own key space {@link #id()}:
 * key = memcomparable(index columns, each ascending or descending) [+ primary key for non-unique
 * indexes, and for unique ones when a column is NULL], value = the row's primary-key bytes.
 *
 * @param id         key space of the entries (allocated like table ids)
 * @param name       index name
 * @param columns    indexed column names, in order
 * @param descending per column: DESC
 * @param unique     UNIQUE
 * @param building   still being filled ({@link io.cairn.sql.exec.IndexBuild}): writers keep its entries
 *                   up to date, readers do not use it and SHOW does not list it
 */
public record IndexDefinition(long id, String name, List<String> columns, List<Boolean> descending, boolean unique,
        boolean building) {
    public IndexDefinition {
        columns = List.copyOf(columns);
        descending = List.copyOf(descending);
    }

    /** A complete index. */
    public IndexDefinition(long id, String name, List<String> columns, List<Boolean> descending, boolean unique) {
        this(id, name, columns, descending, unique, false);
    }

    /** This index, complete. */
    public IndexDefinition built() {
        return new IndexDefinition(id, name, columns, descending, unique, false);
    }
}
