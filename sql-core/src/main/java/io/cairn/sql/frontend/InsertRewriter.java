package io.cairn.sql.frontend;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns MySQL's INSERT forms into an INSERT that Calcite parses plus what it cannot express:
 * {@code REPLACE} and {@code INSERT IGNORE} become a {@link Mode}; {@code ON DUPLICATE KEY UPDATE a = …}
 * is cut off into {@link Insert#onDuplicateKeyUpdate()} (an assignment list, with {@code VALUES(col)}
 * rewritten to {@code col}'s {@link #NEW_PREFIX}ed name); {@code INSERT … SET a = 1, b = 2} becomes
 * {@code (a, b) VALUES (1, 2)}; priority modifiers are dropped and {@code VALUE} is read as VALUES.
 * Stateless and thread-safe.
 */
public final class InsertRewriter {
    /** Prefix of the proposed-row columns in ON DUPLICATE KEY UPDATE expressions. */
    public static final String NEW_PREFIX = "__cairn_new_";

    /** How conflicts with existing keys are handled. */
    public enum Mode {
        /** Error 1062. */
        INSERT,
        /** Skip the row (a warning). */
        IGNORE,
        /** Delete the conflicting rows, then insert. */
        REPLACE,
        /** Update the conflicting row with the assignments. */
        UPSERT
    }

    /**
     * @param mode                 conflict handling
     * @param calciteText          the INSERT as Calcite text; null when {@code values} has it
     * @param onDuplicateKeyUpdate the assignments as Calcite text ({@code a = expr, …}) for {@link Mode#UPSERT}
     * @param values               the INSERT read without Calcite when it only has literal rows, else null
     */
    public record Insert(Mode mode, String calciteText, String onDuplicateKeyUpdate, InsertValues values) {
    }

    private InsertRewriter() {
    }

    public static Insert rewrite(List<Token> tokens, int end, SessionContext session) {
        List<Token> out = new ArrayList<>();
        Mode mode = tokens.get(0).is("REPLACE") ? Mode.REPLACE : Mode.INSERT;
        out.add(new Token(Token.Type.WORD, "INSERT", 0, 0));
        int i = 1;
        while (i < end && (tokens.get(i).is("LOW_PRIORITY") || tokens.get(i).is("DELAYED")
                || tokens.get(i).is("HIGH_PRIORITY") || tokens.get(i).is("IGNORE"))) {
            if (tokens.get(i).is("IGNORE") && mode == Mode.INSERT) {
                mode = Mode.IGNORE;
            }
            i++;
        }
        if (i < end && !tokens.get(i).is("INTO")) {
            out.add(new Token(Token.Type.WORD, "INTO", 0, 0));
        }
        int odku = -1;
        int depth = 0;
        for (int k = i; k < end; k++) {
            Token t = tokens.get(k);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && t.is("ON") && k + 3 < end && tokens.get(k + 1).is("DUPLICATE")
                    && tokens.get(k + 2).is("KEY") && tokens.get(k + 3).is("UPDATE")) {
                odku = k;
                break;
            }
        }
        int bodyEnd = odku < 0 ? end : odku;
        // INSERT INTO t SET a = 1, b = 2
        int setAt = -1;
        for (int k = i; k < bodyEnd; k++) {
            if (tokens.get(k).is("SET")) {
                setAt = k;
                break;
            }
            if (tokens.get(k).isSymbol("(") || tokens.get(k).is("VALUES") || tokens.get(k).is("SELECT")) {
                break;
            }
        }
        if (setAt >= 0) {
            for (int k = i; k < setAt; k++) {
                out.add(tokens.get(k));
            }
            List<List<Token>> assignments = split(tokens, setAt + 1, bodyEnd);
            List<Token> cols = new ArrayList<>();
            List<Token> vals = new ArrayList<>();
            for (List<Token> a : assignments) {
                if (a.size() < 3 || !a.get(1).isSymbol("=")) {
                    throw Lexer.syntax("", 0);
                }
                if (!cols.isEmpty()) {
                    cols.add(new Token(Token.Type.SYMBOL, ",", 0, 0));
                    vals.add(new Token(Token.Type.SYMBOL, ",", 0, 0));
                }
                cols.add(a.get(0));
                vals.addAll(a.subList(2, a.size()));
            }
            out.add(new Token(Token.Type.SYMBOL, "(", 0, 0));
            out.addAll(cols);
            out.add(new Token(Token.Type.SYMBOL, ")", 0, 0));
            out.add(new Token(Token.Type.WORD, "VALUES", 0, 0));
            out.add(new Token(Token.Type.SYMBOL, "(", 0, 0));
            out.addAll(vals);
            out.add(new Token(Token.Type.SYMBOL, ")", 0, 0));
        } else {
            for (int k = i; k < bodyEnd; k++) {
                Token t = tokens.get(k);
                out.add(t.is("VALUE") ? new Token(Token.Type.WORD, "VALUES", t.start(), t.end()) : t);
            }
        }
        InsertValues values = InsertValues.parse(out);
        String text = values == null ? CalciteText.render(out, 0, out.size(), session) : null;
        if (odku < 0) {
            return new Insert(mode, text, null, values);
        }
        List<Token> assignments = new ArrayList<>();
        for (int k = odku + 4; k < end; k++) {
            Token t = tokens.get(k);
            if (t.is("VALUES") && k + 3 < end && tokens.get(k + 1).isSymbol("(") && tokens.get(k + 3).isSymbol(")")
                    && tokens.get(k + 2).identifier() != null) {
                assignments.add(new Token(Token.Type.QUOTED_ID, NEW_PREFIX + tokens.get(k + 2).identifier(), 0, 0));
                k += 3;
                continue;
            }
            assignments.add(t);
        }
        return new Insert(Mode.UPSERT, text, CalciteText.render(assignments, 0, assignments.size(), session), values);
    }

    /** Splits tokens [from, to) at top-level commas. */
    static List<List<Token>> split(List<Token> tokens, int from, int to) {
        List<List<Token>> out = new ArrayList<>();
        List<Token> cur = new ArrayList<>();
        int depth = 0;
        for (int k = from; k < to; k++) {
            Token t = tokens.get(k);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            }
            if (depth == 0 && t.isSymbol(",")) {
                out.add(cur);
                cur = new ArrayList<>();
            } else {
                cur.add(t);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }
}
