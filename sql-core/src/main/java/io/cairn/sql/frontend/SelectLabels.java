package io.cairn.sql.frontend;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * MySQL names a result column without an alias after the select item as the client wrote it
 * ({@code SELECT 1 + 1} has a column "1 + 1"); Calcite calls it {@code EXPR$n}. This finds the text
 * of each item of a query's first select list, so the session can label such columns the MySQL way.
 * Stateless and thread-safe.
 */
public final class SelectLabels {
    private static final Set<String> MODIFIERS = Set.of("ALL", "DISTINCT", "DISTINCTROW", "HIGH_PRIORITY",
            "STRAIGHT_JOIN", "SQL_SMALL_RESULT", "SQL_BIG_RESULT", "SQL_BUFFER_RESULT", "SQL_NO_CACHE", "SQL_CACHE",
            "SQL_CALC_FOUND_ROWS");
    private static final Set<String> LIST_END = Set.of("FROM", "INTO", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT",
            "UNION", "EXCEPT", "INTERSECT", "WINDOW", "FOR", "LOCK");

    private SelectLabels() {
    }

    /**
     * The original text of each select item of the statement's first SELECT, in order, or null when
     * the list has a {@code *} (whose expansion shifts the positions) or the statement is no plain SELECT.
     */
    public static List<String> of(String sql, List<Token> tokens, int end) {
        if (end == 0 || !tokens.get(0).is("SELECT")) {
            return null;
        }
        int i = 1;
        while (i < end && MODIFIERS.contains(tokens.get(i).keyword())) {
            i++;
        }
        List<String> items = new ArrayList<>();
        int depth = 0;
        int itemStart = i;
        for (; i <= end; i++) {
            Token t = i < end ? tokens.get(i) : null;
            boolean listEnds = t == null || (depth == 0 && LIST_END.contains(t.keyword()));
            if (listEnds || (depth == 0 && t.isSymbol(","))) {
                if (itemStart >= i) {
                    return null;
                }
                Token last = tokens.get(i - 1);
                if (last.isSymbol("*")) {
                    return null;
                }
                Token first = tokens.get(itemStart);
                boolean lone = itemStart == i - 1;
                items.add(lone && first.type() == Token.Type.STRING ? first.text()
                        : sql.substring(first.start(), last.end()));
                itemStart = i + 1;
                if (listEnds) {
                    return items;
                }
            } else if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            }
        }
        return items;
    }
}
