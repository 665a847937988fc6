package io.cairn.sql.frontend;

import io.cairn.sql.SqlException;
import java.util.ArrayList;
import java.util.List;

/** A read position in a statement's tokens, for the hand-written parts of the grammar. Not thread-safe. */
public final class TokenCursor {
    private final String sql;
    private final List<Token> tokens;
    private int pos;

    public TokenCursor(String sql, List<Token> tokens) {
        this.sql = sql;
        this.tokens = tokens;
        // a trailing ';' ends the statement
        int end = tokens.size();
        while (end > 0 && tokens.get(end - 1).isSymbol(";")) {
            end--;
        }
        this.end = end;
    }

    private final int end;

    public String sql() {
        return sql;
    }

    public List<Token> tokens() {
        return tokens;
    }

    public int position() {
        return pos;
    }

    public void reset(int position) {
        pos = position;
    }

    /** The index after the last meaningful token (trailing ';' excluded). */
    public int end() {
        return end;
    }

    public boolean atEnd() {
        return pos >= end;
    }

    public Token peek() {
        return pos < end ? tokens.get(pos) : null;
    }

    public Token peek(int ahead) {
        return pos + ahead < end ? tokens.get(pos + ahead) : null;
    }

    public Token next() {
        if (atEnd()) {
            throw error();
        }
        return tokens.get(pos++);
    }

    /** Consumes the keyword if it is next. */
    public boolean accept(String keyword) {
        Token t = peek();
        if (t != null && t.is(keyword)) {
            pos++;
            return true;
        }
        return false;
    }

    /** Consumes the keywords if they are all next, in order. */
    public boolean acceptAll(String... keywords) {
        for (int i = 0; i < keywords.length; i++) {
            Token t = peek(i);
            if (t == null || !t.is(keywords[i])) {
                return false;
            }
        }
        pos += keywords.length;
        return true;
    }

    public boolean acceptSymbol(String symbol) {
        Token t = peek();
        if (t != null && t.isSymbol(symbol)) {
            pos++;
            return true;
        }
        return false;
    }

    public void expect(String keyword) {
        if (!accept(keyword)) {
            throw error();
        }
    }

    public void expectSymbol(String symbol) {
        if (!acceptSymbol(symbol)) {
            throw error();
        }
    }

    /** A parenthesized list of identifiers, {@code (a, b, c)}, if one comes next; else an empty list. */
    public List<String> optionalIdentifierList() {
        List<String> names = new ArrayList<>();
        if (acceptSymbol("(")) {
            do {
                names.add(identifier());
            } while (acceptSymbol(","));
            expectSymbol(")");
        }
        return names;
    }

    /** An identifier (unquoted word or backticks). */
    public String identifier() {
        Token t = peek();
        if (t == null || t.identifier() == null) {
            throw error();
        }
        pos++;
        return t.text();
    }

    /** A possibly qualified name {@code [db.]name}: returns {db or null, name}. */
    public String[] qualifiedName() {
        String first = identifier();
        if (acceptSymbol(".")) {
            return new String[] {first, identifier()};
        }
        return new String[] {null, first};
    }

    /** Skips a balanced parenthesized group starting at the current '('. */
    public void skipParenthesized() {
        expectSymbol("(");
        int depth = 1;
        while (depth > 0) {
            Token t = next();
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            }
        }
    }

    /** The source text from token {@code fromIndex} to the end of the statement. */
    public String sourceFrom(int fromIndex) {
        if (fromIndex >= end) {
            return "";
        }
        return sql.substring(tokens.get(fromIndex).start(), tokens.get(end - 1).end());
    }

    /** A 1064 error at the current token. */
    public SqlException error() {
        int offset = pos < tokens.size() ? tokens.get(pos).start() : sql.length();
        return Lexer.syntax(sql, offset);
    }

    public void expectEnd() {
        if (!atEnd()) {
            throw error();
        }
    }
}
