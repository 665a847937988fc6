package io.cairn.sql.auth;

import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import java.util.Collection;

/**
 * MySQL's privilege checks of one table reference: the privilege held on the table (or above), or,
 * for SELECT, INSERT, UPDATE and REFERENCES, on each column named; errors 1142 (no privilege on the
 * table at all) and 1143 (a column without it), with MySQL's texts. Stateless.
 */
public final class AccessChecks {
    private AccessChecks() {
    }

    /** Whether {@code p} allows {@code a} (view rights are the caller's business). */
    public static boolean allowed(AccountPrivileges p, TableAccess a) {
        return missing(p, a.database(), a.table(), a.privilege(), a.columns(), a.allColumns()) == null;
    }

    /**
     * Throws 1142/1143 unless {@code p} holds {@code privilege} on {@code db.table}, or on each of
     * {@code columns} for a column privilege.
     *
     * @param user       the session's user (for the message)
     * @param clientHost the client's host (for the message)
     */
    public static void require(AccountPrivileges p, String db, String table, Privilege privilege,
            Collection<String> columns, boolean allColumns, String user, String clientHost) {
        String miss = missing(p, db, table, privilege, columns, allColumns);
        if (miss == null) {
            return;
        }
        if (miss.isEmpty()) {
            throw tableDenied(privilege, user, clientHost, table);
        }
        throw new SqlException(MysqlError.COLUMN_ACCESS_DENIED, privilege.sqlName(), user, clientHost, miss, table);
    }

    public static void require(AccountPrivileges p, TableAccess a, String user, String clientHost) {
        require(p, a.database(), a.table(), a.privilege(), a.columns(), a.allColumns(), user, clientHost);
    }

    /** 1142: {@code privilege} command denied on {@code table}. */
    public static SqlException tableDenied(Privilege privilege, String user, String clientHost, String table) {
        return new SqlException(MysqlError.TABLE_ACCESS_DENIED, privilege.sqlName(), user, clientHost, table);
    }

    /** null when allowed; "" when the table-level privilege is missing; else the first column without it. */
    private static String missing(AccountPrivileges p, String db, String table, Privilege privilege,
            Collection<String> columns, boolean allColumns) {
        if (privilege.in(p.table(db, table))) {
            return null;
        }
        if (privilege.level() != Privilege.Level.COLUMN || allColumns || !privilege.in(p.columnGrants(db, table))) {
            return "";
        }
        for (String c : columns) {
            if (!privilege.in(p.column(db, table, c))) {
                return c;
            }
        }
        return null;
    }
}
