package io.cairn.sql.frontend;

import java.util.Locale;

/**
 * One lexical token of a MySQL statement.
 *
 * @param type  what it is
 * @param text  the identifier (unquoted, without backticks), the decoded string value, the number's
 *              digits, the hex digits of a hex literal, the 0/1 digits of a bit literal, the variable
 *              name without {@code @}/{@code @@}, or the operator characters
 * @param start offset of the first character in the statement text
 * @param end   offset after the last character
 */
public record Token(Type type, String text, int start, int end) {
    /** Token kinds. */
    public enum Type {
        /** An unquoted word: keyword or identifier. */
        WORD,
        /** A backtick-quoted identifier. */
        QUOTED_ID,
        /** A string literal ('…' or "…"), escapes decoded. */
        STRING,
        /** An integer or decimal or approximate number. */
        NUMBER,
        /** x'…' or 0x…: hex digits. */
        HEX,
        /** b'…' or 0b…: binary digits. */
        BIT,
        /** A '?' placeholder. */
        PARAM,
        /** @@name, @@session.name, @@global.name (text: "session.name" etc.). */
        SYSTEM_VAR,
        /** @name. */
        USER_VAR,
        /** Operators and punctuation. */
        SYMBOL
    }

    /** Whether this is the unquoted word {@code keyword} (case-insensitive). */
    public boolean is(String keyword) {
        return type == Type.WORD && text.equalsIgnoreCase(keyword);
    }

    /** Whether this is the symbol {@code s}. */
    public boolean isSymbol(String s) {
        return type == Type.SYMBOL && text.equals(s);
    }

    /** An identifier's name (word or backtick-quoted), else null. */
    public String identifier() {
        return type == Type.WORD || type == Type.QUOTED_ID ? text : null;
    }

    /** The upper-cased word, or "" for other tokens. */
    public String keyword() {
        return type == Type.WORD ? text.toUpperCase(Locale.ROOT) : "";
    }
}
