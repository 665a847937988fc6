package io.cairn.sql.auth;

import java.util.Locale;

/**
 * Privileges of one account at one level: global ({@code *.*}: database null), database
 * ({@code db.*}: table null), table ({@code db.t}: column null) or column ({@code SELECT (c) ON db.t}).
 * Names keep the spelling of the GRANT that created the row; look-ups ignore case.
 *
 * @param mask {@link Privilege} bits, {@link Privilege#GRANT_OPTION} included
 */
public record Grant(String user, String host, String database, String table, String column, long mask) {
    public Grant {
        host = host.toLowerCase(Locale.ROOT);
    }

    /** The levels of a grant, from the widest. */
    public enum Level { GLOBAL, DATABASE, TABLE, COLUMN }

    public Level level() {
        return database == null ? Level.GLOBAL : table == null ? Level.DATABASE : column == null ? Level.TABLE : Level.COLUMN;
    }

    public Grant withMask(long m) {
        return new Grant(user, host, database, table, column, m);
    }

    /** The look-up key of the object: lower-cased names joined by NUL ("" for global). */
    public String objectKey() {
        return objectKey(database, table, column);
    }

    public static String objectKey(String database, String table, String column) {
        if (database == null) {
            return "";
        }
        StringBuilder k = new StringBuilder(database.toLowerCase(Locale.ROOT));
        if (table != null) {
            k.append('\0').append(table.toLowerCase(Locale.ROOT));
            if (column != null) {
                k.append('\0').append(column.toLowerCase(Locale.ROOT));
            }
        }
        return k.toString();
    }
}
