package io.cairn.sql.exec;

import io.cairn.sql.plan.SqlParsing;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlUpdate;

/**
 * What a single-table UPDATE or DELETE names before any table is resolved: the target table (its
 * database when qualified), the alias its expressions use, and the columns an UPDATE assigns. It
 * depends on the statement's shape only, so {@link DmlTargets} parses a shape once and not at every
 * execution.
 *
 * @param database   the qualifying database, or null for the session's
 * @param table      the target table's name as written
 * @param alias      the alias, or the table's name when there is none
 * @param setColumns the assigned columns in SET order (empty for DELETE)
 */
public record DmlTarget(String database, String table, String alias, List<String> setColumns) {

    public DmlTarget {
        setColumns = List.copyOf(setColumns);
    }

    /** The target of an UPDATE or DELETE shape; a syntax error as the parser reports it. */
    static DmlTarget parse(String shape) {
        SqlNode node = SqlParsing.parse(shape);
        if (node instanceof SqlUpdate u) {
            List<String> set = new ArrayList<>();
            SqlNodeList columns = u.getTargetColumnList();
            if (columns != null) {
                columns.forEach(c -> set.add(last((SqlIdentifier) c)));
            }
            return of((SqlIdentifier) u.getTargetTable(), u.getAlias(), set);
        }
        SqlDelete d = (SqlDelete) node;
        return of((SqlIdentifier) d.getTargetTable(), d.getAlias(), List.of());
    }

    private static DmlTarget of(SqlIdentifier target, SqlIdentifier alias, List<String> set) {
        String db = target.names.size() > 1 ? target.names.get(target.names.size() - 2) : null;
        String table = last(target);
        return new DmlTarget(db, table, alias != null ? alias.getSimple() : table, set);
    }

    private static String last(SqlIdentifier id) {
        return id.names.get(id.names.size() - 1);
    }
}
