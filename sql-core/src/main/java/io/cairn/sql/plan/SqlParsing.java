package io.cairn.sql.plan;

import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import org.apache.calcite.config.Lex;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.parser.ddl.SqlDdlParserImpl;

/**
 * Calcite's parser as Cairn configures it (STACK-NOTES): the DDL parser factory, MySQL lexical
 * rules and MYSQL_5 conformance. Input is front-end output ({@link io.cairn.sql.frontend.CalciteText}).
 * Thread-safe.
 */
public final class SqlParsing {
    private static final SqlParser.Config CONFIG = SqlParser.config()
            .withParserFactory(SqlDdlParserImpl.FACTORY)
            .withLex(Lex.MYSQL)
            .withConformance(SqlConformanceEnum.MYSQL_5);

    private SqlParsing() {
    }

    /** Parses one statement; a syntax error is MySQL error 1064 quoting the text near it. */
    public static SqlNode parse(String text) {
        try {
            return SqlParser.create(text, CONFIG).parseStmt();
        } catch (SqlParseException e) {
            int line = e.getPos() == null ? 1 : Math.max(1, e.getPos().getLineNum());
            int col = e.getPos() == null ? 1 : Math.max(1, e.getPos().getColumnNum());
            String[] lines = text.split("\n", -1);
            String near = "";
            if (line <= lines.length) {
                String l = lines[line - 1];
                near = col - 1 < l.length() ? l.substring(col - 1) : "";
                if (near.length() > 80) {
                    near = near.substring(0, 80);
                }
            }
            throw new SqlException(MysqlError.PARSE, e, near, line);
        }
    }
}
