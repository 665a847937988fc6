package io.cairn.sql.frontend;

import io.cairn.sql.codec.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The common INSERT read straight from its tokens: {@code INSERT INTO [db.]t [(cols)] VALUES (…), …}
 * where every value is a literal (number, string, hex or bit literal, NULL, TRUE/FALSE, DEFAULT, a
 * signed number). Such statements — what bulk loaders, ORMs and sysbench send — then skip Calcite's
 * parser, which costs more than the rest of a single-row insert. Anything else is left to it.
 *
 * @param database the qualifying database, or null
 * @param table    the target table
 * @param columns  the listed columns, or empty for all
 * @param rows     the values of each row: Long, BigDecimal, Double, String, byte[], Boolean, null or {@link #DEFAULT}
 */
public record InsertValues(String database, String table, List<String> columns, List<Object[]> rows) {
    /** A {@code DEFAULT} value item. */
    public static final Object DEFAULT = new Object() {
        @Override
        public String toString() {
            return "DEFAULT";
        }
    };

    /** The statement read from its tokens ({@link InsertRewriter}'s output form), or null when it is not this simple. */
    static InsertValues parse(List<Token> t) {
        int i = 0;
        if (t.size() < 6 || !t.get(i++).is("INSERT") || !t.get(i++).is("INTO")) {
            return null;
        }
        String first = name(t, i++);
        if (first == null) {
            return null;
        }
        String db = null;
        String table = first;
        if (t.get(i).isSymbol(".")) {
            db = first;
            table = name(t, i + 1);
            i += 2;
            if (table == null) {
                return null;
            }
        }
        List<String> columns = new ArrayList<>();
        if (t.get(i).isSymbol("(")) {
            i++;
            while (true) {
                String c = name(t, i++);
                if (c == null || i >= t.size()) {
                    return null;
                }
                columns.add(c);
                if (t.get(i).isSymbol(")")) {
                    i++;
                    break;
                }
                if (!t.get(i++).isSymbol(",")) {
                    return null;
                }
            }
        }
        if (i >= t.size() || !t.get(i++).is("VALUES")) {
            return null;
        }
        List<Object[]> rows = new ArrayList<>();
        List<Object> row = new ArrayList<>();
        while (true) {
            if (i >= t.size() || !t.get(i++).isSymbol("(")) {
                return null;
            }
            row.clear();
            while (true) {
                int[] next = {i};
                Object v = value(t, next);
                if (v == NOT_LITERAL) {
                    return null;
                }
                row.add(v);
                i = next[0];
                if (i >= t.size()) {
                    return null;
                }
                Token sep = t.get(i++);
                if (sep.isSymbol(")")) {
                    break;
                }
                if (!sep.isSymbol(",")) {
                    return null;
                }
            }
            rows.add(row.toArray());
            if (i == t.size()) {
                return new InsertValues(db, table, List.copyOf(columns), rows);
            }
            if (!t.get(i++).isSymbol(",")) {
                return null;
            }
        }
    }

    private static final Object NOT_LITERAL = new Object();

    private static String name(List<Token> t, int i) {
        if (i >= t.size()) {
            return null;
        }
        Token n = t.get(i);
        return n.type() == Token.Type.QUOTED_ID || n.type() == Token.Type.WORD ? n.text() : null;
    }

    /** The literal at {@code at[0]} (advanced past it), or {@link #NOT_LITERAL}. */
    private static Object value(List<Token> t, int[] at) {
        int i = at[0];
        if (i >= t.size()) {
            return NOT_LITERAL;
        }
        Token v = t.get(i);
        boolean negative = false;
        if ((v.isSymbol("-") || v.isSymbol("+")) && i + 1 < t.size() && t.get(i + 1).type() == Token.Type.NUMBER) {
            negative = v.isSymbol("-");
            v = t.get(++i);
        }
        Token next = i + 1 < t.size() ? t.get(i + 1) : null;
        if (next != null && !next.isSymbol(",") && !next.isSymbol(")")) {
            return NOT_LITERAL; // part of an expression
        }
        at[0] = i + 1;
        switch (v.type()) {
            case NUMBER:
                return number(v.text(), negative);
            case STRING:
                return v.text();
            case HEX:
                return HexFormat.of().parseHex(v.text().length() % 2 == 1 ? "0" + v.text() : v.text());
            case BIT:
                BigInteger bits = v.text().isEmpty() ? BigInteger.ZERO : new BigInteger(v.text(), 2);
                return bits.bitLength() < 64 ? (Object) bits.longValue() : new BigDecimal(bits);
            case WORD:
                switch (v.keyword()) {
                    case "NULL":
                        return null;
                    case "TRUE":
                        return Boolean.TRUE;
                    case "FALSE":
                        return Boolean.FALSE;
                    case "DEFAULT":
                        return DEFAULT;
                    default:
                        return NOT_LITERAL;
                }
            default:
                return NOT_LITERAL;
        }
    }

    private static Object number(String text, boolean negative) {
        try {
            if (text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
                double d = Double.parseDouble(text);
                return negative ? -d : d;
            }
            BigDecimal d = new BigDecimal(text);
            return Values.exactNumber(negative ? d.negate() : d);
        } catch (NumberFormatException e) {
            return NOT_LITERAL;
        }
    }
}
