package io.cairn.sql.session;

import io.cairn.mysql.ColumnType;
import io.cairn.mysql.Parameter;
import io.cairn.sql.codec.Temporals;
import io.cairn.sql.frontend.Lexer;
import io.cairn.sql.frontend.Token;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.List;

/**
 * Binds COM_STMT_EXECUTE parameters into a prepared statement's text as MySQL literals. The bound
 * text then takes the same path as a text query — including the plan cache, whose key replaces
 * literals by parameters, so text and prepared statements of one shape share a plan. Stateless.
 */
final class PreparedText {
    private PreparedText() {
    }

    static String bind(String sql, List<Parameter> parameters) {
        List<Token> tokens = Lexer.tokenize(sql);
        StringBuilder out = new StringBuilder(sql.length() + parameters.size() * 8);
        int copied = 0;
        int p = 0;
        for (Token t : tokens) {
            if (t.type() != Token.Type.PARAM) {
                continue;
            }
            out.append(sql, copied, t.start());
            out.append(literal(parameters.get(p++)));
            copied = t.end();
        }
        out.append(sql.substring(copied));
        return out.toString();
    }

    static String literal(Parameter param) {
        Object v = param.value();
        if (v == null) {
            return "NULL";
        }
        if (v instanceof byte[] b) {
            return param.type().isBlob() || param.type() == ColumnType.BIT || param.type() == ColumnType.GEOMETRY
                    ? "X'" + HexFormat.of().formatHex(b) + "'"
                    : quote(new String(b, StandardCharsets.UTF_8));
        }
        if (v instanceof String s) {
            return quote(s);
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return "NULL";
            }
            return d.toString().replace("E", "e");
        }
        if (v instanceof Number n) {
            return n.toString();
        }
        if (v instanceof LocalDateTime t) {
            return "'" + Temporals.format(t) + "'";
        }
        if (v instanceof LocalDate d) {
            return "'" + d + "'";
        }
        if (v instanceof Duration d) {
            return "'" + Temporals.format(d) + "'";
        }
        if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        return quote(v.toString());
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
