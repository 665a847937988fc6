package io.cairn.sql.exec;

import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;

/**
 * MySQL 8's rule for a single-table UPDATE or DELETE: no sub-query of its SET or WHERE may read the target table
 * directly, 1093 "You can't specify target table 't' for update in FROM clause". A read inside a derived table
 * ({@code WHERE id IN (SELECT id FROM (SELECT id FROM t) AS d)}) is allowed, as MySQL materializes it first.
 * (Cairn could run all of them: a statement's reads see the table as it was before it, which is what MariaDB 10.3+
 * does; Cairn follows MySQL.) Stateless.
 */
final class TargetTableReads {
    private TargetTableReads() {
    }

    /**
     * @param expression   a SET value or the WHERE condition (may be null)
     * @param database     the target's database
     * @param table        the target's name
     * @param defaultDb    the session's database, which an unqualified table name names
     * @throws SqlException 1093 when a sub-query of {@code expression} reads the target
     */
    static void check(SqlNode expression, String database, String table, String defaultDb) {
        if (expression != null) {
            new Walk(database, table, defaultDb).expression(expression);
        }
    }

    private record Walk(String database, String table, String defaultDb) {
        void expression(SqlNode n) {
            if (n instanceof SqlSelect select) {
                query(select);
            } else if (n instanceof SqlNodeList list) {
                list.forEach(x -> {
                    if (x != null) {
                        expression(x);
                    }
                });
            } else if (n instanceof SqlCall call) {
                call.getOperandList().forEach(x -> {
                    if (x != null) {
                        expression(x);
                    }
                });
            }
        }

        /** A sub-query: its FROM must not name the target; its own sub-queries are checked alike. */
        private void query(SqlSelect select) {
            from(select.getFrom());
            expression(select.getSelectList());
            if (select.getWhere() != null) {
                expression(select.getWhere());
            }
            if (select.getHaving() != null) {
                expression(select.getHaving());
            }
        }

        private void from(SqlNode from) {
            if (from instanceof SqlJoin join) {
                from(join.getLeft());
                from(join.getRight());
                if (join.getCondition() != null) {
                    expression(join.getCondition());
                }
            } else if (from instanceof SqlCall call && call.getKind() == SqlKind.AS) {
                from(call.operand(0));
            } else if (from instanceof SqlIdentifier id && isTarget(id)) {
                throw new SqlException(MysqlError.UPDATE_TABLE_USED, table);
            }
            // a derived table (a query in FROM) is materialized before the statement writes: not checked
        }

        private boolean isTarget(SqlIdentifier id) {
            String name = id.names.get(id.names.size() - 1);
            String db = id.names.size() > 1 ? id.names.get(id.names.size() - 2) : defaultDb;
            return name.equalsIgnoreCase(table) && db != null && db.equalsIgnoreCase(database);
        }
    }
}
