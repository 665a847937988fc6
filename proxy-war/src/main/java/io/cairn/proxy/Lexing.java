package io.cairn.proxy;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of MySQL's lexical rules for the proxy's statement classes: comments, quoted strings
 * and identifiers, and parentheses, so that a ';' or ',' inside them is not taken for a separator.
 *
 * <p>Every method is one pass over the text, without recursion: they run on an event loop for each
 * query, whose text a client chooses (up to max_allowed_packet). A nested-comment recursion and
 * re-scanning the rest after each ';' or ',' let a 1 MB query overflow the stack or hold a loop for
 * minutes (wire fuzz: HUGE_QUERY_TEXT).
 */
final class Lexing {
    private Lexing() {
    }

    /** The text without leading white space and comments; an executable comment's content is kept. */
    static String stripLeadingComments(String sql) {
        int i = 0;
        int n = sql.length(); // the text ends here: an executable comment's content ends before its */
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (sql.startsWith("/*!", i)) {
                int end = n >= 2 ? sql.lastIndexOf("*/", n - 2) : -1;
                int start = i + 3;
                while (start < n && Character.isDigit(sql.charAt(start))) {
                    start++;
                }
                if (end <= start) {
                    return sql.substring(i, n);
                }
                i = start; // go on inside the comment
                n = end;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                if (end < 0 || end + 2 > n) {
                    return "";
                }
                i = end + 2;
            } else if (c == '#' || sql.startsWith("-- ", i) || sql.startsWith("--\t", i)) {
                int end = sql.indexOf('\n', i);
                if (end < 0 || end >= n) {
                    return "";
                }
                i = end + 1;
            } else {
                break;
            }
        }
        return sql.substring(i, n).strip();
    }

    static String firstWord(String text) {
        int end = 0;
        while (end < text.length() && Character.isLetter(text.charAt(end))) {
            end++;
        }
        return text.substring(0, end);
    }

    /**
     * Whether a ';' outside quotes and comments is followed by more than white space, ';' and comments (an
     * executable comment counts as more).
     */
    static boolean severalStatements(String text) {
        int semicolon = indexOfTopLevel(text, ';', 0);
        if (semicolon < 0) {
            return false;
        }
        int n = text.length();
        for (int i = semicolon + 1; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == ';') {
                continue;
            }
            if (text.startsWith("/*", i) && !text.startsWith("/*!", i)) {
                int end = text.indexOf("*/", i + 2);
                if (end < 0) {
                    return false;
                }
                i = end + 1;
            } else if (c == '#' || text.startsWith("-- ", i) || text.startsWith("--\t", i)) {
                int end = text.indexOf('\n', i);
                if (end < 0) {
                    return false;
                }
                i = end;
            } else {
                return true;
            }
        }
        return false;
    }

    /** Index of {@code target} outside quotes, comments and parentheses, or -1. */
    static int indexOfTopLevel(String text, char target) {
        return indexOfTopLevel(text, target, 0);
    }

    /** Index of {@code target} at or after {@code from} (outside quotes, comments, parentheses), or -1. */
    private static int indexOfTopLevel(String text, char target, int from) {
        int depth = 0;
        int n = text.length();
        for (int i = from; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(text, i);
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 1;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == target && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The parts of {@code text} between top-level {@code separator}s. */
    static List<String> splitTopLevel(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        int at = indexOfTopLevel(text, separator, 0);
        while (at >= 0) {
            parts.add(text.substring(from, at));
            from = at + 1;
            at = indexOfTopLevel(text, separator, from);
        }
        String last = text.substring(from).strip();
        if (last.endsWith(";")) {
            last = last.substring(0, last.length() - 1);
        }
        parts.add(last);
        return parts;
    }

    /** Index of the closing quote of the quoted text opening at {@code open} (or the end). */
    private static int skipQuoted(String text, int open) {
        char quote = text.charAt(open);
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quote != '`') {
                i++;
            } else if (c == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return text.length();
    }
}
