package io.cairn.proxy;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of MySQL's lexical rules for the proxy's statement classes: comments, quoted strings
 * and identifiers, and parentheses, so that a ';' or ',' inside them is not taken for a separator.
 */
final class Lexing {
    private Lexing() {
    }

    /** The text without leading white space and comments; an executable comment's content is kept. */
    static String stripLeadingComments(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (sql.startsWith("/*!", i)) {
                int end = sql.lastIndexOf("*/");
                int start = i + 3;
                while (start < n && Character.isDigit(sql.charAt(start))) {
                    start++;
                }
                return end > start ? stripLeadingComments(sql.substring(start, end)) : sql.substring(i);
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                if (end < 0) {
                    return "";
                }
                i = end + 2;
            } else if (c == '#' || sql.startsWith("-- ", i) || sql.startsWith("--\t", i)) {
                int end = sql.indexOf('\n', i);
                if (end < 0) {
                    return "";
                }
                i = end + 1;
            } else {
                break;
            }
        }
        return sql.substring(i).strip();
    }

    static String firstWord(String text) {
        int end = 0;
        while (end < text.length() && Character.isLetter(text.charAt(end))) {
            end++;
        }
        return text.substring(0, end);
    }

    /** Whether a ';' outside quotes and comments is followed by more than white space, ';' and comments. */
    static boolean severalStatements(String text) {
        int semicolon = indexOfTopLevel(text, ';');
        while (semicolon >= 0) {
            String rest = stripLeadingComments(text.substring(semicolon + 1));
            if (rest.isEmpty()) {
                return false;
            }
            if (rest.charAt(0) != ';') {
                return true;
            }
            text = rest;
            semicolon = 0;
        }
        return false;
    }

    /** Index of {@code target} outside quotes, comments and parentheses, or -1. */
    static int indexOfTopLevel(String text, char target) {
        int depth = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
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
        String rest = text;
        int at = indexOfTopLevel(rest, separator);
        while (at >= 0) {
            parts.add(rest.substring(0, at));
            rest = rest.substring(at + 1);
            at = indexOfTopLevel(rest, separator);
        }
        String last = rest.strip();
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
