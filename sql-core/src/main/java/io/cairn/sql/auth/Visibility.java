package io.cairn.sql.auth;

/**
 * Which databases, tables and columns a user may see in SHOW and information_schema: MySQL shows an
 * object when the user holds any privilege on it (or on something inside it). Thread-safe.
 */
public interface Visibility {
    /** Sees everything (internal statements). */
    Visibility ALL = new Visibility() {
        @Override
        public boolean seesDatabase(String db) {
            return true;
        }

        @Override
        public boolean seesTable(String db, String table) {
            return true;
        }

        @Override
        public boolean seesColumn(String db, String table, String column) {
            return true;
        }
    };

    boolean seesDatabase(String db);

    boolean seesTable(String db, String table);

    boolean seesColumn(String db, String table, String column);

    /** Whether the user may read a view's definition (MySQL: SHOW VIEW on it). */
    default boolean seesViewDefinition(String db, String view) {
        return seesTable(db, view);
    }
}
