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
 */
public record IndexDefinition(long id, String name, List<String> columns, List<Boolean> descending, boolean unique) {
    public IndexDefinition {
        columns = List.copyOf(columns);
        descending = List.copyOf(descending);
    }
}
