package io.cairn.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a COM_QUERY text means for the proxy: a KILL it routes itself, or a statement that changes
 * session state it must carry to another compute node (USE, session SET), or a plain read it may
 * repeat elsewhere when the compute node fails before answering. Only single statements are
 * classified; a multi-statement text is {@link Kind#OTHER}.
 *
 * @param kind     the class
 * @param name     USE: the database; KILL: the connection id
 * @param keys     SET: what it assigns, normalized (e.g. {@code autocommit}, {@code @x}, {@code names})
 * @param constant SET: every assigned value is a literal, so a later SET of the same keys replaces it
 * @param queryOnly KILL QUERY rather than KILL [CONNECTION]
 */
record SessionStatement(Kind kind, String name, List<String> keys, boolean constant, boolean queryOnly) {
    enum Kind { KILL, USE, SET, READ, OTHER }

    private static final SessionStatement OTHER = new SessionStatement(Kind.OTHER, null, List.of(), false, false);
    private static final SessionStatement READ = new SessionStatement(Kind.READ, null, List.of(), false, false);
    // Possessive quantifiers (*+, ++, ?+) throughout: these run on an event loop against texts a client
    // chooses, and backtracking ("KILL 1" and a megabyte of spaces before an 'x') held it for minutes;
    // a possessive group is also matched in a loop, not by a recursion per character.
    private static final Pattern KILL = Pattern.compile("(?is)KILL\\s++(?:(QUERY|CONNECTION)\\s++)?(\\d{1,10})\\s*+;?+\\s*+");
    private static final Pattern USE = Pattern.compile("(?is)USE\\s++(?:`((?:[^`]|``)++)`|([A-Za-z0-9_$]++))\\s*+;?+\\s*+");
    private static final Pattern LITERAL = Pattern.compile(
            "(?is)'(?:[^'\\\\]|\\\\.|'')*+'|\"(?:[^\"\\\\]|\\\\.|\"\")*+\"|[-+]?+[0-9]++(?:\\.[0-9]++)?+(?:e[-+]?+[0-9]++)?+"
                    + "|[A-Za-z_][A-Za-z0-9_-]*+");

    /** Statements that end an open transaction with a commit, explicitly or implicitly (MySQL's list, abridged). */
    private static final Set<String> COMMITTING = Set.of("COMMIT", "BEGIN", "START", "CREATE", "ALTER", "DROP",
            "TRUNCATE", "RENAME", "GRANT", "REVOKE", "LOCK", "UNLOCK");

    /**
     * Whether {@code sql}, run inside a transaction, may commit it: if its compute node dies before
     * answering, the transaction may be durable, so the client must not be told it was rolled back.
     * Errs towards "may" (several statements, SET autocommit).
     */
    static boolean mayCommit(String sql) {
        String text = Lexing.stripLeadingComments(sql);
        if (Lexing.severalStatements(text)) {
            return true;
        }
        String word = Lexing.firstWord(text).toUpperCase(Locale.ROOT);
        return COMMITTING.contains(word) || (word.equals("SET") && text.toUpperCase(Locale.ROOT).contains("AUTOCOMMIT"));
    }

    static SessionStatement classify(String sql) {
        String text = Lexing.stripLeadingComments(sql);
        if (Lexing.severalStatements(text)) {
            return OTHER;
        }
        String word = Lexing.firstWord(text).toUpperCase(Locale.ROOT);
        switch (word) {
            case "KILL" -> {
                Matcher m = KILL.matcher(text);
                return m.matches() ? new SessionStatement(Kind.KILL, m.group(2), List.of(), false,
                        "QUERY".equalsIgnoreCase(m.group(1))) : OTHER;
            }
            case "USE" -> {
                Matcher m = USE.matcher(text);
                if (!m.matches()) {
                    return OTHER;
                }
                String db = m.group(1) != null ? m.group(1).replace("``", "`") : m.group(2);
                return new SessionStatement(Kind.USE, db, List.of(), true, false);
            }
            case "SET" -> {
                return set(text.substring(3).trim());
            }
            case "SELECT", "SHOW", "DESCRIBE", "DESC", "EXPLAIN" -> {
                return READ;
            }
            default -> {
                return OTHER;
            }
        }
    }

    private static SessionStatement set(String body) {
        String upper = body.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (upper.startsWith("TRANSACTION ") || upper.startsWith("GLOBAL ") || upper.startsWith("PERSIST")
                || upper.startsWith("PASSWORD")) {
            return OTHER; // the next transaction only, or not session state
        }
        if (upper.startsWith("SESSION TRANSACTION ") || upper.startsWith("LOCAL TRANSACTION ")) {
            List<String> keys = new ArrayList<>();
            if (upper.contains("ISOLATION")) {
                keys.add("transaction isolation");
            }
            if (upper.contains("READ ONLY") || upper.contains("READ WRITE")) {
                keys.add("transaction access");
            }
            return new SessionStatement(Kind.SET, null, keys, true, false);
        }
        if (upper.startsWith("NAMES ") || upper.startsWith("CHARACTER SET ") || upper.startsWith("CHARSET ")) {
            return new SessionStatement(Kind.SET, null, List.of("names"), true, false);
        }
        List<String> keys = new ArrayList<>();
        boolean constant = true;
        for (String assignment : Lexing.splitTopLevel(body, ',')) {
            int eq = Lexing.indexOfTopLevel(assignment, '=');
            if (eq <= 0) {
                return OTHER;
            }
            String target = assignment.substring(0, assignment.charAt(eq - 1) == ':' ? eq - 1 : eq).trim()
                    .replace("`", "").toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
            if (target.startsWith("global ") || target.startsWith("@@global.") || target.startsWith("persist")) {
                return OTHER;
            }
            target = target.replaceFirst("^(session |local |@@session\\.|@@local\\.|@@)", "");
            keys.add(target);
            constant &= LITERAL.matcher(assignment.substring(eq + 1).trim()).matches();
        }
        return keys.isEmpty() ? OTHER : new SessionStatement(Kind.SET, null, List.copyOf(keys), constant, false);
    }
}
