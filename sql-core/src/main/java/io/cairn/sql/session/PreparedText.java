package io.cairn.sql.session;

import io.cairn.mysql.ColumnType;
import io.cairn.mysql.Parameter;
import io.cairn.sql.codec.Temporals;
import io.cairn.sql.frontend.Token;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Binds COM_STMT_EXECUTE parameters into a prepared statement's tokens as MySQL literal tokens. The
 * bound tokens then take the same path as a text query — including the plan cache, whose key replaces
 * comparison literals by parameters, so text and prepared statements of one shape share a plan.
 * Stateless.
 */
final class PreparedText {
    private PreparedText() {
    }

    /** {@code tokens} with the i-th PARAM token replaced by the literal of {@code parameters.get(i)}. */
    static List<Token> bind(List<Token> tokens, List<Parameter> parameters) {
        List<Token> out = new ArrayList<>(tokens.size());
        int p = 0;
        for (Token t : tokens) {
            out.add(t.type() == Token.Type.PARAM ? literal(parameters.get(p++), t) : t);
        }
        return out;
    }

    private static Token literal(Parameter param, Token at) {
        Object v = param.value();
        if (v instanceof byte[] b) {
            if (param.type().isBlob() || param.type() == ColumnType.BIT || param.type() == ColumnType.GEOMETRY) {
                return new Token(Token.Type.HEX, HexFormat.of().formatHex(b), at.start(), at.end());
            }
            v = new String(b, StandardCharsets.UTF_8);
        }
        if (v == null || v instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return new Token(Token.Type.WORD, "NULL", at.start(), at.end());
        }
        String number = null;
        if (v instanceof BigDecimal d) {
            number = d.toPlainString();
        } else if (v instanceof Double d) {
            number = d.toString().replace("E", "e");
        } else if (v instanceof Number n) {
            number = n.toString();
        } else if (v instanceof Boolean b) {
            number = b ? "1" : "0";
        }
        if (number != null) {
            return new Token(Token.Type.NUMBER, number, at.start(), at.end());
        }
        String text;
        if (v instanceof LocalDateTime t) {
            text = Temporals.format(t);
        } else if (v instanceof LocalDate d) {
            text = d.toString();
        } else if (v instanceof Duration d) {
            text = Temporals.format(d);
        } else {
            text = v.toString();
        }
        return new Token(Token.Type.STRING, text, at.start(), at.end());
    }
}
