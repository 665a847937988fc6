package io.cairn.sql.plan;


import io.cairn.mysql.MysqlError;
import io.cairn.sql.catalog.Catalog;
import io.cairn.sql.catalog.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Replaces references to views in FROM clauses by their defining query, aliased by the view's
 * name: {@code FROM v} becomes {@code FROM (SELECT …) AS v}. Views over views are expanded in turn
 * (up to a depth that catches cycles). The alias of each inlined view carries a {@link ViewMark} as
 * its position, by which {@link AccessAnalyzer} tells a view's query (checked with the view's
 * definer's rights) from the statement's own. Not thread-safe: one use per statement.
 */
final class ViewInliner extends SqlShuttle {
    private static final int MAX_DEPTH = 16;

    /** The position of an inlined view's alias: which view the aliased query is. */
    static final class ViewMark extends SqlParserPos {
        private static final long serialVersionUID = 1L;

        final transient TableDefinition view;

        ViewMark(TableDefinition view) {
            super(0, 0);
            this.view = view;
        }
    }

    private final Catalog catalog;
    private final String defaultDb;
    private final Function<TableDefinition, SqlNode> parser;
    private final int depth;
    private final List<TableDefinition> inlined;

    /**
     * @param parser  parses a view's stored SELECT (through the MySQL front-end)
     * @param inlined receives every view inlined, nested ones included
     */
    ViewInliner(Catalog catalog, String defaultDb, Function<TableDefinition, SqlNode> parser, int depth,
            List<TableDefinition> inlined) {
        this.catalog = catalog;
        this.defaultDb = defaultDb;
        this.parser = parser;
        this.depth = depth;
        this.inlined = inlined;
    }

    @Override
    public SqlNode visit(SqlCall call) {
        if (call instanceof SqlSelect select && select.getFrom() != null) {
            select.setFrom(inline(select.getFrom()));
        }
        return super.visit(call);
    }

    private SqlNode inline(SqlNode from) {
        if (from instanceof SqlIdentifier id) {
            TableDefinition v = viewOf(id);
            if (v != null) {
                return as(expand(v), id.names.get(id.names.size() - 1), v);
            }
            return from;
        }
        if (from instanceof SqlJoin join) {
            join.setLeft(inline(join.getLeft()));
            join.setRight(inline(join.getRight()));
            return join;
        }
        if (from instanceof SqlBasicCall call && call.getKind() == SqlKind.AS
                && call.operand(0) instanceof SqlIdentifier id) {
            TableDefinition v = viewOf(id);
            if (v != null) {
                call.setOperand(0, expand(v));
                call.setOperand(1, new SqlIdentifier(((SqlIdentifier) call.operand(1)).getSimple(), new ViewMark(v)));
            }
            return from;
        }
        return from;
    }

    /** The view {@code id} names, or null for a table (or nothing). */
    private TableDefinition viewOf(SqlIdentifier id) {
        String db = id.names.size() >= 2 ? id.names.get(id.names.size() - 2) : defaultDb;
        TableDefinition t = catalog.table(db, id.names.get(id.names.size() - 1));
        return t != null && t.isView() ? t : null;
    }

    private SqlNode expand(TableDefinition t) {
        inlined.add(t);
        if (depth >= MAX_DEPTH) {
            throw new io.cairn.sql.SqlException(MysqlError.UNKNOWN_ERROR,
                    "View '" + t.name() + "' references itself or is nested too deeply");
        }
        SqlNode body = parser.apply(t);
        return body.accept(new ViewInliner(catalog, t.database(), parser, depth + 1, inlined));
    }

    private SqlNode as(SqlNode query, String alias, TableDefinition t) {
        List<SqlNode> operands = new ArrayList<>();
        operands.add(query);
        operands.add(new SqlIdentifier(alias, new ViewMark(t)));
        if (!t.columns().isEmpty()) {
            for (var c : t.columns()) {
                operands.add(new SqlIdentifier(c.name(), SqlParserPos.ZERO));
            }
        }
        return new SqlBasicCall(SqlStdOperatorTable.AS, operands, SqlParserPos.ZERO);
    }
}
