package io.cairn.sql.frontend;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * MySQL lets HAVING filter a query without GROUP BY or aggregates by its select-list aliases (Connector/J's
 * {@code DatabaseMetaData.getTables} does); for Calcite that makes the query an aggregate. This rewrite
 * moves such a HAVING condition into WHERE, with the aliases it names replaced by their select-list
 * expressions. Other queries are returned unchanged. Stateless and thread-safe.
 */
public final class HavingRewriter {
    private static final Set<String> AGGREGATES = Set.of("COUNT", "SUM", "AVG", "MIN", "MAX", "GROUP_CONCAT",
            "STDDEV", "VARIANCE", "BIT_AND", "BIT_OR", "STD");

    private HavingRewriter() {
    }

    public static List<Token> rewrite(List<Token> tokens, int end) {
        if (!tokens.get(0).is("SELECT")) {
            return tokens.subList(0, end);
        }
        int depth = 0;
        int having = -1;
        int tail = end;
        for (int i = 0; i < end; i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (AGGREGATES.contains(t.keyword()) && i + 1 < end && tokens.get(i + 1).isSymbol("(")) {
                return tokens.subList(0, end);
            } else if (depth == 0 && (t.is("GROUP") || t.is("UNION"))) {
                return tokens.subList(0, end);
            } else if (depth == 0 && t.is("HAVING")) {
                having = i;
            } else if (depth == 0 && having >= 0 && tail == end && (t.is("ORDER") || t.is("LIMIT"))) {
                tail = i;
            }
        }
        if (having < 0) {
            return tokens.subList(0, end);
        }
        // select-list aliases → their expressions
        int from = -1;
        depth = 0;
        for (int i = 1; i < having; i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && t.is("FROM")) {
                from = i;
                break;
            }
        }
        if (from < 0) {
            return tokens.subList(0, end);
        }
        java.util.Map<String, List<Token>> aliases = new java.util.HashMap<>();
        for (List<Token> item : InsertRewriter.split(tokens, 1, from)) {
            int n = item.size();
            if (n >= 2 && item.get(n - 1).identifier() != null) {
                int exprEnd = item.get(n - 2).is("AS") ? n - 2 : n - 1;
                if (exprEnd > 0) {
                    aliases.put(item.get(n - 1).text().toLowerCase(java.util.Locale.ROOT), item.subList(0, exprEnd));
                }
            }
        }
        int where = -1;
        depth = 0;
        for (int i = from; i < having; i++) {
            Token t = tokens.get(i);
            depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
            if (depth == 0 && t.is("WHERE")) {
                where = i;
            }
        }
        List<Token> out = new ArrayList<>(tokens.subList(0, having));
        out.add(word(where >= 0 ? "AND" : "WHERE"));
        out.add(new Token(Token.Type.SYMBOL, "(", 0, 0));
        for (int i = having + 1; i < tail; i++) {
            Token t = tokens.get(i);
            List<Token> expr = t.identifier() != null && !(i > 0 && tokens.get(i - 1).isSymbol("."))
                    && !(i + 1 < tail && (tokens.get(i + 1).isSymbol("(") || tokens.get(i + 1).isSymbol(".")))
                    ? aliases.get(t.text().toLowerCase(java.util.Locale.ROOT)) : null;
            if (expr != null) {
                out.add(new Token(Token.Type.SYMBOL, "(", 0, 0));
                out.addAll(expr);
                out.add(new Token(Token.Type.SYMBOL, ")", 0, 0));
            } else {
                out.add(t);
            }
        }
        out.add(new Token(Token.Type.SYMBOL, ")", 0, 0));
        out.addAll(tokens.subList(tail, end));
        return out;
    }

    private static Token word(String w) {
        return new Token(Token.Type.WORD, w, 0, 0);
    }
}
