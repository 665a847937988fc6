package io.cairn.sql.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * MySQL's grouping without {@code ONLY_FULL_GROUP_BY} in {@code sql_mode}: a grouped query (GROUP BY, or an
 * aggregate in its select list) may select, test in HAVING and sort by columns that are neither grouped nor
 * aggregated, and each such column gives the value of some row of its group. Calcite's validator refuses them
 * ("is not being grouped"), so before validation each such column reference is wrapped in {@code ANY_VALUE}, which
 * is what MySQL computes: {@code SELECT a, b FROM t GROUP BY a} becomes {@code SELECT a, ANY_VALUE(b) AS b FROM t
 * GROUP BY a}.
 *
 * <p>Left as they are: an expression equal to a grouping expression, references inside aggregates, window
 * functions and sub-queries (a sub-query is rewritten as a query of its own), and select items that GROUP BY names
 * by alias or position; in HAVING and ORDER BY, names of select items. A grouped column wrapped anyway is harmless:
 * it is the same in every row of its group. Stateless.
 */
public final class LenientGrouping {
    /** MySQL's aggregate functions, by name: what makes a query without GROUP BY grouped. */
    private static final Set<String> AGGREGATES = Set.of("AVG", "BIT_AND", "BIT_OR", "BIT_XOR", "COUNT", "GROUP_CONCAT",
            "JSON_ARRAYAGG", "JSON_OBJECTAGG", "MAX", "MIN", "STD", "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "SUM",
            "VAR_POP", "VAR_SAMP", "VARIANCE", "ANY_VALUE");

    private LenientGrouping() {
    }

    /** {@code parsed} with the ungrouped column references of each grouped query wrapped in ANY_VALUE. */
    public static SqlNode rewrite(SqlNode parsed) {
        return parsed.accept(new SqlShuttle() {
            @Override
            public SqlNode visit(SqlCall call) {
                SqlNode visited = super.visit(call); // sub-queries first, each as a query of its own
                if (visited instanceof SqlSelect select) {
                    wrapUngrouped(select);
                } else if (visited instanceof SqlOrderBy orderBy && orderBy.query instanceof SqlSelect select
                        && grouped(select)) {
                    List<SqlNode> order = new ArrayList<>();
                    for (SqlNode item : orderBy.orderList) {
                        order.add(wrap(item, select, selectNames(select)));
                    }
                    return new SqlOrderBy(orderBy.getParserPosition(), select,
                            new SqlNodeList(order, orderBy.orderList.getParserPosition()), orderBy.offset, orderBy.fetch);
                }
                return visited;
            }
        });
    }

    private static void wrapUngrouped(SqlSelect select) {
        if (!grouped(select)) {
            return;
        }
        Set<String> names = selectNames(select);
        SqlNodeList items = select.getSelectList();
        for (int i = 0; i < items.size(); i++) {
            SqlNode item = items.get(i);
            if (namedByGroupBy(select, item, i)) {
                continue;
            }
            if (item.getKind() == SqlKind.AS) {
                SqlCall as = (SqlCall) item;
                items.set(i, SqlStdOperatorTable.AS.createCall(as.getParserPosition(), wrap(as.operand(0), select, Set.of()),
                        as.operand(1)));
            } else if (item instanceof SqlIdentifier id && !id.isStar()) {
                SqlNode wrapped = wrap(id, select, Set.of());
                if (wrapped != id) { // keeps the column's name for a query over it
                    items.set(i, SqlStdOperatorTable.AS.createCall(id.getParserPosition(), wrapped,
                            new SqlIdentifier(id.names.get(id.names.size() - 1), id.getParserPosition())));
                }
            } else {
                items.set(i, wrap(item, select, Set.of()));
            }
        }
        if (select.getHaving() != null) {
            select.setHaving(wrap(select.getHaving(), select, names));
        }
        if (select.getOrderList() != null) {
            List<SqlNode> order = new ArrayList<>();
            select.getOrderList().forEach(o -> order.add(wrap(o, select, names)));
            select.setOrderBy(new SqlNodeList(order, select.getOrderList().getParserPosition()));
        }
    }

    /** GROUP BY, or an aggregate in the select list outside sub-queries and window functions. */
    private static boolean grouped(SqlSelect select) {
        if (select.getGroup() != null && !select.getGroup().isEmpty()) {
            return true;
        }
        for (SqlNode item : select.getSelectList()) {
            if (holdsAggregate(item)) {
                return true;
            }
        }
        return false;
    }

    private static boolean holdsAggregate(SqlNode node) {
        if (!(node instanceof SqlCall call) || node instanceof SqlSelect || call.getKind() == SqlKind.OVER) {
            return false;
        }
        if (aggregate(call)) {
            return true;
        }
        for (SqlNode operand : call.getOperandList()) {
            if (operand != null && holdsAggregate(operand)) {
                return true;
            }
        }
        return false;
    }

    private static boolean aggregate(SqlCall call) {
        return call.getOperator().isAggregator()
                || AGGREGATES.contains(call.getOperator().getName().toUpperCase(Locale.ROOT));
    }

    /** Whether GROUP BY names select item {@code index} by its alias or its position (1-based). */
    private static boolean namedByGroupBy(SqlSelect select, SqlNode item, int index) {
        if (select.getGroup() == null) {
            return false;
        }
        String alias = item.getKind() == SqlKind.AS ? ((SqlIdentifier) ((SqlCall) item).operand(1)).getSimple() : null;
        for (SqlNode g : select.getGroup()) {
            if (g instanceof SqlLiteral literal && literal.getValue() instanceof java.math.BigDecimal n
                    && n.intValue() == index + 1) {
                return true;
            }
            if (alias != null && g instanceof SqlIdentifier id && id.isSimple() && id.getSimple().equalsIgnoreCase(alias)) {
                return true;
            }
        }
        return false;
    }

    /** The aliases of the select list, upper case: names HAVING and ORDER BY may use. */
    private static Set<String> selectNames(SqlSelect select) {
        Set<String> names = new java.util.HashSet<>();
        for (SqlNode item : select.getSelectList()) {
            if (item.getKind() == SqlKind.AS) {
                names.add(((SqlIdentifier) ((SqlCall) item).operand(1)).getSimple().toUpperCase(Locale.ROOT));
            } else if (item instanceof SqlIdentifier id && !id.isStar()) {
                names.add(id.names.get(id.names.size() - 1).toUpperCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** {@code node} with its column references outside the grouping expressions wrapped in ANY_VALUE. */
    private static SqlNode wrap(SqlNode node, SqlSelect select, Set<String> selectNames) {
        if (node == null || node instanceof SqlLiteral || node instanceof SqlSelect || groupingExpression(node, select)) {
            return node;
        }
        if (node instanceof SqlNodeList list) { // CASE's WHEN and THEN lists, IN's values
            for (int i = 0; i < list.size(); i++) {
                list.set(i, wrap(list.get(i), select, selectNames));
            }
            return list;
        }
        if (node instanceof SqlIdentifier id) {
            if (id.isStar() || (id.isSimple() && selectNames.contains(id.getSimple().toUpperCase(Locale.ROOT)))) {
                return node;
            }
            return SqlStdOperatorTable.ANY_VALUE.createCall(id.getParserPosition(), id);
        }
        if (!(node instanceof SqlCall call) || call.getKind() == SqlKind.OVER || aggregate(call)) {
            return node;
        }
        List<SqlNode> operands = call.getOperandList();
        for (int i = 0; i < operands.size(); i++) {
            SqlNode operand = operands.get(i);
            SqlNode wrapped = wrap(operand, select, selectNames);
            if (wrapped != operand) {
                call.setOperand(i, wrapped);
            }
        }
        return call;
    }

    private static boolean groupingExpression(SqlNode node, SqlSelect select) {
        if (select.getGroup() == null) {
            return false;
        }
        for (SqlNode g : select.getGroup()) {
            if (g.equalsDeep(node, org.apache.calcite.util.Litmus.IGNORE)) {
                return true;
            }
        }
        return false;
    }
}
