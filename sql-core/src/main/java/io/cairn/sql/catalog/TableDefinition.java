package io.cairn.sql.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A table (or a view, when {@link #viewSql()} is not null), as stored in the catalog.
 *
 * <p>Rows live under key space {@link #id()}: key = memcomparable(primary-key columns), value = the
 * {@link io.cairn.sql.codec.RowCodec} row. A table without a primary key gets a hidden row id from
 * its auto-increment allocator (like InnoDB's DB_ROW_ID): key = memcomparable(row id).
 *
 * @param id         key space of the rows; a new id on TRUNCATE or on column changes
 * @param database   owning database
 * @param name       table name as declared
 * @param columns    columns in order
 * @param primaryKey primary-key column names, empty for a hidden row id
 * @param indexes    secondary indexes, UNIQUE keys included
 * @param viewSql    the SELECT of a view, or null for a base table
 * @param security   a view's DEFINER and SQL SECURITY; null for a base table, and for views created
 *                   before definers were stored (they run with the invoker's rights)
 * @param millisTemporals whether the rows hold DATETIME/TIMESTAMP values in milliseconds (tables created before
 *                   catalog format 4; kept across ALTER and TRUNCATE, which copy keys as they are) instead of
 *                   microseconds; {@link io.cairn.sql.exec.TableCodec} converts them
 */
public record TableDefinition(long id, String database, String name, List<ColumnDefinition> columns,
                              List<String> primaryKey, List<IndexDefinition> indexes, String viewSql,
                              ViewSecurity security, boolean millisTemporals) {
    public TableDefinition {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        indexes = List.copyOf(indexes);
    }

    /** A table created now (microsecond temporals), or a view. */
    public TableDefinition(long id, String database, String name, List<ColumnDefinition> columns,
            List<String> primaryKey, List<IndexDefinition> indexes, String viewSql, ViewSecurity security) {
        this(id, database, name, columns, primaryKey, indexes, viewSql, security, false);
    }

    /** A base table, or a view without a stored definer. */
    public TableDefinition(long id, String database, String name, List<ColumnDefinition> columns,
            List<String> primaryKey, List<IndexDefinition> indexes, String viewSql) {
        this(id, database, name, columns, primaryKey, indexes, viewSql, null);
    }

    /**
     * A view's DEFINER ({@code 'user'@'host'}) and SQL SECURITY.
     *
     * @param invoker SQL SECURITY INVOKER: the view's query runs with the rights of whoever uses the view
     */
    public record ViewSecurity(String definerUser, String definerHost, boolean invoker) {
    }

    public boolean isView() {
        return viewSql != null;
    }

    /** The position of a column (ignoring case), or -1. */
    public int columnIndex(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    public int[] primaryKeyPositions() {
        return positions(primaryKey);
    }

    public int[] positions(List<String> names) {
        int[] p = new int[names.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = columnIndex(names.get(i));
        }
        return p;
    }

    /** The AUTO_INCREMENT column's position, or -1. */
    public int autoIncrementColumn() {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).autoIncrement()) {
                return i;
            }
        }
        return -1;
    }

    public IndexDefinition index(String indexName) {
        for (IndexDefinition ix : indexes) {
            if (ix.name().equalsIgnoreCase(indexName)) {
                return ix;
            }
        }
        return null;
    }

    public TableDefinition withId(long newId) {
        return new TableDefinition(newId, database, name, columns, primaryKey, indexes, viewSql, security, millisTemporals);
    }

    public TableDefinition withColumns(List<ColumnDefinition> newColumns) {
        return new TableDefinition(id, database, name, newColumns, primaryKey, indexes, viewSql, security, millisTemporals);
    }

    /** The indexes queries may read and SHOW lists: all but those still being built. */
    public List<IndexDefinition> readableIndexes() {
        return indexes.stream().filter(ix -> !ix.building()).toList();
    }

    public TableDefinition withIndexes(List<IndexDefinition> newIndexes) {
        return new TableDefinition(id, database, name, columns, primaryKey, newIndexes, viewSql, security, millisTemporals);
    }

    public TableDefinition withIndex(IndexDefinition ix) {
        List<IndexDefinition> l = new ArrayList<>(indexes);
        l.add(ix);
        return withIndexes(l);
    }

    /** The catalog row key part: lower-cased database and table name. */
    public static String keyOf(String database, String table) {
        return database.toLowerCase(Locale.ROOT) + "\u0000" + table.toLowerCase(Locale.ROOT);
    }
}
