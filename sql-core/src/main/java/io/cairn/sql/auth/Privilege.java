package io.cairn.sql.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MySQL 8.0's privileges that Cairn stores and checks, in the order SHOW GRANTS lists them. A set of
 * privileges is a {@code long} mask of {@link #bit()}s; {@link #GRANT_OPTION} is one of them (shown as
 * {@code WITH GRANT OPTION}). The dynamic privileges come last and are listed apart, as MySQL does.
 */
public enum Privilege {
    SELECT("SELECT", Level.COLUMN),
    INSERT("INSERT", Level.COLUMN),
    UPDATE("UPDATE", Level.COLUMN),
    DELETE("DELETE", Level.TABLE),
    CREATE("CREATE", Level.TABLE),
    DROP("DROP", Level.TABLE),
    RELOAD("RELOAD", Level.GLOBAL),
    SHUTDOWN("SHUTDOWN", Level.GLOBAL),
    PROCESS("PROCESS", Level.GLOBAL),
    FILE("FILE", Level.GLOBAL),
    REFERENCES("REFERENCES", Level.COLUMN),
    INDEX("INDEX", Level.TABLE),
    ALTER("ALTER", Level.TABLE),
    SHOW_DATABASES("SHOW DATABASES", Level.GLOBAL),
    SUPER("SUPER", Level.GLOBAL),
    CREATE_TEMPORARY_TABLES("CREATE TEMPORARY TABLES", Level.DATABASE),
    LOCK_TABLES("LOCK TABLES", Level.DATABASE),
    EXECUTE("EXECUTE", Level.DATABASE),
    REPLICATION_SLAVE("REPLICATION SLAVE", Level.GLOBAL),
    REPLICATION_CLIENT("REPLICATION CLIENT", Level.GLOBAL),
    CREATE_VIEW("CREATE VIEW", Level.TABLE),
    SHOW_VIEW("SHOW VIEW", Level.TABLE),
    CREATE_ROUTINE("CREATE ROUTINE", Level.DATABASE),
    ALTER_ROUTINE("ALTER ROUTINE", Level.DATABASE),
    CREATE_USER("CREATE USER", Level.GLOBAL),
    EVENT("EVENT", Level.DATABASE),
    TRIGGER("TRIGGER", Level.TABLE),
    CREATE_TABLESPACE("CREATE TABLESPACE", Level.GLOBAL),
    CREATE_ROLE("CREATE ROLE", Level.GLOBAL),
    DROP_ROLE("DROP ROLE", Level.GLOBAL),
    GRANT_OPTION("GRANT OPTION", Level.TABLE),
    // dynamic privileges (global only)
    CONNECTION_ADMIN("CONNECTION_ADMIN", Level.DYNAMIC),
    SYSTEM_VARIABLES_ADMIN("SYSTEM_VARIABLES_ADMIN", Level.DYNAMIC);

    /** The narrowest level a privilege can be granted at: each level includes the ones above it in this list. */
    public enum Level {
        /** Global, database, table and column. */
        COLUMN,
        /** Global, database and table. */
        TABLE,
        /** Global and database. */
        DATABASE,
        /** Global only (a static privilege). */
        GLOBAL,
        /** Global only (a dynamic privilege: listed on a line of its own by SHOW GRANTS). */
        DYNAMIC
    }

    /** Every privilege that {@code ALL [PRIVILEGES]} stands for at the global level (all but GRANT OPTION). */
    public static final long ALL_GLOBAL;
    /** What {@code ALL} stands for on {@code db.*}. */
    public static final long ALL_DATABASE;
    /** What {@code ALL} stands for on {@code db.table}. */
    public static final long ALL_TABLE;
    /** The privileges that can be granted on columns. */
    public static final long COLUMN_PRIVILEGES;
    /** Everything, GRANT OPTION included: the built-in root account's privileges. */
    public static final long EVERYTHING;

    static {
        long global = 0;
        long db = 0;
        long table = 0;
        long column = 0;
        for (Privilege p : values()) {
            if (p == GRANT_OPTION) {
                continue;
            }
            global |= p.bit();
            if (p.level.compareTo(Level.DATABASE) <= 0) {
                db |= p.bit();
            }
            if (p.level.compareTo(Level.TABLE) <= 0) {
                table |= p.bit();
            }
            if (p.level == Level.COLUMN) {
                column |= p.bit();
            }
        }
        ALL_GLOBAL = global;
        ALL_DATABASE = db;
        ALL_TABLE = table;
        COLUMN_PRIVILEGES = column;
        EVERYTHING = global | GRANT_OPTION.bit();
    }

    private final String sqlName;
    private final Level level;

    Privilege(String sqlName, Level level) {
        this.sqlName = sqlName;
        this.level = level;
    }

    /** The name in GRANT and in error messages, e.g. "CREATE VIEW". */
    public String sqlName() {
        return sqlName;
    }

    public Level level() {
        return level;
    }

    public long bit() {
        return 1L << ordinal();
    }

    /** Whether {@code mask} holds this privilege. */
    public boolean in(long mask) {
        return (mask & bit()) != 0;
    }

    /** The privilege named {@code name} in a GRANT (case-insensitive; SCHEMAS for DATABASES), or null. */
    public static Privilege named(String name) {
        String n = name.toUpperCase(Locale.ROOT).replace("SHOW SCHEMAS", "SHOW DATABASES");
        for (Privilege p : values()) {
            if (p.sqlName.equals(n)) {
                return p;
            }
        }
        return null;
    }

    /** The privileges in {@code mask}, in SHOW GRANTS order. */
    public static List<Privilege> of(long mask) {
        List<Privilege> out = new ArrayList<>();
        for (Privilege p : values()) {
            if (p.in(mask)) {
                out.add(p);
            }
        }
        return out;
    }
}
