package io.cairn.sql.auth;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one account may do: its grants folded into look-up tables. A privilege held at a wider level
 * holds at every narrower one ({@link #table} includes the database's and the global privileges).
 * Names are looked up ignoring case. Immutable and thread-safe.
 */
public final class AccountPrivileges implements Visibility {
    /** No privileges at all (an account that does not exist). */
    public static final AccountPrivileges NONE = new AccountPrivileges(false, List.of());

    private static final long TABLE_VISIBLE = Privilege.ALL_TABLE | Privilege.GRANT_OPTION.bit();
    private static final long DATABASE_VISIBLE = Privilege.ALL_DATABASE | Privilege.GRANT_OPTION.bit();

    private final long global;
    private final Map<String, Long> databases = new HashMap<>();
    private final Map<String, Long> tables = new HashMap<>();
    private final Map<String, Long> columns = new HashMap<>();
    /** db NUL table → the union of the column grants in it. */
    private final Map<String, Long> columnsOfTable = new HashMap<>();
    /** Databases holding a table or column grant. */
    private final Set<String> databasesWithTableGrants = new HashSet<>();

    AccountPrivileges(boolean root, List<Grant> grants) {
        long g = root ? Privilege.EVERYTHING : 0;
        for (Grant grant : grants) {
            switch (grant.level()) {
                case GLOBAL -> g |= grant.mask();
                case DATABASE -> databases.merge(grant.objectKey(), grant.mask(), (a, b) -> a | b);
                case TABLE -> {
                    tables.merge(grant.objectKey(), grant.mask(), (a, b) -> a | b);
                    databasesWithTableGrants.add(Grant.objectKey(grant.database(), null, null));
                }
                case COLUMN -> {
                    columns.merge(grant.objectKey(), grant.mask(), (a, b) -> a | b);
                    columnsOfTable.merge(Grant.objectKey(grant.database(), grant.table(), null), grant.mask(), (a, b) -> a | b);
                    databasesWithTableGrants.add(Grant.objectKey(grant.database(), null, null));
                }
            }
        }
        this.global = g;
    }

    /** The global privileges. */
    public long global() {
        return global;
    }

    public boolean hasGlobal(Privilege p) {
        return p.in(global);
    }

    /** The privileges on database {@code db} (global ones included). */
    public long database(String db) {
        Long d = databases.isEmpty() ? null : databases.get(Grant.objectKey(db, null, null));
        return d == null ? global : global | d;
    }

    /** The privileges on table {@code db.table} (database and global ones included). */
    public long table(String db, String table) {
        long m = database(db);
        if (!tables.isEmpty()) {
            Long t = tables.get(Grant.objectKey(db, table, null));
            if (t != null) {
                m |= t;
            }
        }
        return m;
    }

    /** The privileges on one column (table, database and global ones included). */
    public long column(String db, String table, String column) {
        long m = table(db, table);
        if (!columns.isEmpty()) {
            Long c = columns.get(Grant.objectKey(db, table, column));
            if (c != null) {
                m |= c;
            }
        }
        return m;
    }

    /** The union of the column-level grants on {@code db.table} (0 for none). */
    public long columnGrants(String db, String table) {
        if (columnsOfTable.isEmpty()) {
            return 0;
        }
        Long m = columnsOfTable.get(Grant.objectKey(db, table, null));
        return m == null ? 0 : m;
    }

    @Override
    public boolean seesDatabase(String db) {
        return (global & (DATABASE_VISIBLE | Privilege.SHOW_DATABASES.bit())) != 0
                || (database(db) & DATABASE_VISIBLE) != 0
                || databasesWithTableGrants.contains(Grant.objectKey(db, null, null));
    }

    @Override
    public boolean seesTable(String db, String table) {
        return (table(db, table) & TABLE_VISIBLE) != 0 || columnGrants(db, table) != 0;
    }

    @Override
    public boolean seesColumn(String db, String table, String column) {
        return (column(db, table, column) & TABLE_VISIBLE) != 0;
    }

    @Override
    public boolean seesViewDefinition(String db, String view) {
        return Privilege.SHOW_VIEW.in(table(db, view));
    }
}
