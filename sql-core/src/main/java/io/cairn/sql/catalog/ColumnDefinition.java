package io.cairn.sql.catalog;

/**
 * One column of a table.
 *
 * @param name             as declared (lookups ignore case)
 * @param type             declared type
 * @param nullable         false for NOT NULL (and primary-key columns)
 * @param defaultKind      what DEFAULT says
 * @param defaultText      the DEFAULT literal's text for {@link DefaultKind#LITERAL}, else null
 * @param autoIncrement    AUTO_INCREMENT
 * @param onUpdateCurrentTimestamp ON UPDATE CURRENT_TIMESTAMP: an UPDATE that changes the row and does not assign
 *                         the column sets it to the statement's start (DATETIME/TIMESTAMP only)
 */
public record ColumnDefinition(String name, SqlType type, boolean nullable, DefaultKind defaultKind,
                               String defaultText, boolean autoIncrement, boolean onUpdateCurrentTimestamp) {

    /** The forms of a column default. */
    public enum DefaultKind {
        /** No DEFAULT clause: a nullable column defaults to NULL, a NOT NULL one has no default (1364). */
        NONE,
        /** DEFAULT NULL. */
        NULL,
        /** DEFAULT with a constant. */
        LITERAL,
        /** DEFAULT CURRENT_TIMESTAMP / NOW(). */
        CURRENT_TIMESTAMP
    }

    public ColumnDefinition withNullable(boolean n) {
        return new ColumnDefinition(name, type, n, defaultKind, defaultText, autoIncrement, onUpdateCurrentTimestamp);
    }

    /** Whether the column has a value to use when an INSERT omits it (auto-increment counts). */
    public boolean hasDefault() {
        return autoIncrement || defaultKind != DefaultKind.NONE || nullable;
    }

    /** {@code CURRENT_TIMESTAMP} with the column's digits, as SHOW and information_schema print it. */
    public String currentTimestampText() {
        return "CURRENT_TIMESTAMP" + (type.fsp() > 0 ? "(" + type.fsp() + ")" : "");
    }

    /** The default as SHOW COLUMNS and information_schema.COLUMNS show it: the literal, CURRENT_TIMESTAMP or null. */
    public String defaultShown() {
        return defaultKind == DefaultKind.LITERAL ? defaultText
                : defaultKind == DefaultKind.CURRENT_TIMESTAMP ? currentTimestampText() : null;
    }

    /** SHOW COLUMNS' and information_schema.COLUMNS' Extra (MySQL's spelling). */
    public String extra() {
        return autoIncrement ? "auto_increment" : onUpdateCurrentTimestamp ? "on update " + currentTimestampText() : "";
    }
}
