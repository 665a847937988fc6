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
 * (up to a depth that catches cycles). Not thread-safe: one use per statement.
 */
final class ViewInliner extends SqlShuttle {
    private static final int MAX_DEPTH = 16;

    private final Catalog catalog;
    private final String defaultDb;
    private final Function<TableDefinition, SqlNode> parser;
    private final int depth;

    /**
     * @param parser parses a view's stored SELECT (through the MySQL front-end)
     */
    ViewInliner(Catalog catalog, String defaultDb, Function<TableDefinition, SqlNode> parser, int depth) {
        this.catalog = catalog;
        this.defaultDb = defaultDb;
        this.parser = parser;
        this.depth = depth;
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
            SqlNode view = expand(id);
            if (view != null) {
                return as(view, id.names.get(id.names.size() - 1), id);
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
            SqlNode view = expand(id);
            if (view != null) {
                call.setOperand(0, view);
            }
            return from;
        }
        return from;
    }

    private SqlNode expand(SqlIdentifier id) {
        String db = id.names.size() >= 2 ? id.names.get(id.names.size() - 2) : defaultDb;
        TableDefinition t = catalog.table(db, id.names.get(id.names.size() - 1));
        if (t == null || !t.isView()) {
            return null;
        }
        if (depth >= MAX_DEPTH) {
            throw new io.cairn.sql.SqlException(MysqlError.UNKNOWN_ERROR,
                    "View '" + t.name() + "' references itself or is nested too deeply");
        }
        SqlNode body = parser.apply(t);
        return body.accept(new ViewInliner(catalog, t.database(), parser, depth + 1));
    }

    private SqlNode as(SqlNode query, String alias, SqlIdentifier at) {
        TableDefinition t = null;
        String db = at.names.size() >= 2 ? at.names.get(at.names.size() - 2) : defaultDb;
        t = catalog.table(db, alias);
        List<SqlNode> operands = new ArrayList<>();
        operands.add(query);
        operands.add(new SqlIdentifier(alias, SqlParserPos.ZERO));
        if (t != null && !t.columns().isEmpty()) {
            for (var c : t.columns()) {
                operands.add(new SqlIdentifier(c.name(), SqlParserPos.ZERO));
            }
        }
        return new SqlBasicCall(SqlStdOperatorTable.AS, operands, SqlParserPos.ZERO);
    }
}
