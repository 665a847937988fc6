package io.cairn.sql.session;

import io.cairn.data.Transaction;
import io.cairn.mysql.ColumnDef;
import io.cairn.mysql.ColumnType;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.QueryResult;
import io.cairn.sql.SqlException;
import io.cairn.sql.auth.AccessChecks;
import io.cairn.sql.auth.AccountPrivileges;
import io.cairn.sql.auth.Privilege;
import io.cairn.sql.catalog.Catalog;
import io.cairn.sql.catalog.TableDefinition;
import io.cairn.sql.exec.RowChecksum;
import io.cairn.sql.exec.TableCodec;
import io.cairn.sql.frontend.TokenCursor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code CHECKSUM TABLE[S] t [, t …] [QUICK | EXTENDED]}, answered as MariaDB 10.11 answers it for InnoDB tables:
 * a row per table named, {@code Table} ({@code db.table} as written, the current database when not) and
 * {@code Checksum}, the sum of the rows' {@link RowChecksum}s modulo 2<sup>32</sup> (what MariaDB computes for the
 * same rows). QUICK gives NULL (InnoDB keeps no live checksum). A table that does not exist gives NULL and an
 * "Error" condition 1146 in the statement's warnings, a view NULL and 1347; the statement still succeeds. SELECT on
 * every table named is checked first (1142, also for a missing table); no current database for an unqualified name
 * is 1046, a table named twice 1066.
 *
 * <p>All tables are read in one statement, at one snapshot (the session's transaction's, or their own under
 * autocommit), one row at a time; KILL QUERY stops the scan with 1317. Threading: the session's command task.
 */
final class ChecksumStatements {
    private final Session session;

    ChecksumStatements(Session session) {
        this.session = session;
    }

    QueryResult checksum(TokenCursor c) {
        c.expect("CHECKSUM");
        if (!c.accept("TABLE")) {
            c.expect("TABLES");
        }
        List<String[]> names = new ArrayList<>();
        do {
            names.add(c.qualifiedName());
        } while (c.acceptSymbol(","));
        boolean quick = c.accept("QUICK");
        if (!quick) {
            c.accept("EXTENDED");
        }
        c.expectEnd();

        Set<String> seen = new HashSet<>();
        AccountPrivileges privileges = session.privilegesNow();
        for (String[] name : names) {
            if (name[0] == null) {
                if (session.database() == null) {
                    throw new SqlException(MysqlError.NO_DB);
                }
                name[0] = session.database();
            }
            if (!seen.add(TableDefinition.keyOf(name[0], name[1]))) {
                throw new SqlException(MysqlError.NON_UNIQ_TABLE, name[1]);
            }
            AccessChecks.require(privileges, name[0], name[1], Privilege.SELECT, List.of(), true, session.user(),
                    session.clientHost());
        }
        List<Object[]> rows = session.transaction().inStatement(t -> {
            Catalog catalog = session.engine().catalogs().at(t);
            List<Object[]> out = new ArrayList<>();
            for (String[] name : names) {
                out.add(new Object[] {name[0] + "." + name[1], checksum(t, catalog, name[0], name[1], quick)});
            }
            return out;
        });
        return new QueryResult.Rows(List.of(ColumnDef.of("Table", ColumnType.VAR_STRING),
                ColumnDef.of("Checksum", ColumnType.LONGLONG)), rows, session.diagnostics().warningCount());
    }

    /** The table's checksum, or null (QUICK; a missing table or a view, with its condition added). */
    private Long checksum(Transaction t, Catalog catalog, String db, String name, boolean quick) {
        TableDefinition table = catalog.table(db, name);
        if (table == null) {
            session.diagnostics().error(new SqlException(MysqlError.NO_SUCH_TABLE, db, name));
            return null;
        }
        if (table.isView()) {
            session.diagnostics().error(new SqlException(MysqlError.WRONG_OBJECT, db, name, "BASE TABLE"));
            return null;
        }
        if (quick) {
            return null;
        }
        TableCodec codec = new TableCodec(table);
        RowChecksum rowChecksum = new RowChecksum(table.columns());
        AtomicBoolean cancel = session.cancelFlag();
        long sum = 0;
        Iterator<Map.Entry<byte[], byte[]>> it = t.scan(table.id(), null, null);
        while (it.hasNext()) {
            if (cancel.get()) {
                throw new SqlException(MysqlError.QUERY_INTERRUPTED);
            }
            sum = RowChecksum.add(sum, rowChecksum.of(codec.decodeRow(it.next().getValue())));
        }
        return sum;
    }
}
