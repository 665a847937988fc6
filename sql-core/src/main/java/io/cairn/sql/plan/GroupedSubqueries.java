package io.cairn.sql.plan;

import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.validate.SqlValidator;

/**
 * A grouped query whose select list, HAVING or ORDER BY holds a sub-query correlated to it, written as the same
 * query over a derived table of its grouped rows:
 * {@code SELECT k, (SELECT MAX(x) FROM t2 WHERE t2.k = t1.k) FROM t1 GROUP BY k} becomes
 * {@code SELECT g._g0 AS k, (SELECT MAX(x) FROM t2 WHERE t2.k = g._g0) FROM (SELECT t1.k AS _g0 FROM t1 GROUP BY t1.k)
 * g}, each grouping expression and each aggregate of the query (also one over the outer rows only inside the
 * sub-query, {@code (SELECT SUM(t1.x) FROM t2)}, as MySQL reads it) a column of the derived table. Calcite 1.40 binds
 * such a sub-query's correlation to the rows before grouping, so it fails an assertion while planning or reads
 * another column of the grouped rows (wrong rows); over the derived table it plans as any correlated sub-query.
 *
 * <p>Works on the validated statement, whose identifiers the validator qualified with their table alias: a reference
 * to the grouped query inside a sub-query is an identifier qualified by one of its aliases that no FROM between
 * declares again. Such a reference to a column that is neither grouped nor aggregated is 1055 in the select list, as
 * ONLY_FULL_GROUP_BY has it; a shape it does not know (a window function, GROUP BY ROLLUP/CUBE/GROUPING SETS or an
 * ordinal) is left as it is (see {@link CorrelationCheck}). An aggregate of the outer rows in a sub-query's WHERE
 * never gets here: the validator refuses it first (1064). Stateless.
 */
final class GroupedSubqueries {
    private static final String DERIVED = "_cairn_grouped";

    private GroupedSubqueries() {
    }

    /** {@code validated} with each such grouped query rewritten, or null when it has none. */
    static SqlNode rewrite(SqlValidator validator, SqlNode validated) {
        boolean[] changed = {false};
        SqlNode out = validated.accept(new SqlShuttle() {
            @Override
            public SqlNode visit(SqlCall call) {
                SqlNode visited = super.visit(call);
                if (visited instanceof SqlSelect select && call instanceof SqlSelect original
                        && validator.isAggregate(original)) {
                    SqlSelect rewritten = rewriteSelect(select, validator, original);
                    if (rewritten != null) {
                        changed[0] = true;
                        return rewritten;
                    }
                }
                return visited;
            }
        });
        return changed[0] ? out : null;
    }

    /** One grouped query over its grouped rows, or null when it needs no rewrite or has a shape not handled. */
    private static SqlSelect rewriteSelect(SqlSelect s, SqlValidator validator, SqlSelect original) {
        Set<String> aliases = aliases(s.getFrom());
        List<SqlNode> parts = new ArrayList<>(s.getSelectList().getList());
        if (s.getHaving() != null) {
            parts.add(s.getHaving());
        }
        if (s.getOrderList() != null) {
            parts.addAll(s.getOrderList().getList());
        }
        if (aliases.isEmpty() || parts.stream().noneMatch(p -> correlated(p, aliases))) {
            return null;
        }
        List<SqlNode> groups = s.getGroup() == null ? List.of() : s.getGroup().getList();
        for (SqlNode g : groups) {
            if (g.getKind() == SqlKind.ROLLUP || g.getKind() == SqlKind.CUBE || g.getKind() == SqlKind.GROUPING_SETS
                    || g.getKind() == SqlKind.LITERAL) {
                return null;
            }
        }
        Outer outer = new Outer(aliases, groups);
        SqlNodeList select = new SqlNodeList(SqlParserPos.ZERO);
        List<String> names = validator.getValidatedNodeType(original).getFieldNames();
        for (int i = 0; i < s.getSelectList().size(); i++) {
            SqlNode item = s.getSelectList().get(i).accept(outer);
            if (outer.ungrouped) {
                // ONLY_FULL_GROUP_BY, as for such a column outside a sub-query (see sql-core README, sql_mode)
                throw new SqlException(MysqlError.WRONG_FIELD_WITH_GROUP, i + 1);
            }
            select.add(item.getKind() == SqlKind.AS ? item : SqlStdOperatorTable.AS.createCall(SqlParserPos.ZERO, item,
                    new SqlIdentifier(names.get(i), SqlParserPos.ZERO)));
        }
        SqlNode having = s.getHaving() == null ? null : s.getHaving().accept(outer);
        SqlNodeList order = s.getOrderList() == null ? null : (SqlNodeList) s.getOrderList().accept(outer);
        if (outer.unknownShape || outer.ungrouped) {
            return null;
        }
        SqlNodeList inner = new SqlNodeList(SqlParserPos.ZERO);
        for (int i = 0; i < groups.size(); i++) {
            inner.add(as(copy(groups.get(i)), "_g" + i));
        }
        for (int i = 0; i < outer.aggregates.size(); i++) {
            inner.add(as(copy(outer.aggregates.get(i)), "_a" + i));
        }
        if (inner.isEmpty()) {
            return null;
        }
        SqlSelect grouped = new SqlSelect(SqlParserPos.ZERO, null, inner, copy(s.getFrom()),
                s.getWhere() == null ? null : copy(s.getWhere()),
                s.getGroup() == null ? null : (SqlNodeList) copy(s.getGroup()), null, null, null, null, null, null, null);
        SqlNode from = SqlStdOperatorTable.AS.createCall(SqlParserPos.ZERO, grouped,
                new SqlIdentifier(DERIVED, SqlParserPos.ZERO));
        SqlNode keywords = s.getOperandList().get(0); // DISTINCT and the other select modifiers
        return new SqlSelect(SqlParserPos.ZERO, keywords == null ? null : (SqlNodeList) copy(keywords), select, from,
                having, null, null, null, null, order, s.getOffset() == null ? null : copy(s.getOffset()),
                s.getFetch() == null ? null : copy(s.getFetch()), null);
    }

    private static SqlNode as(SqlNode e, String name) {
        return SqlStdOperatorTable.AS.createCall(SqlParserPos.ZERO, e, new SqlIdentifier(name, SqlParserPos.ZERO));
    }

    /** A deep copy: the rewritten statement is validated again, and the validator rewrites nodes in place. */
    private static SqlNode copy(SqlNode n) {
        return n.accept(new SqlShuttle() {
            @Override
            public SqlNode visit(SqlIdentifier id) {
                return id.clone(id.getParserPosition());
            }

            @Override
            public SqlNode visit(SqlCall call) {
                CallCopyingArgHandler handler = new CallCopyingArgHandler(call, true);
                call.getOperator().acceptCall(this, call, false, handler);
                return handler.result();
            }
        });
    }

    /** The aliases a FROM clause declares (a table's name when it has none), upper-cased. */
    private static Set<String> aliases(SqlNode from) {
        Set<String> out = new HashSet<>();
        collectAliases(from, out);
        return out;
    }

    private static void collectAliases(SqlNode from, Set<String> out) {
        if (from instanceof SqlJoin join) {
            collectAliases(join.getLeft(), out);
            collectAliases(join.getRight(), out);
        } else if (from instanceof SqlCall call && call.getKind() == SqlKind.AS) {
            out.add(((SqlIdentifier) call.operand(1)).getSimple().toUpperCase(Locale.ROOT));
        } else if (from instanceof SqlIdentifier id) {
            out.add(id.names.get(id.names.size() - 1).toUpperCase(Locale.ROOT));
        }
    }

    /** Whether {@code n} holds a sub-query that reads a column of the rows the aliases name. */
    private static boolean correlated(SqlNode n, Set<String> aliases) {
        boolean[] found = {false};
        n.accept(new ScopedShuttle(aliases) {
            @Override
            public SqlNode visit(SqlIdentifier id) {
                found[0] |= depth() > 0 && isOuter(id);
                return id;
            }
        });
        return found[0];
    }

    /** Walks a clause of the grouped query, knowing which of its aliases a nested FROM declares again. */
    private abstract static class ScopedShuttle extends SqlShuttle {
        private final Set<String> outerAliases;
        private final Deque<Set<String>> nested = new ArrayDeque<>();

        ScopedShuttle(Set<String> outerAliases) {
            this.outerAliases = outerAliases;
        }

        int depth() {
            return nested.size();
        }

        /** Whether {@code id} names a column of the grouped query's rows. */
        boolean isOuter(SqlIdentifier id) {
            if (id.names.size() < 2) {
                return false;
            }
            String alias = id.names.get(id.names.size() - 2).toUpperCase(Locale.ROOT);
            return outerAliases.contains(alias) && nested.stream().noneMatch(s -> s.contains(alias));
        }

        @Override
        public SqlNode visit(SqlCall call) {
            if (call instanceof SqlSelect select) {
                nested.push(aliases(select.getFrom()));
                try {
                    return visitCall(call);
                } finally {
                    nested.pop();
                }
            }
            return visitCall(call);
        }

        SqlNode visitCall(SqlCall call) {
            return super.visit(call);
        }
    }

    /**
     * Rewrites the select list, HAVING and ORDER BY to read the derived table: grouping expressions and the
     * query's aggregates become its columns.
     */
    private static final class Outer extends ScopedShuttle {
        final List<SqlNode> groups;
        final List<SqlNode> aggregates = new ArrayList<>();
        /** A window function: not rewritten. */
        boolean unknownShape;
        /** A column of the outer rows that is neither grouped nor aggregated is left. */
        boolean ungrouped;

        Outer(Set<String> aliases, List<SqlNode> groups) {
            super(aliases);
            this.groups = groups;
        }

        @Override
        SqlNode visitCall(SqlCall call) {
            if (call.getKind() == SqlKind.OVER) {
                unknownShape = true;
                return call;
            }
            SqlNode column = column(call);
            if (column != null) {
                return column;
            }
            CallCopyingArgHandler handler = new CallCopyingArgHandler(call, true);
            call.getOperator().acceptCall(this, call, false, handler);
            return handler.result();
        }

        @Override
        public SqlNode visit(SqlIdentifier id) {
            SqlNode column = column(id);
            if (column != null) {
                return column;
            }
            ungrouped |= isOuter(id);
            return id.clone(id.getParserPosition());
        }

        /** The derived table's column for {@code n}, or null. */
        private SqlNode column(SqlNode n) {
            if (depth() == 0 || isOuterOnly(n)) {
                for (int i = 0; i < groups.size(); i++) {
                    if (groups.get(i).equalsDeep(n, org.apache.calcite.util.Litmus.IGNORE)) {
                        return ref("_g" + i);
                    }
                }
            }
            if (n instanceof SqlCall call && call.getOperator().isAggregator() && (depth() == 0 || isOuterOnly(n))) {
                for (int i = 0; i < aggregates.size(); i++) {
                    if (aggregates.get(i).equalsDeep(n, org.apache.calcite.util.Litmus.IGNORE)) {
                        return ref("_a" + i);
                    }
                }
                aggregates.add(n);
                return ref("_a" + (aggregates.size() - 1));
            }
            return null;
        }

        /** Whether every column {@code n} reads is one of the outer rows' (and it reads one). */
        private boolean isOuterOnly(SqlNode n) {
            boolean[] outer = {false};
            boolean[] inner = {false};
            n.accept(new SqlShuttle() {
                @Override
                public SqlNode visit(SqlIdentifier id) {
                    if (isOuter(id)) {
                        outer[0] = true;
                    } else {
                        inner[0] = true;
                    }
                    return id;
                }

                @Override
                public SqlNode visit(SqlCall call) {
                    if (call instanceof SqlSelect) {
                        inner[0] = true;
                        return call;
                    }
                    return super.visit(call);
                }
            });
            return outer[0] && !inner[0];
        }

        private static SqlIdentifier ref(String column) {
            return new SqlIdentifier(List.of(DERIVED, column), SqlParserPos.ZERO);
        }
    }
}
