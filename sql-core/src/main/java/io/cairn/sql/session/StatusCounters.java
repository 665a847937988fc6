package io.cairn.sql.session;

import io.cairn.sql.frontend.Token;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * MySQL's statement counters as {@code SHOW STATUS} reports them: {@code Questions} and one {@code Com_xxx} per
 * statement kind, named as MySQL names them ({@code Com_select}, {@code Com_insert}, {@code Com_set_option},
 * {@code Com_show_tables}, {@code Com_create_table}, …). The engine keeps one set for the whole compute node
 * (GLOBAL) and each session its own (SESSION). Thread-safe: sessions count into the global set concurrently.
 */
final class StatusCounters {
    /** The Com_ counters listed even at zero, as MySQL lists every one of its commands. */
    private static final java.util.Set<String> LISTED = java.util.Set.of("alter_table", "begin", "change_db", "commit", "create_db",
            "create_index", "create_table", "create_user", "create_view", "delete", "drop_db", "drop_index",
            "drop_table", "drop_user", "grant", "insert", "kill", "release_savepoint", "replace", "revoke",
            "rollback", "rollback_to_savepoint", "savepoint", "select", "set_option", "show_create_table",
            "show_databases", "show_fields", "show_grants", "show_processlist", "show_status", "show_tables",
            "show_variables", "show_warnings", "stmt_execute", "stmt_prepare", "truncate", "update", "xa_commit",
            "xa_start");

    /** What {@link StatementObserver} is told a statement of kind {@code command} is: it, if listed, else "other". */
    static String reportedKind(String command) {
        return LISTED.contains(command) ? command : "other";
    }

    private final LongAdder questions = new LongAdder();
    private final LongAdder slowQueries = new LongAdder();
    private final Map<String, LongAdder> commands = new ConcurrentHashMap<>();

    /** One statement a client sent, of kind {@code command} (a {@code Com_} suffix). */
    void statement(String command) {
        questions.increment();
        commands.computeIfAbsent(command, k -> new LongAdder()).increment();
    }

    /** A prepare or execute of a prepared statement ({@code Com_stmt_prepare}, {@code Com_stmt_execute}). */
    void preparedStatement(String command) {
        commands.computeIfAbsent(command, k -> new LongAdder()).increment();
    }

    long questions() {
        return questions.sum();
    }

    /** A statement that took longer than {@code long_query_time} ({@code Slow_queries}). */
    void slowQuery() {
        slowQueries.increment();
    }

    long slowQueries() {
        return slowQueries.sum();
    }

    /** Every Com_ counter by its full name, the listed ones at zero too. */
    Map<String, Long> commands() {
        Map<String, Long> out = new TreeMap<>();
        LISTED.forEach(name -> out.put("Com_" + name, 0L)); // a TreeMap: sorted whatever the set's order
        commands.forEach((name, n) -> out.put("Com_" + name, n.sum()));
        return out;
    }

    /** MySQL's name of the command a statement is, from its first keywords. */
    static String commandOf(List<Token> tokens) {
        String first = keyword(tokens, 0);
        String second = keyword(tokens, 1);
        return switch (first) {
            case "SELECT", "WITH", "VALUES", "TABLE", "(" -> "select";
            case "INSERT", "REPLACE", "UPDATE", "DELETE", "COMMIT", "KILL", "GRANT", "REVOKE", "DO", "TRUNCATE",
                    "SAVEPOINT" -> first.toLowerCase(Locale.ROOT);
            case "ROLLBACK" -> second.equals("TO") || keyword(tokens, 2).equals("TO") ? "rollback_to_savepoint" : "rollback";
            case "RELEASE" -> "release_savepoint";
            case "SET" -> second.equals("PASSWORD") ? "set_password" : "set_option";
            case "BEGIN", "START" -> "begin";
            case "USE" -> "change_db";
            case "SHOW" -> "show_" + showWhat(tokens);
            case "DESC", "DESCRIBE", "EXPLAIN" -> "show_fields";
            case "XA" -> "xa_" + second.toLowerCase(Locale.ROOT);
            case "CREATE", "DROP", "ALTER" -> first.toLowerCase(Locale.ROOT) + "_" + objectOf(tokens);
            default -> first.isEmpty() ? "empty_query" : first.toLowerCase(Locale.ROOT);
        };
    }

    /** TABLE, INDEX, USER, VIEW; DATABASE and SCHEMA are MySQL's "db"; UNIQUE INDEX is an index. */
    private static String objectOf(List<Token> tokens) {
        for (int i = 1; i < Math.min(tokens.size(), 4); i++) {
            String k = keyword(tokens, i);
            switch (k) {
                case "DATABASE", "SCHEMA" -> {
                    return "db";
                }
                case "TABLE", "INDEX", "USER", "VIEW", "ROLE", "INSTANCE" -> {
                    return k.toLowerCase(Locale.ROOT);
                }
                default -> {
                }
            }
        }
        return "other";
    }

    /** SHOW [FULL] [GLOBAL|SESSION] X …: create_table for SHOW CREATE TABLE, fields for COLUMNS, … */
    private static String showWhat(List<Token> tokens) {
        int i = 1;
        while (List.of("FULL", "GLOBAL", "SESSION").contains(keyword(tokens, i))) {
            i++;
        }
        String what = keyword(tokens, i);
        return switch (what) {
            case "CREATE" -> "create_" + keyword(tokens, i + 1).toLowerCase(Locale.ROOT);
            case "COLUMNS", "FIELDS" -> "fields";
            case "SCHEMAS" -> "databases";
            default -> what.toLowerCase(Locale.ROOT);
        };
    }

    private static String keyword(List<Token> tokens, int i) {
        if (i >= tokens.size()) {
            return "";
        }
        Token t = tokens.get(i);
        return t.isSymbol("(") ? "(" : t.keyword();
    }
}
