package io.cairn.sql.frontend;

import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders MySQL tokens as text that Calcite's parser (DDL parser factory, {@code Lex.MYSQL},
 * {@code MYSQL_5} conformance) reads with MySQL's meaning. The rewrites:
 * <ul>
 *   <li>strings become single-quoted with doubled quotes ("…", backslash escapes, charset introducers
 *       {@code _utf8mb4'…'} and {@code N'…'} handled); x'…'/0x… become {@code X'…'}; b'…' a number;</li>
 *   <li>{@code @@var} and {@code @var} become literals of their current values; session functions
 *       (DATABASE(), NOW(), LAST_INSERT_ID(), …) become literals of their value for this statement;</li>
 *   <li>{@code CAST(… AS SIGNED|UNSIGNED [INTEGER])} → BIGINT, {@code AS DATETIME} → TIMESTAMP,
 *       {@code AS CHAR} → VARCHAR; infix {@code MOD} → {@code %}; {@code a DIV b} →
 *       {@code a / MYSQL_DIV_DIVISOR(b)}; {@code <=>} → IS NOT DISTINCT FROM;
 *       {@code ||}/{@code &&} → OR/AND;</li>
 *   <li>{@code INTERVAL expr unit} → {@code MYSQL_INTERVAL(expr, 'UNIT')}, TIMESTAMPADD/TIMESTAMPDIFF(unit, …) →
 *       {@code MYSQL_TIMESTAMPADD/MYSQL_TIMESTAMPDIFF('UNIT', …)}: Cairn's date arithmetic;</li>
 *   <li>{@code FROM DUAL} and select modifiers (SQL_NO_CACHE, SQL_CALC_FOUND_ROWS, HIGH_PRIORITY,
 *       STRAIGHT_JOIN) are dropped.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class CalciteText {
    /** Marks a DIV divisor in rendered text (see {@link #rewriteDiv}; MysqlOperators knows it too). */
    private static final String DIV_DIVISOR = "MYSQL_DIV_DIVISOR";

    private static final Set<String> DROPPED_MODIFIERS = Set.of("SQL_NO_CACHE", "SQL_CACHE", "SQL_CALC_FOUND_ROWS",
            "HIGH_PRIORITY", "STRAIGHT_JOIN", "SQL_SMALL_RESULT", "SQL_BIG_RESULT", "SQL_BUFFER_RESULT");

    /** How {@code INTERVAL expr unit} is written for Calcite (see {@link #rewriteInterval}; plan.DateArithmetic knows it too). */
    private static final String INTERVAL_CALL = "MYSQL_INTERVAL";
    /** MySQL's interval units. */
    private static final Set<String> INTERVAL_UNITS = Set.of("MICROSECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK",
            "MONTH", "QUARTER", "YEAR", "SECOND_MICROSECOND", "MINUTE_MICROSECOND", "MINUTE_SECOND", "HOUR_MICROSECOND",
            "HOUR_SECOND", "HOUR_MINUTE", "DAY_MICROSECOND", "DAY_SECOND", "DAY_MINUTE", "DAY_HOUR", "YEAR_MONTH");

    /** MySQL function names Calcite knows under another name. */
    private static final Map<String, String> RENAMED_FUNCTIONS = Map.of(
            "UCASE", "UPPER", "LCASE", "LOWER", "POW", "POWER", "SUBSTR", "SUBSTRING", "CHARACTER_LENGTH", "CHAR_LENGTH",
            "MICROSECOND", "MYSQL_MICROSECOND", "DATE_FORMAT", "MYSQL_DATE_FORMAT");

    /** The date/time functions that take a fractional-seconds precision: NOW(6). */
    private static final java.util.Set<String> FSP_FUNCTIONS = java.util.Set.of("NOW", "CURRENT_TIMESTAMP", "LOCALTIME",
            "LOCALTIMESTAMP", "SYSDATE", "UTC_TIMESTAMP", "CURTIME", "CURRENT_TIME", "UTC_TIME");

    private CalciteText() {
    }

    /** A TIMESTAMP or TIME literal with exactly {@code fsp} fraction digits (its type's precision). */
    private static void appendTemporal(StringBuilder sb, Object v, int fsp) {
        if (v instanceof LocalDateTime t) {
            sb.append("TIMESTAMP '").append(io.cairn.sql.codec.Temporals.format(
                    io.cairn.sql.codec.Temporals.toMicros(t, 6), fsp)).append('\'');
        } else if (v instanceof LocalTime t) {
            String s = io.cairn.sql.codec.Temporals.format(
                    io.cairn.sql.codec.Temporals.toMicros(LocalDate.EPOCH.atTime(t), 6), fsp);
            sb.append("TIME '").append(s.substring(11)).append('\'');
        } else {
            appendLiteral(sb, v);
        }
    }

    /** Renders tokens {@code [from, to)}. */
    public static String render(List<Token> tokens, int from, int to, SessionContext session) {
        return render(tokens, from, to, session, Map.of(), new ArrayList<>());
    }

    /**
     * Renders tokens {@code [from, to)} where the PARAM tokens that are keys of {@code bound} are
     * parameters with a value: each is written as its text and its value appended to {@code values},
     * so that {@code values} follows the order of the parameters in the result.
     */
    static String render(List<Token> tokens, int from, int to, SessionContext session, Map<Token, Object> bound,
            List<Object> values) {
        List<Token> rewritten = rewritten(tokens.subList(from, to));
        if (rewritten != null) {
            tokens = rewritten;
            from = 0;
            to = rewritten.size();
        }
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            Token next = i + 1 < to ? tokens.get(i + 1) : null;
            Token prev = i > from ? tokens.get(i - 1) : null;
            switch (t.type()) {
                case STRING -> appendString(sb, t.text());
                case QUOTED_ID -> sb.append('`').append(t.text().replace("`", "``")).append('`');
                case HEX -> {
                    String digits = t.text().length() % 2 == 1 ? "0" + t.text() : t.text();
                    sb.append("X'").append(digits).append('\'');
                }
                case BIT -> sb.append(t.text().isEmpty() ? BigInteger.ZERO : new BigInteger(t.text(), 2));
                case SYSTEM_VAR -> appendLiteral(sb, session.systemVariable(t.text()));
                case USER_VAR -> appendLiteral(sb, session.userVariable(t.text()));
                case NUMBER -> sb.append(t.text());
                case PARAM -> {
                    sb.append(t.text());
                    if (bound.containsKey(t)) {
                        values.add(bound.get(t));
                    }
                }
                case SYMBOL -> {
                    switch (t.text()) {
                        case "<=>" -> sb.append("IS NOT DISTINCT FROM");
                        case "||" -> sb.append("OR");
                        case "&&" -> sb.append("AND");
                        default -> sb.append(t.text());
                    }
                }
                case WORD -> {
                    String kw = t.keyword();
                    if (next != null && next.type() == Token.Type.STRING && t.end() == next.start()
                            && (kw.startsWith("_") || kw.equals("N"))) {
                        continue; // charset introducer
                    }
                    if (kw.equals("FROM") && next != null && next.is("DUAL")) {
                        i++;
                        continue;
                    }
                    if (DROPPED_MODIFIERS.contains(kw)) {
                        continue;
                    }
                    if (prev != null && prev.is("AS") && isCastTarget(tokens, i, from)) {
                        i = renderCastType(sb, tokens, i, to);
                        sb.append(' ');
                        continue;
                    }
                    if (kw.equals("NULL") && prev != null && (prev.is("SELECT") || prev.isSymbol(","))
                            && next != null && (next.is("AS") || (next.identifier() != null && !next.is("FROM")
                            && !next.is("IS") && !next.is("AND") && !next.is("OR")))) {
                        // an aliased NULL select item gets a type, so that it can be sorted and unioned
                        sb.append("CAST(NULL AS VARCHAR) ");
                        continue;
                    }
                    if (kw.equals("MOD") && (next == null || !next.isSymbol("("))) {
                        sb.append('%');
                        break;
                    }
                    if (next != null && next.isSymbol("(") && i + 3 < to && tokens.get(i + 2).type() == Token.Type.NUMBER
                            && tokens.get(i + 3).isSymbol(")") && FSP_FUNCTIONS.contains(kw)) {
                        // NOW(6), CURTIME(3), …: the statement's start cut to that many fraction digits
                        int fsp = Integer.parseInt(tokens.get(i + 2).text());
                        if (fsp > 6) {
                            throw new io.cairn.sql.SqlException(io.cairn.mysql.MysqlError.TOO_BIG_PRECISION, fsp,
                                    kw.toLowerCase(java.util.Locale.ROOT));
                        }
                        Object v = session.sessionFunction(kw, fsp);
                        if (v != SessionContext.NOT_A_SESSION_FUNCTION) {
                            appendTemporal(sb, v, fsp);
                            sb.append(' ');
                            i += 3;
                            continue;
                        }
                    }
                    if ((kw.equals("TIMESTAMPDIFF") || kw.equals("TIMESTAMPADD")) && next != null && next.isSymbol("(")
                            && i + 3 < to && tokens.get(i + 2).type() == Token.Type.WORD && tokens.get(i + 3).isSymbol(",")) {
                        // Cairn's, exact to the microsecond (Calcite's counts milliseconds)
                        sb.append("MYSQL_").append(kw).append("('").append(tokens.get(i + 2).keyword()).append("', ");
                        i += 3;
                        continue;
                    }
                    if (next != null && next.isSymbol("(") && i + 2 < to && tokens.get(i + 2).isSymbol(")")) {
                        Object v = session.sessionFunction(kw);
                        if (v != SessionContext.NOT_A_SESSION_FUNCTION) {
                            appendLiteral(sb, v);
                            sb.append(' ');
                            i += 2;
                            continue;
                        }
                    }
                    if ((kw.equals("CURRENT_TIMESTAMP") || kw.equals("CURRENT_DATE") || kw.equals("CURRENT_TIME")
                            || kw.equals("LOCALTIMESTAMP") || kw.equals("LOCALTIME") || kw.equals("UTC_TIMESTAMP"))
                            && (next == null || !next.isSymbol("("))) {
                        Object v = session.sessionFunction(kw);
                        if (v != SessionContext.NOT_A_SESSION_FUNCTION) {
                            appendLiteral(sb, v);
                            sb.append(' ');
                            continue;
                        }
                    }
                    String renamed = next != null && next.isSymbol("(") ? RENAMED_FUNCTIONS.get(kw) : null;
                    sb.append(renamed != null ? renamed : t.text());
                }
                default -> sb.append(t.text());
            }
            sb.append(' ');
        }
        return sb.toString().trim();
    }

    /**
     * {@code in} with the token rewrites below applied, each only when its word occurs (index hints, CONVERT,
     * LOCATE, DIV, the list functions, INTERVAL, in that order); null when none applies.
     */
    private static List<Token> rewritten(List<Token> in) {
        List<Token> out = in;
        if (hasWord(out, 0, out.size(), "INDEX") || hasWord(out, 0, out.size(), "KEY")) {
            out = withoutIndexHints(out);
        }
        if (hasWord(out, 0, out.size(), "CONVERT")) {
            out = rewriteConvert(out);
        }
        if (hasWord(out, 0, out.size(), "LOCATE")) {
            out = rewriteLocate(out);
        }
        if (hasDiv(out, 0, out.size())) {
            out = rewriteDiv(out);
        }
        if (hasWord(out, 0, out.size(), "FIELD") || hasWord(out, 0, out.size(), "ELT")
                || hasWord(out, 0, out.size(), "INTERVAL")) {
            out = rewriteListFunctions(out);
        }
        if (hasWord(out, 0, out.size(), "INTERVAL")) {
            out = rewriteInterval(out);
        }
        return out == in ? null : out;
    }

    private static boolean hasWord(List<Token> tokens, int from, int to, String word) {
        for (int i = from; i < to; i++) {
            if (tokens.get(i).is(word)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Without MySQL's index hints after a table name or alias: {@code {USE|IGNORE|FORCE} {INDEX|KEY} [FOR {JOIN|ORDER
     * BY|GROUP BY}] ([names])}, several of them, with commas or not. A hint never changes a result, and the planner
     * picks the access path itself; the named indexes are not checked (MySQL says 1176 for one that does not exist).
     */
    static List<Token> withoutIndexHints(List<Token> in) {
        List<Token> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            int end = out.isEmpty() || out.get(out.size() - 1).identifier() == null ? -1 : indexHintEnd(in, i);
            if (end < 0) {
                out.add(in.get(i));
                continue;
            }
            i = end;
            // hints after a comma (the next without one starts again after the table name, kept in out)
            for (int next; i + 2 < in.size() && in.get(i + 1).isSymbol(",") && (next = indexHintEnd(in, i + 2)) >= 0;) {
                i = next;
            }
        }
        return out.size() == in.size() ? in : out;
    }

    /** The position of the {@code )} ending the index hint that starts at {@code i}, or -1 when none starts there. */
    private static int indexHintEnd(List<Token> t, int i) {
        if (i + 2 >= t.size() || !(t.get(i).is("USE") || t.get(i).is("IGNORE") || t.get(i).is("FORCE"))
                || !(t.get(i + 1).is("INDEX") || t.get(i + 1).is("KEY"))) {
            return -1;
        }
        int k = i + 2;
        if (t.get(k).is("FOR")) {
            k += k + 1 < t.size() && (t.get(k + 1).is("ORDER") || t.get(k + 1).is("GROUP")) ? 3 : 2;
        }
        if (k >= t.size() || !t.get(k).isSymbol("(")) {
            return -1;
        }
        for (int j = k + 1; j < t.size(); j++) {
            if (t.get(j).isSymbol(")")) {
                return j;
            }
            if (t.get(j).identifier() == null && !t.get(j).isSymbol(",")) {
                return -1;
            }
        }
        return -1;
    }

    /** {@code CONVERT(x, type)} → {@code CAST(x AS type)}; {@code CONVERT(x USING cs)} → {@code (x)}. */
    static List<Token> rewriteConvert(List<Token> in) {
        List<Token> out = new ArrayList<>(in);
        for (int i = 0; i + 1 < out.size(); i++) {
            if (!out.get(i).is("CONVERT") || !out.get(i + 1).isSymbol("(")) {
                continue;
            }
            for (int k : topLevelTokens(out, i + 1)) {
                if (out.get(k).isSymbol(",")) {
                    out.set(i, new Token(Token.Type.WORD, "CAST", 0, 0));
                    out.set(k, new Token(Token.Type.WORD, "AS", 0, 0));
                    break;
                }
                if (out.get(k).is("USING")) {
                    out.set(i, new Token(Token.Type.SYMBOL, "", 0, 0));
                    out.remove(k + 1);
                    out.remove(k);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * {@code INTERVAL expr unit} → {@code MYSQL_INTERVAL(expr, 'UNIT')}, which {@code plan.DateArithmetic} turns with
     * its {@code +}, {@code -} or DATE_ADD into Cairn's date arithmetic. Left alone: the INTERVAL() function and a
     * window frame's {@code INTERVAL … PRECEDING/FOLLOWING}.
     */
    static List<Token> rewriteInterval(List<Token> in) {
        List<Token> out = new ArrayList<>(in);
        for (int i = 0; i + 2 < out.size(); i++) {
            if (!out.get(i).is("INTERVAL") || out.get(i + 1).isSymbol("(") && !isIntervalAmount(out, i + 1)) {
                continue;
            }
            int unit = intervalUnit(out, i + 1);
            if (unit < 0) {
                continue;
            }
            String name = out.get(unit).keyword();
            out.set(unit, new Token(Token.Type.SYMBOL, ")", 0, 0));
            out.add(unit, new Token(Token.Type.STRING, name, 0, 0));
            out.add(unit, new Token(Token.Type.SYMBOL, ",", 0, 0));
            out.set(i, new Token(Token.Type.SYMBOL, "(", 0, 0));
            out.add(i, new Token(Token.Type.WORD, INTERVAL_CALL, 0, 0));
        }
        return out;
    }

    /** Whether the parenthesis at {@code open} is an interval's amount ({@code INTERVAL (1 + 1) DAY}), not INTERVAL(). */
    private static boolean isIntervalAmount(List<Token> t, int open) {
        return topLevelTokens(t, open).stream().noneMatch(k -> t.get(k).isSymbol(","));
    }

    /** The position of the unit that ends the interval amount starting at {@code from}, or -1. */
    private static int intervalUnit(List<Token> t, int from) {
        int depth = 0;
        for (int k = from; k < t.size(); k++) {
            Token tok = t.get(k);
            if (tok.isSymbol("(")) {
                depth++;
            } else if (tok.isSymbol(")")) {
                if (--depth < 0) {
                    return -1;
                }
            } else if (depth == 0 && tok.isSymbol(",")) {
                return -1;
            } else if (depth == 0 && k > from && tok.type() == Token.Type.WORD && INTERVAL_UNITS.contains(tok.keyword())) {
                Token after = k + 1 < t.size() ? t.get(k + 1) : null;
                return after != null && (after.is("PRECEDING") || after.is("FOLLOWING")) ? -1 : k;
            }
        }
        return -1;
    }

    /**
     * MySQL's functions over a list of values, as CASE expressions (Calcite has none of them, and they take any
     * number of arguments):
     * <ul>
     *   <li>{@code ELT(n, s1, s2, …)} → {@code (CASE n WHEN 1 THEN s1 WHEN 2 THEN s2 … END)}: the n-th, or NULL;</li>
     *   <li>{@code FIELD(x, a, b, …)} → {@code (CASE WHEN x = a THEN 1 WHEN x = b THEN 2 … ELSE 0 END)}: the position
     *   of x, 0 when absent or NULL;</li>
     *   <li>{@code INTERVAL(n, n1, n2, …)} → {@code (CASE WHEN n IS NULL THEN -1 WHEN n1 > n THEN 0 WHEN n2 > n THEN 1
     *   … ELSE k END)}: how many of the (ascending) n1, n2, … are at most n, -1 for NULL.</li>
     * </ul>
     * An argument of more than one token is put in parentheses; FIELD's and INTERVAL()'s first one is written once
     * per comparison (a parameter in it is bound once per copy). A call inside another's arguments is rewritten
     * first (right to left).
     */
    static List<Token> rewriteListFunctions(List<Token> in) {
        List<Token> out = new ArrayList<>(in);
        for (int i = out.size() - 2; i >= 0; i--) {
            Token name = out.get(i);
            if (!(name.is("FIELD") || name.is("ELT") || name.is("INTERVAL")) || !out.get(i + 1).isSymbol("(")) {
                continue;
            }
            List<List<Token>> args = new ArrayList<>();
            int end = arguments(out, i + 1, args);
            if (end < 0 || args.size() < 2 || args.stream().anyMatch(List::isEmpty)) {
                continue; // not a call of the list function (INTERVAL (1 + 1) DAY), or malformed: Calcite says so
            }
            List<Token> cases = new ArrayList<>();
            add(cases, "(", "CASE");
            if (name.is("INTERVAL")) {
                cases.add(word("WHEN"));
                grouped(cases, args.get(0));
                add(cases, "IS", "NULL", "THEN", "-1");
                for (int k = 1; k < args.size(); k++) {
                    cases.add(word("WHEN"));
                    grouped(cases, args.get(k));
                    add(cases, ">");
                    grouped(cases, args.get(0));
                    add(cases, "THEN", String.valueOf(k - 1));
                }
                add(cases, "ELSE", String.valueOf(args.size() - 1));
            } else if (name.is("FIELD")) { // x = a as MySQL compares (collation, numbers): the searched form
                for (int k = 1; k < args.size(); k++) {
                    cases.add(word("WHEN"));
                    grouped(cases, args.get(0));
                    add(cases, "=");
                    grouped(cases, args.get(k));
                    add(cases, "THEN", String.valueOf(k));
                }
                add(cases, "ELSE", "0");
            } else {
                cases.addAll(args.get(0));
                for (int k = 1; k < args.size(); k++) {
                    add(cases, "WHEN", String.valueOf(k), "THEN");
                    cases.addAll(args.get(k));
                }
            }
            add(cases, "END", ")");
            out.subList(i, end + 1).clear();
            out.addAll(i, cases);
        }
        return out;
    }

    /** Splits the arguments of the parenthesis at {@code open} into {@code args}; returns its closing one, or -1. */
    private static int arguments(List<Token> t, int open, List<List<Token>> args) {
        int depth = 0;
        int start = open + 1;
        for (int k = open + 1; k < t.size(); k++) {
            Token tok = t.get(k);
            if (tok.isSymbol("(")) {
                depth++;
            } else if (tok.isSymbol(")") && depth > 0) {
                depth--;
            } else if (tok.isSymbol(")") || (depth == 0 && tok.isSymbol(","))) {
                args.add(new ArrayList<>(t.subList(start, k)));
                start = k + 1;
                if (tok.isSymbol(")")) {
                    return k;
                }
            }
        }
        return -1;
    }

    /**
     * Appends an argument, in parentheses when it is more than one token (a single literal is left bare: Calcite
     * folds {@code 'b' = ('B')} without the default collation).
     */
    private static void grouped(List<Token> out, List<Token> argument) {
        if (argument.size() == 1) {
            out.addAll(argument);
            return;
        }
        add(out, "(");
        out.addAll(argument);
        add(out, ")");
    }

    /** Appends keywords, numbers and symbols (by their text) as tokens. */
    private static void add(List<Token> out, String... texts) {
        for (String text : texts) {
            if (text.equals("(") || text.equals(")") || text.equals(">") || text.equals("=")) {
                out.add(new Token(Token.Type.SYMBOL, text, 0, 0));
            } else if (Character.isDigit(text.charAt(text.length() - 1))) {
                out.add(new Token(Token.Type.NUMBER, text, 0, 0));
            } else {
                out.add(word(text));
            }
        }
    }

    private static Token word(String text) {
        return new Token(Token.Type.WORD, text, 0, 0);
    }

    /** {@code LOCATE(s, str[, pos])} → {@code POSITION(s IN str [FROM pos])}. */
    static List<Token> rewriteLocate(List<Token> in) {
        List<Token> out = new ArrayList<>(in);
        for (int i = 0; i + 1 < out.size(); i++) {
            if (!out.get(i).is("LOCATE") || !out.get(i + 1).isSymbol("(")) {
                continue;
            }
            int commas = 0;
            for (int k : topLevelTokens(out, i + 1)) {
                if (out.get(k).isSymbol(",")) {
                    out.set(k, new Token(Token.Type.WORD, commas++ == 0 ? "IN" : "FROM", 0, 0));
                }
            }
            out.set(i, new Token(Token.Type.WORD, "POSITION", 0, 0));
        }
        return out;
    }

    /** Positions of the tokens directly inside the parenthesis at {@code open} (not in nested ones). */
    private static List<Integer> topLevelTokens(List<Token> t, int open) {
        List<Integer> out = new ArrayList<>();
        int depth = 0;
        for (int k = open; k < t.size(); k++) {
            Token tok = t.get(k);
            if (tok.isSymbol("(")) {
                depth++;
            } else if (tok.isSymbol(")")) {
                if (--depth == 0) {
                    break;
                }
            } else if (depth == 1) {
                out.add(k);
            }
        }
        return out;
    }

    private static boolean hasDiv(List<Token> tokens, int from, int to) {
        for (int i = from + 1; i < to - 1; i++) {
            if (tokens.get(i).is("DIV")) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code a DIV b} → {@code a / MYSQL_DIV_DIVISOR(b)}, which {@link io.cairn.sql.plan.MysqlOperators}
     * turns into integer division: written as {@code /}, DIV gets the precedence and left associativity
     * that MySQL gives it ({@code a * b DIV c} is {@code (a * b) DIV c}) from Calcite's parser, so only
     * the divisor needs delimiting: unary signs and one primary (a literal, a possibly qualified name, a
     * function call or a parenthesized expression), as unary operators bind tighter than DIV.
     */
    static List<Token> rewriteDiv(List<Token> in) {
        List<Token> out = new ArrayList<>(in);
        for (int i = 1; i < out.size() - 1; i++) {
            if (!out.get(i).is("DIV")) {
                continue;
            }
            int re = unaryEnd(out, i + 1);
            if (re < 0) {
                continue;
            }
            out.add(re + 1, new Token(Token.Type.SYMBOL, ")", 0, 0));
            out.set(i, new Token(Token.Type.SYMBOL, "/", 0, 0));
            out.add(i + 1, new Token(Token.Type.WORD, DIV_DIVISOR, 0, 0));
            out.add(i + 2, new Token(Token.Type.SYMBOL, "(", 0, 0));
        }
        return out;
    }

    /** The last token of the unary expression (signs, then a primary) starting at {@code start}, or -1. */
    private static int unaryEnd(List<Token> t, int start) {
        int k = start;
        while (k < t.size() && (t.get(k).isSymbol("-") || t.get(k).isSymbol("+"))) {
            k++;
        }
        if (k >= t.size()) {
            return -1;
        }
        if (t.get(k).type() == Token.Type.WORD && k + 1 < t.size() && t.get(k + 1).isSymbol("(")) {
            k++;
        }
        if (t.get(k).isSymbol("(")) {
            int depth = 0;
            for (; k < t.size(); k++) {
                if (t.get(k).isSymbol("(")) {
                    depth++;
                } else if (t.get(k).isSymbol(")") && --depth == 0) {
                    return k;
                }
            }
            return -1;
        }
        if (t.get(k).type() == Token.Type.SYMBOL) {
            return -1;
        }
        while (k + 2 < t.size() && t.get(k + 1).isSymbol(".") && t.get(k + 2).identifier() != null) {
            k += 2;
        }
        return k;
    }

    /** Whether the word at {@code i} (after AS) is the target type of a CAST / CONVERT. */
    private static boolean isCastTarget(List<Token> tokens, int i, int from) {
        int depth = 0;
        for (int k = i - 2; k >= from; k--) {
            Token t = tokens.get(k);
            if (t.isSymbol(")")) {
                depth++;
            } else if (t.isSymbol("(")) {
                if (depth == 0) {
                    return k > from && tokens.get(k - 1).is("CAST");
                }
                depth--;
            }
        }
        return false;
    }

    private static int renderCastType(StringBuilder sb, List<Token> tokens, int i, int to) {
        String kw = tokens.get(i).keyword();
        boolean nextIsInt = i + 1 < to && (tokens.get(i + 1).is("INTEGER") || tokens.get(i + 1).is("INT"));
        switch (kw) {
            case "SIGNED", "UNSIGNED" -> {
                sb.append("BIGINT");
                return nextIsInt ? i + 1 : i;
            }
            case "DATETIME" -> {
                sb.append("TIMESTAMP");
                if (i + 3 < to && tokens.get(i + 1).isSymbol("(") && tokens.get(i + 2).type() == Token.Type.NUMBER
                        && tokens.get(i + 3).isSymbol(")")) {
                    int fsp = Integer.parseInt(tokens.get(i + 2).text());
                    if (fsp > 6) {
                        throw new io.cairn.sql.SqlException(io.cairn.mysql.MysqlError.TOO_BIG_PRECISION, fsp, "CAST");
                    }
                    sb.append('(').append(fsp).append(')'); // CAST(x AS DATETIME(6)): MySQL's fsp
                    return i + 3;
                }
                return skipLength(tokens, i, to);
            }
            case "CHAR", "NCHAR" -> {
                sb.append("VARCHAR");
                return skipLength(tokens, i, to);
            }
            case "BINARY" -> {
                sb.append("VARBINARY");
                return skipLength(tokens, i, to);
            }
            case "INTEGER", "INT" -> {
                sb.append("BIGINT");
                return i;
            }
            case "DOUBLE", "REAL", "FLOAT" -> {
                sb.append("DOUBLE");
                return i;
            }
            default -> {
                sb.append(tokens.get(i).text());
                return i;
            }
        }
    }

    private static int skipLength(List<Token> tokens, int i, int to) {
        if (i + 3 < to && tokens.get(i + 1).isSymbol("(") && tokens.get(i + 3).isSymbol(")")) {
            return i + 3;
        }
        return i;
    }

    static void appendString(StringBuilder sb, String s) {
        sb.append('\'').append(s.replace("'", "''")).append('\'');
    }

    /** Appends a Java value as a SQL literal. */
    public static void appendLiteral(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("NULL");
        } else if (v instanceof Boolean b) {
            sb.append(b ? "1" : "0");
        } else if (v instanceof Number n) {
            String s = n instanceof java.math.BigDecimal d ? d.toPlainString() : n.toString();
            if (s.startsWith("-")) {
                sb.append("(").append(s).append(")");
            } else {
                sb.append(s);
            }
        } else if (v instanceof LocalDateTime t) {
            sb.append("TIMESTAMP '").append(io.cairn.sql.codec.Temporals.format(t)).append('\'');
        } else if (v instanceof LocalDate d) {
            sb.append("DATE '").append(d).append('\'');
        } else if (v instanceof LocalTime t) {
            sb.append("TIME '").append(t.withNano(0)).append('\'');
        } else {
            appendString(sb, v.toString());
        }
    }
}
