package io.cairn.sql.catalog;

/**
 * One column of a table.
 *
 * @param name          as declared (lookups ignore case)
 * @param type          declared type
 * @param nullable      false for NOT NULL (and primary-key columns)
 * @param defaultKind   what DEFAULT says
 * @param defaultText   the DEFAULT literal's text for {@link DefaultKind#LITERAL}, else null
 * @param autoIncrement AUTO_INCREMENT
 */
public record ColumnDefinition(String name, SqlType type, boolean nullable, DefaultKind defaultKind,
                               String defaultText, boolean autoIncrement) {

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
        return new ColumnDefinition(name, type, n, defaultKind, defaultText, autoIncrement);
    }

    /** Whether the column has a value to use when an INSERT omits it (auto-increment counts). */
    public boolean hasDefault() {
        return autoIncrement || defaultKind != DefaultKind.NONE || nullable;
    }
}
