package io.cairn.sql.frontend;

import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits MySQL statement text into {@link Token}s, the way the MySQL server reads it:
 * <ul>
 *   <li>comments {@code # …}, {@code -- …} (dash dash followed by a blank or control character) and
 *       {@code /* … *}{@code /} are dropped, optimizer hints {@code /*+ … *}{@code /} too;</li>
 *   <li>executable comments {@code /*! … *}{@code /} and {@code /*!NNNNN … *}{@code /}: their content is
 *       read as ordinary tokens (Cairn claims a version above every NNNNN it is sent);</li>
 *   <li>strings in single or double quotes, with backslash escapes ({@code \n \t \0 \b \r \Z \\ \' \" \% \_})
 *       and doubled quotes; backtick identifiers with doubled backticks;</li>
 *   <li>x'ff', X'ff', 0xff (hex), b'01', 0b01 (bits), numbers (digits, decimals, exponents);</li>
 *   <li>{@code @@var}, {@code @@session.var}, {@code @var}, {@code @'quoted'}, {@code ?}.</li>
 * </ul>
 * Statement separators ({@code ;}) are SYMBOL tokens. Stateless and thread-safe.
 */
public final class Lexer {
    private static final String[] SYMBOLS = {"<=>", "<>", "!=", "<=", ">=", ":=", "||", "&&", "<<", ">>", "->"};
    /** The first characters of {@link #SYMBOLS}: only these need the longer symbols tried. */
    private static final String MULTI_CHAR_STARTS = "<!>:|&-";
    /** One-character symbols as strings, made once (a multi-row INSERT has tens of thousands of them). */
    private static final String[] ONE_CHAR = new String[128];

    static {
        for (char c = 0; c < ONE_CHAR.length; c++) {
            ONE_CHAR[c] = String.valueOf(c);
        }
    }

    private Lexer() {
    }

    /**
     * @throws SqlException 1064 for an unterminated string, identifier or comment
     */
    public static List<Token> tokenize(String sql) {
        List<Token> out = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        int execCommentDepth = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '#' || (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-'
                    && (i + 2 >= n || sql.charAt(i + 2) <= ' '))) {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                if (i + 2 < n && sql.charAt(i + 2) == '!') {
                    i += 3;
                    int digits = 0;
                    while (i < n && digits < 5 && Character.isDigit(sql.charAt(i))) {
                        i++;
                        digits++;
                    }
                    execCommentDepth++;
                    continue;
                }
                int close = sql.indexOf("*/", i + 2);
                if (close < 0) {
                    throw syntax(sql, i);
                }
                i = close + 2;
                continue;
            }
            if (c == '*' && execCommentDepth > 0 && i + 1 < n && sql.charAt(i + 1) == '/') {
                execCommentDepth--;
                i += 2;
                continue;
            }
            int start = i;
            if (c == '\'' || c == '"') {
                int plainEnd = plainQuotedEnd(sql, i, c);
                if (plainEnd > 0) { // no escapes and no doubled quotes: the text between the quotes as it is
                    out.add(new Token(Token.Type.STRING, sql.substring(i + 1, plainEnd - 1), start, plainEnd));
                    i = plainEnd;
                    continue;
                }
                StringBuilder value = new StringBuilder();
                i = readQuoted(sql, i, c, value);
                out.add(new Token(Token.Type.STRING, value.toString(), start, i));
                continue;
            }
            if (c == '`') {
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw syntax(sql, start);
                    }
                    char d = sql.charAt(i);
                    if (d == '`') {
                        if (i + 1 < n && sql.charAt(i + 1) == '`') {
                            value.append('`');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    value.append(d);
                    i++;
                }
                out.add(new Token(Token.Type.QUOTED_ID, value.toString(), start, i));
                continue;
            }
            if ((c == 'x' || c == 'X' || c == 'b' || c == 'B') && i + 1 < n && sql.charAt(i + 1) == '\'') {
                int close = sql.indexOf('\'', i + 2);
                if (close < 0) {
                    throw syntax(sql, i);
                }
                String digits = sql.substring(i + 2, close);
                out.add(new Token(c == 'x' || c == 'X' ? Token.Type.HEX : Token.Type.BIT, digits, start, close + 1));
                i = close + 1;
                continue;
            }
            if (c == '0' && i + 2 < n && (sql.charAt(i + 1) == 'x' || sql.charAt(i + 1) == 'b')
                    && isRadixDigit(sql.charAt(i + 2), sql.charAt(i + 1))) {
                char radix = sql.charAt(i + 1);
                int j = i + 2;
                while (j < n && isRadixDigit(sql.charAt(j), radix)) {
                    j++;
                }
                if (j >= n || !isWordChar(sql.charAt(j))) {
                    out.add(new Token(radix == 'x' ? Token.Type.HEX : Token.Type.BIT, sql.substring(i + 2, j), start, j));
                    i = j;
                    continue;
                }
            }
            if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))
                    && !(lastIsOperand(out)))) {
                int j = i;
                while (j < n && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                if (j < n && sql.charAt(j) == '.') {
                    j++;
                    while (j < n && Character.isDigit(sql.charAt(j))) {
                        j++;
                    }
                }
                if (j < n && (sql.charAt(j) == 'e' || sql.charAt(j) == 'E')) {
                    int k = j + 1;
                    if (k < n && (sql.charAt(k) == '+' || sql.charAt(k) == '-')) {
                        k++;
                    }
                    if (k < n && Character.isDigit(sql.charAt(k))) {
                        j = k;
                        while (j < n && Character.isDigit(sql.charAt(j))) {
                            j++;
                        }
                    }
                }
                if (j < n && isWordChar(sql.charAt(j)) && !Character.isDigit(sql.charAt(j))) {
                    // an identifier starting with digits, e.g. 1abc
                    while (j < n && isWordChar(sql.charAt(j))) {
                        j++;
                    }
                    out.add(new Token(Token.Type.WORD, sql.substring(i, j), start, j));
                } else {
                    out.add(new Token(Token.Type.NUMBER, sql.substring(i, j), start, j));
                }
                i = j;
                continue;
            }
            if (isWordChar(c)) {
                int j = i;
                while (j < n && isWordChar(sql.charAt(j))) {
                    j++;
                }
                out.add(new Token(Token.Type.WORD, sql.substring(i, j), start, j));
                i = j;
                continue;
            }
            if (c == '@') {
                if (i + 1 < n && sql.charAt(i + 1) == '@') {
                    int j = i + 2;
                    while (j < n && (isWordChar(sql.charAt(j)) || sql.charAt(j) == '.')) {
                        j++;
                    }
                    out.add(new Token(Token.Type.SYSTEM_VAR, sql.substring(i + 2, j), start, j));
                    i = j;
                    continue;
                }
                if (i + 1 < n && (sql.charAt(i + 1) == '\'' || sql.charAt(i + 1) == '"' || sql.charAt(i + 1) == '`')) {
                    StringBuilder value = new StringBuilder();
                    int j = readQuoted(sql, i + 1, sql.charAt(i + 1), value);
                    out.add(new Token(Token.Type.USER_VAR, value.toString(), start, j));
                    i = j;
                    continue;
                }
                int j = i + 1;
                while (j < n && (isWordChar(sql.charAt(j)) || sql.charAt(j) == '.')) {
                    j++;
                }
                out.add(new Token(Token.Type.USER_VAR, sql.substring(i + 1, j), start, j));
                i = j;
                continue;
            }
            if (c == '?') {
                out.add(new Token(Token.Type.PARAM, "?", start, i + 1));
                i++;
                continue;
            }
            String symbol = c < ONE_CHAR.length ? ONE_CHAR[c] : String.valueOf(c);
            if (MULTI_CHAR_STARTS.indexOf(c) >= 0) {
                for (String s : SYMBOLS) {
                    if (sql.startsWith(s, i)) {
                        symbol = s;
                        break;
                    }
                }
            }
            out.add(new Token(Token.Type.SYMBOL, symbol, start, i + symbol.length()));
            i += symbol.length();
        }
        return out;
    }

    private static boolean lastIsOperand(List<Token> out) {
        if (out.isEmpty()) {
            return false;
        }
        Token t = out.get(out.size() - 1);
        return t.type() == Token.Type.WORD || t.type() == Token.Type.QUOTED_ID;
    }

    /**
     * Where the string quoted at {@code i} ends (just past its closing quote) if it holds no backslash and no
     * doubled quote, else -1 (and for an unterminated one, which {@link #readQuoted} reports).
     */
    private static int plainQuotedEnd(String sql, int i, char quote) {
        int n = sql.length();
        for (int j = i + 1; j < n; j++) {
            char d = sql.charAt(j);
            if (d == '\\') {
                return -1;
            }
            if (d == quote) {
                return j + 1 < n && sql.charAt(j + 1) == quote ? -1 : j + 1;
            }
        }
        return -1;
    }

    private static int readQuoted(String sql, int i, char quote, StringBuilder value) {
        int start = i;
        int n = sql.length();
        i++;
        while (true) {
            if (i >= n) {
                throw syntax(sql, start);
            }
            char d = sql.charAt(i);
            if (d == '\\' && quote != '`' && i + 1 < n) {
                char e = sql.charAt(i + 1);
                switch (e) {
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case 'r' -> value.append('\r');
                    case 'b' -> value.append('\b');
                    case '0' -> value.append('\0');
                    case 'Z' -> value.append('\u001a');
                    case '%' -> value.append("\\%");
                    case '_' -> value.append("\\_");
                    default -> value.append(e);
                }
                i += 2;
                continue;
            }
            if (d == quote) {
                if (i + 1 < n && sql.charAt(i + 1) == quote) {
                    value.append(quote);
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            value.append(d);
            i++;
        }
    }

    private static boolean isRadixDigit(char c, char radix) {
        return radix == 'x' ? Character.digit(c, 16) >= 0 : c == '0' || c == '1';
    }

    static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7f;
    }

    /** A 1064 error pointing at {@code offset}. */
    public static SqlException syntax(String sql, int offset) {
        String near = offset >= sql.length() ? "" : sql.substring(offset, Math.min(sql.length(), offset + 80));
        int line = 1;
        for (int k = 0; k < Math.min(offset, sql.length()); k++) {
            if (sql.charAt(k) == '\n') {
                line++;
            }
        }
        return new SqlException(MysqlError.PARSE, near, line);
    }
}
