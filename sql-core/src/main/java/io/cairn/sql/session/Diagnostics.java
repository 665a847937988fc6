package io.cairn.sql.session;

import io.cairn.mysql.MysqlError;
import io.cairn.mysql.QueryResult;
import io.cairn.sql.SqlException;
import io.cairn.sql.frontend.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The session's diagnostics area, as MySQL keeps it: the warnings and notes of the running (or last)
 * statement, which SHOW WARNINGS and {@code @@warning_count} read, and what LAST_INSERT_ID(),
 * ROW_COUNT() and FOUND_ROWS() report. A failed statement's error is not kept: its ERR packet is its only
 * report ({@link Session} maps the error); SHOW ERRORS lists only the "Error" conditions of statements that
 * succeeded ({@link #error}).
 *
 * <p>Threading: the session's command task only.
 */
final class Diagnostics {
    /** Warnings kept per statement (MySQL's default max_error_count). */
    private static final int MAX_WARNINGS = 64;

    /** Level ("Warning", "Note", "Error"), code and message of each listed warning, as SHOW WARNINGS lists them. */
    private final List<Object[]> warnings = new ArrayList<>();
    private int unlistedWarnings;
    private long lastInsertId;
    private long rowCount = -1;
    private long foundRows;

    List<Object[]> warnings() {
        return warnings;
    }

    /** Adds a note (level "Note"): an error that IF [NOT] EXISTS turned into a remark. */
    void note(SqlException e) {
        warnings.add(new Object[] {"Note", (long) e.error().code(), e.getMessage()});
    }

    /**
     * Adds a warning of the running statement's execution. A conversion warning (1292) is added once
     * per statement: a conversion that a plan re-checks per row (a constant compared with every
     * row's column) warns once, not once per row as a literal reading of MySQL would (MySQL converts
     * such a constant once); others (1365 division by 0) once per occurrence, as in MySQL.
     */
    void warn(int code, String message) {
        if (code == MysqlError.TRUNCATED_WRONG_VALUE.code()) {
            for (Object[] w : warnings) {
                if (((Long) w[1]) == code && w[2].equals(message)) {
                    return;
                }
            }
        }
        addWarning(code, message);
    }

    /**
     * Adds a warning; beyond {@value #MAX_WARNINGS} (MySQL's default max_error_count) it is counted
     * in the warning count but not listed, as in MySQL.
     */
    void addWarning(int code, String message) {
        add("Warning", code, message);
    }

    /**
     * Adds a condition of level "Error" to a statement that still succeeds, as an administration statement
     * reports a table it could not handle ({@code CHECKSUM TABLE} of a missing table: 1146); SHOW ERRORS lists it.
     */
    void error(SqlException e) {
        add("Error", e.error().code(), e.getMessage());
    }

    private void add(String level, int code, String message) {
        if (warnings.size() >= MAX_WARNINGS) {
            unlistedWarnings++;
        } else {
            warnings.add(new Object[] {level, (long) code, message});
        }
    }

    /** The running (or last) statement's warning count. */
    int warningCount() {
        return warnings.size() + unlistedWarnings;
    }

    void clearWarnings() {
        warnings.clear();
        unlistedWarnings = 0;
    }

    /**
     * Whether a statement reads {@code @@warning_count} or {@code @@error_count}: like SHOW WARNINGS,
     * it keeps the previous statement's warnings (MySQL's DA_KEEP_DIAGNOSTICS).
     */
    static boolean readsDiagnostics(List<Token> tokens) {
        for (Token t : tokens) {
            if (t.type() == Token.Type.SYSTEM_VAR) {
                String n = t.text().toLowerCase(Locale.ROOT);
                if (n.endsWith("warning_count") || n.endsWith("error_count")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A statement completed with {@code result}: ROW_COUNT() and LAST_INSERT_ID() follow it, and an OK
     * answer reports every warning of the statement.
     */
    QueryResult completed(QueryResult result) {
        if (result instanceof QueryResult.Ok ok && ok.warnings() < warningCount()) {
            // the count the OK packet reports: warnings of the evaluation (SET, DO) and notes of DDL too
            result = new QueryResult.Ok(ok.affectedRows(), ok.lastInsertId(), warningCount(), ok.info());
        }
        rowCount = result instanceof QueryResult.Ok ok ? ok.affectedRows() : -1;
        if (result instanceof QueryResult.Ok ok && ok.lastInsertId() != 0) {
            lastInsertId = ok.lastInsertId();
        }
        return result;
    }

    /** A streamed query sent its last row, {@code rows} in all: it is FOUND_ROWS(); ROW_COUNT() is -1. */
    void streamCompleted(long rows) {
        foundRows = rows;
        rowCount = -1;
    }

    /** A query returned {@code rows} rows: FOUND_ROWS(). */
    void foundRows(long rows) {
        foundRows = rows;
    }

    long lastInsertId() {
        return lastInsertId;
    }

    long rowCount() {
        return rowCount;
    }

    long foundRows() {
        return foundRows;
    }
}
