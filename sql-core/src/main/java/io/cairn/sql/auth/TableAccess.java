package io.cairn.sql.auth;

import java.util.List;

/**
 * One privilege a statement needs on one table or view, found when the statement is compiled and
 * checked at every execution ({@link AccessChecks}), against the session's user or, inside a view
 * with SQL SECURITY DEFINER, against the view's definer.
 *
 * @param database   the table's database
 * @param table      the table or view
 * @param privilege  what the statement does with it (SELECT for reads)
 * @param columns    the columns it names, each once (ignoring case), in order; may be empty (COUNT(*))
 * @param allColumns whether every column counts as named (the analysis could not tell which)
 * @param via        the view whose definer's rights apply, or null for the session's user
 */
public record TableAccess(String database, String table, Privilege privilege, List<String> columns, boolean allColumns,
                          ViewRights via) {
    public TableAccess {
        columns = List.copyOf(columns);
    }

    /**
     * A view with SQL SECURITY DEFINER whose query runs with its definer's rights.
     *
     * @param definerUser the user part of DEFINER
     * @param definerHost the host part of DEFINER
     */
    public record ViewRights(String database, String view, String definerUser, String definerHost) {
    }
}
