package io.cairn.sql.frontend;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes a {@link ShapedText} of a query, UPDATE or DELETE: number and string literals that are a
 * whole comparison operand — right of {@code = <> != < <= > >= <=>}, a {@code BETWEEN} bound, an
 * {@code IN (…)} list element — become {@code CAST(? AS t)} where {@code t} is the type Calcite gives
 * the literal itself (INTEGER, BIGINT, DECIMAL(p,s), DOUBLE, VARCHAR), so the statement keeps its
 * meaning. Literals elsewhere (select lists, ORDER BY ordinals, LIMIT, function arguments, typed
 * literals such as {@code DATE '…'}) stay inline: they may change the plan or its types.
 * Stateless and thread-safe.
 */
public final class StatementShaper {
    private static final Set<String> COMPARISONS = Set.of("=", "<>", "!=", "<", "<=", ">", ">=", "<=>");

    private StatementShaper() {
    }

    /** The shape of tokens {@code [from, to)}. */
    public static ShapedText shape(List<Token> tokens, int from, int to, SessionContext session) {
        List<Token> out = new ArrayList<>(tokens.subList(from, to));
        Map<Token, Object> bound = new IdentityHashMap<>();
        Deque<Boolean> inList = new ArrayDeque<>();
        for (int i = 0; i < out.size(); i++) {
            Token t = out.get(i);
            if (t.isSymbol("(")) {
                inList.push(i > 0 && out.get(i - 1).is("IN"));
                continue;
            }
            if (t.isSymbol(")")) {
                inList.poll();
                continue;
            }
            if ((t.type() != Token.Type.NUMBER && t.type() != Token.Type.STRING)
                    || !wholeOperand(out, i, Boolean.TRUE.equals(inList.peek()))) {
                continue;
            }
            Object value = value(t);
            if (value == null) {
                continue;
            }
            Token param = new Token(Token.Type.PARAM, "CAST(? AS " + sqlType(value) + ")", t.start(), t.end());
            out.set(i, param);
            bound.put(param, value);
        }
        if (bound.isEmpty()) {
            return ShapedText.literal(CalciteText.render(tokens, from, to, session));
        }
        List<Object> values = new ArrayList<>();
        String text = CalciteText.render(out, 0, out.size(), session, bound, values);
        return new ShapedText(text, values, () -> CalciteText.render(tokens, from, to, session));
    }

    private static boolean wholeOperand(List<Token> t, int i, boolean inList) {
        if (i == 0) {
            return false;
        }
        Token prev = t.get(i - 1);
        Token next = i + 1 < t.size() ? t.get(i + 1) : null;
        if (next != null && (next.type() == Token.Type.STRING || next.is("COLLATE"))) {
            return false; // 'a' 'b' concatenation, or an explicit collation
        }
        if (prev.type() == Token.Type.SYMBOL && COMPARISONS.contains(prev.text())) {
            return true;
        }
        if (prev.is("BETWEEN") || (prev.is("AND") && i >= 3 && t.get(i - 3).is("BETWEEN"))) {
            return true;
        }
        return inList && (prev.isSymbol("(") || prev.isSymbol(","))
                && next != null && (next.isSymbol(",") || next.isSymbol(")"));
    }

    /** The literal's value, or null when it is left inline. */
    private static Object value(Token t) {
        if (t.type() == Token.Type.STRING) {
            return t.text();
        }
        String s = t.text();
        try {
            if (s.indexOf('e') >= 0 || s.indexOf('E') >= 0) {
                return Double.parseDouble(s);
            }
            if (s.indexOf('.') >= 0) {
                return new BigDecimal(s);
            }
            BigInteger n = new BigInteger(s);
            if (n.bitLength() < 32) {
                return n.intValue();
            }
            return n.bitLength() < 64 ? (Object) n.longValue() : new BigDecimal(n);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String sqlType(Object v) {
        if (v instanceof Integer) {
            return "INTEGER";
        }
        if (v instanceof Long) {
            return "BIGINT";
        }
        if (v instanceof Double) {
            return "DOUBLE";
        }
        if (v instanceof BigDecimal d) {
            int scale = Math.max(0, d.scale());
            return "DECIMAL(" + Math.max(1, Math.max(d.precision(), scale)) + ", " + scale + ")";
        }
        return "VARCHAR";
    }
}
