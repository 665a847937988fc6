package io.cairn.sql.plan;

import io.cairn.sql.auth.Privilege;
import io.cairn.sql.auth.TableAccess;
import io.cairn.sql.auth.TableAccess.ViewRights;
import io.cairn.sql.catalog.TableDefinition;
import io.cairn.sql.exec.CairnTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql.JoinConditionType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWindow;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.validate.SqlQualified;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorNamespace;
import org.apache.calcite.sql.validate.SqlValidatorScope;
import org.apache.calcite.sql.validate.SqlValidatorTable;

/**
 * Finds what a compiled query reads, for privilege checks at each execution: every table and view
 * it names, with the columns it names of each, as MySQL checks them (a column named anywhere — select
 * list, WHERE, JOIN … ON/USING, GROUP BY, HAVING, ORDER BY, subqueries, derived tables — needs SELECT
 * on it; a table named without columns, as in {@code COUNT(*)}, needs SELECT on the table or on one of
 * its columns).
 *
 * <p>It walks the validated query, resolving each identifier in the scope the validator used for it.
 * The query of a view (inlined by {@link ViewInliner}, which marks its alias) is walked with the
 * view's definer's rights when the view is SQL SECURITY DEFINER; the view itself needs SELECT in the
 * enclosing rights. Two guards fail closed: an identifier it cannot resolve makes every column of
 * its SELECT's tables count as named, and a table the relational plan scans (subqueries included) or a
 * view that was inlined but which the walk did not meet needs SELECT on all its columns by the
 * session's user. Not thread-safe: one use per compilation.
 */
public final class AccessAnalyzer {
    private final SqlValidator validator;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** Tables and views met by the walk, in any rights: db NUL name, lower-cased. */
    private final Set<String> seen = new HashSet<>();
    /** The queries of inlined views, by identity. */
    private final Map<SqlNode, TableDefinition> viewQueries = new IdentityHashMap<>();

    private AccessAnalyzer(SqlValidator validator) {
        this.validator = validator;
    }

    /**
     * @param validated the validated query
     * @param dml       the query selects the rows an UPDATE or DELETE rewrites: its leading row-key
     *                  and column items are Cairn's, not the statement's reads
     * @param logical   the query's relational plan before optimization
     * @param inlined   the views {@link ViewInliner} inlined
     */
    static List<TableAccess> analyze(SqlValidator validator, SqlNode validated, boolean dml, RelNode logical,
            List<TableDefinition> inlined) {
        AccessAnalyzer a = new AccessAnalyzer(validator);
        a.query(validated, null, dml ? a.rowImageItems(validated) : 0);
        a.scans(logical);
        for (TableDefinition v : inlined) {
            if (!a.seen.contains(key(v))) {
                a.entry(null, v, Privilege.SELECT).all = true;
            }
        }
        List<TableAccess> out = new ArrayList<>(a.entries.size());
        for (Entry e : a.entries.values()) {
            out.add(new TableAccess(e.database, e.table, e.privilege, new ArrayList<>(e.columns.values()), e.all, e.via));
        }
        return List.copyOf(out);
    }

    /**
     * The tables a parsed (not validated) statement names in FROM clauses, anywhere in it: database
     * (null when not named) and name. For statements that do not compile, whose tables must still be
     * checked before their errors are reported.
     */
    public static List<String[]> namedTables(SqlNode parsed) {
        List<String[]> out = new ArrayList<>();
        parsed.accept(new org.apache.calcite.sql.util.SqlShuttle() {
            @Override
            public SqlNode visit(SqlCall call) {
                if (call instanceof SqlSelect s) {
                    fromNames(s.getFrom(), out);
                }
                return super.visit(call);
            }
        });
        return out;
    }

    private static void fromNames(SqlNode n, List<String[]> out) {
        if (n instanceof SqlIdentifier id && !id.isStar()) {
            out.add(new String[] {id.names.size() >= 2 ? id.names.get(id.names.size() - 2) : null, last(id)});
        } else if (n instanceof SqlJoin j) {
            fromNames(j.getLeft(), out);
            fromNames(j.getRight(), out);
        } else if (n != null && n.getKind() == SqlKind.AS) {
            fromNames(((SqlCall) n).operand(0), out);
        }
    }

    /** The number of leading select items that are an UPDATE/DELETE's row key and row image (see {@code DmlExecutor}). */
    private int rowImageItems(SqlNode validated) {
        if (!(validated instanceof SqlSelect s) || s.getSelectList().isEmpty()
                || !(s.getSelectList().get(0) instanceof SqlIdentifier id)
                || !last(id).equalsIgnoreCase(CairnTable.ROW_KEY)) {
            return 0;
        }
        SqlQualified q;
        try {
            q = validator.getSelectScope(s).fullyQualify(id);
        } catch (RuntimeException e) {
            return 0; // every item then counts as read: stricter, never looser
        }
        SqlValidatorTable t = q.namespace == null ? null : q.namespace.getTable();
        CairnTable ct = t == null ? null : t.unwrap(CairnTable.class);
        return ct == null ? 0 : 1 + ct.definition().columns().size();
    }

    private void query(SqlNode n, ViewRights via, int skipItems) {
        if (n == null) {
            return;
        }
        switch (n.getKind()) {
            case SELECT -> select((SqlSelect) n, via, skipItems);
            case ORDER_BY -> {
                SqlOrderBy ob = (SqlOrderBy) n;
                query(ob.query, via, 0);
                expr(ob.orderList, null, via, null);
            }
            case WITH -> {
                SqlWith w = (SqlWith) n;
                for (SqlNode item : w.withList) {
                    query(((SqlWithItem) item).query, via, 0);
                }
                query(w.body, via, 0);
            }
            case UNION, INTERSECT, EXCEPT -> {
                for (SqlNode op : ((SqlCall) n).getOperandList()) {
                    query(op, via, 0);
                }
            }
            default -> expr(n, null, via, null); // VALUES rows and the like: only their subqueries read tables
        }
    }

    private void select(SqlSelect s, ViewRights via, int skipItems) {
        if (skipItems > 0) {
            // an UPDATE/DELETE's target: the statement reads only the columns it names (its DELETE/UPDATE
            // privileges are checked by DmlExecutor)
            leaves(s.getFrom()).forEach(t -> seen.add(key(t)));
        } else {
            from(s.getFrom(), via, s);
        }
        SqlValidatorScope selectScope = validator.getSelectScope(s);
        SqlNodeList items = s.getSelectList();
        for (int i = skipItems; i < items.size(); i++) {
            expr(items.get(i), selectScope, via, s);
        }
        if (s.getWhere() != null) {
            expr(s.getWhere(), validator.getWhereScope(s), via, s);
        }
        if (s.getGroup() != null) {
            expr(s.getGroup(), validator.getGroupScope(s), via, s);
        }
        if (s.getHaving() != null) {
            expr(s.getHaving(), validator.getHavingScope(s), via, s);
        }
        if (s.getWindowList() != null) {
            expr(s.getWindowList(), selectScope, via, s);
        }
        if (s.getQualify() != null) {
            expr(s.getQualify(), selectScope, via, s);
        }
        if (s.getOrderList() != null) {
            expr(s.getOrderList(), validator.getOrderScope(s), via, s);
        }
    }

    private void from(SqlNode n, ViewRights via, SqlSelect owner) {
        if (n == null) {
            return;
        }
        switch (n.getKind()) {
            case IDENTIFIER -> {
                TableDefinition t = table(n);
                if (t != null) {
                    entry(via, t, Privilege.SELECT);
                }
            }
            case AS -> {
                SqlCall as = (SqlCall) n;
                SqlNode operand = as.operand(0);
                if (as.operand(1).getParserPosition() instanceof ViewInliner.ViewMark mark) {
                    view(mark.view, operand, via);
                } else {
                    from(operand, via, owner);
                }
            }
            case JOIN -> {
                SqlJoin j = (SqlJoin) n;
                from(j.getLeft(), via, owner);
                from(j.getRight(), via, owner);
                if (j.getConditionType() == JoinConditionType.ON) {
                    expr(j.getCondition(), validator.getJoinScope(j), via, owner);
                } else if (j.getConditionType() == JoinConditionType.USING && j.getCondition() instanceof SqlNodeList names) {
                    List<String> columns = new ArrayList<>();
                    names.forEach(c -> columns.add(last((SqlIdentifier) c)));
                    joinColumns(j, columns, via);
                }
                if (j.isNatural()) {
                    joinColumns(j, commonColumns(j), via);
                }
            }
            case SELECT, UNION, INTERSECT, EXCEPT, WITH, ORDER_BY, VALUES -> query(n, via, 0);
            default -> {
                if (n instanceof SqlCall call) { // LATERAL, TABLE(…), UNNEST, …
                    for (SqlNode op : call.getOperandList()) {
                        from(op, via, owner);
                    }
                }
            }
        }
    }

    /** An inlined view: SELECT on it in the enclosing rights, its query in its definer's (or the same) rights. */
    private void view(TableDefinition view, SqlNode query, ViewRights via) {
        entry(via, view, Privilege.SELECT);
        viewQueries.put(query, view);
        TableDefinition.ViewSecurity sec = view.security();
        ViewRights inner = sec == null || sec.invoker() ? via
                : new ViewRights(view.database(), view.name(), sec.definerUser(), sec.definerHost());
        query(query, inner, 0);
    }

    private void expr(SqlNode n, SqlValidatorScope scope, ViewRights via, SqlSelect owner) {
        if (n == null) {
            return;
        }
        if (n instanceof SqlIdentifier id) {
            if (!id.isStar()) {
                column(id, scope, via, owner);
            }
            return;
        }
        if (n instanceof SqlNodeList list) {
            for (SqlNode item : list) {
                expr(item, scope, via, owner);
            }
            return;
        }
        switch (n.getKind()) {
            case SELECT, UNION, INTERSECT, EXCEPT, WITH, ORDER_BY -> {
                query(n, via, 0);
                return;
            }
            default -> {
            }
        }
        if (n instanceof SqlWindow w) {
            expr(w.getPartitionList(), scope, via, owner);
            expr(w.getOrderList(), scope, via, owner);
            return;
        }
        if (n instanceof SqlCall call) {
            if (call.getKind() == SqlKind.AS) {
                expr(call.operand(0), scope, via, owner);
            } else if (call.getKind() == SqlKind.OVER) {
                expr(call.operand(0), scope, via, owner);
                if (call.operand(1) instanceof SqlWindow) {
                    expr(call.operand(1), scope, via, owner);
                }
            } else {
                for (SqlNode op : call.getOperandList()) {
                    expr(op, scope, via, owner);
                }
            }
        }
    }

    /** A column reference: the table or view it resolves to needs SELECT on that column. */
    private void column(SqlIdentifier id, SqlValidatorScope scope, ViewRights via, SqlSelect owner) {
        if (scope == null) {
            return; // no column can be named here (VALUES rows, ORDER BY of a UNION's result)
        }
        SqlQualified q;
        try {
            q = scope.fullyQualify(id);
        } catch (RuntimeException e) {
            unresolved(owner, via);
            return;
        }
        if (q == null || q.namespace == null || q.suffix().isEmpty()) {
            return; // a select-list alias, or a table named as a whole
        }
        String column = q.suffix().get(0);
        TableDefinition t = tableOf(q.namespace);
        if (t == null) {
            t = viewOf(q.namespace);
        }
        if (t != null && !column.equalsIgnoreCase(CairnTable.ROW_KEY)) {
            entry(via, t, Privilege.SELECT).column(column);
        }
    }

    /** An identifier could not be resolved: every column of the tables of its SELECT counts as named. */
    private void unresolved(SqlSelect owner, ViewRights via) {
        if (owner == null) {
            return;
        }
        for (TableDefinition t : leaves(owner.getFrom())) {
            entry(via, t, Privilege.SELECT).all = true;
        }
    }

    /** JOIN … USING (columns) and NATURAL JOIN compare those columns of both sides. */
    private void joinColumns(SqlJoin j, List<String> columns, ViewRights via) {
        for (TableDefinition t : leaves(j)) {
            for (String c : columns) {
                if (t.columnIndex(c) >= 0) {
                    entry(via, t, Privilege.SELECT).column(c);
                }
            }
        }
    }

    private List<String> commonColumns(SqlJoin j) {
        Set<String> left = new HashSet<>();
        for (TableDefinition t : leaves(j.getLeft())) {
            t.columns().forEach(c -> left.add(c.name().toLowerCase(Locale.ROOT)));
        }
        List<String> common = new ArrayList<>();
        for (TableDefinition t : leaves(j.getRight())) {
            t.columns().forEach(c -> {
                if (left.contains(c.name().toLowerCase(Locale.ROOT))) {
                    common.add(c.name());
                }
            });
        }
        return common;
    }

    /** The tables and views named directly in a FROM item (not inside derived tables). */
    private List<TableDefinition> leaves(SqlNode n) {
        List<TableDefinition> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (n instanceof SqlIdentifier) {
            TableDefinition t = table(n);
            if (t != null) {
                out.add(t);
            }
        } else if (n instanceof SqlJoin j) {
            out.addAll(leaves(j.getLeft()));
            out.addAll(leaves(j.getRight()));
        } else if (n.getKind() == SqlKind.AS) {
            SqlCall as = (SqlCall) n;
            if (as.operand(1).getParserPosition() instanceof ViewInliner.ViewMark mark) {
                out.add(mark.view);
            } else {
                out.addAll(leaves(as.operand(0)));
            }
        }
        return out;
    }

    /** The Cairn table a FROM identifier names, or null (information_schema, a CTE). */
    private TableDefinition table(SqlNode identifier) {
        SqlValidatorNamespace ns;
        try {
            ns = validator.getNamespace(identifier);
        } catch (RuntimeException e) {
            return null;
        }
        return ns == null ? null : tableOf(ns);
    }

    private static TableDefinition tableOf(SqlValidatorNamespace ns) {
        SqlValidatorTable t = ns.getTable();
        CairnTable ct = t == null ? null : t.unwrap(CairnTable.class);
        return ct == null ? null : ct.definition();
    }

    /** The view whose query {@code ns} is, or null. */
    private TableDefinition viewOf(SqlValidatorNamespace ns) {
        SqlNode node = ns.getNode();
        if (node == null) {
            return null;
        }
        if (node.getKind() == SqlKind.AS && ((SqlCall) node).operand(1).getParserPosition()
                instanceof ViewInliner.ViewMark mark) {
            return mark.view;
        }
        return viewQueries.get(node);
    }

    /** Guard: a scanned table the walk did not meet needs SELECT on every column by the session's user. */
    private void scans(RelNode rel) {
        if (rel instanceof TableScan scan) {
            CairnTable ct = scan.getTable().unwrap(CairnTable.class);
            if (ct != null && !seen.contains(key(ct.definition()))) {
                entry(null, ct.definition(), Privilege.SELECT).all = true;
            }
        }
        rel.accept(new RexShuttle() {
            @Override
            public RexNode visitSubQuery(RexSubQuery subQuery) {
                scans(subQuery.rel);
                return super.visitSubQuery(subQuery);
            }
        });
        for (RelNode input : rel.getInputs()) {
            scans(input);
        }
    }

    private Entry entry(ViewRights via, TableDefinition t, Privilege p) {
        seen.add(key(t));
        return entries.computeIfAbsent(Objects.toString(via) + "\0" + key(t) + "\0" + p.name(),
                k -> new Entry(t.database(), t.name(), p, via));
    }

    private static String key(TableDefinition t) {
        return t.database().toLowerCase(Locale.ROOT) + "\0" + t.name().toLowerCase(Locale.ROOT);
    }

    /** What is collected for one table, privilege and rights. */
    private static final class Entry {
        final String database;
        final String table;
        final Privilege privilege;
        final ViewRights via;
        final Map<String, String> columns = new LinkedHashMap<>();
        boolean all;

        Entry(String database, String table, Privilege privilege, ViewRights via) {
            this.database = database;
            this.table = table;
            this.privilege = privilege;
            this.via = via;
        }

        void column(String name) {
            columns.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
        }
    }

    static String last(SqlIdentifier id) {
        return id.names.get(id.names.size() - 1);
    }
}
