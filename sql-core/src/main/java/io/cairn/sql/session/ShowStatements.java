package io.cairn.sql.session;

import io.cairn.mysql.ClientTraffic;
import io.cairn.mysql.ColumnDef;
import io.cairn.mysql.ColumnType;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.QueryResult;
import io.cairn.sql.SqlException;
import io.cairn.sql.auth.AccessChecks;
import io.cairn.sql.auth.Account;
import io.cairn.sql.auth.AccountPrivileges;
import io.cairn.sql.auth.Accounts;
import io.cairn.sql.auth.Privilege;
import io.cairn.sql.auth.ShowGrants;
import io.cairn.sql.catalog.Catalog;
import io.cairn.sql.catalog.ColumnDefinition;
import io.cairn.sql.catalog.IndexDefinition;
import io.cairn.sql.catalog.TableDefinition;
import io.cairn.sql.frontend.DdlParser;
import io.cairn.sql.frontend.Token;
import io.cairn.sql.frontend.TokenCursor;
import io.cairn.sql.plan.InformationSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The SHOW statements (and DESCRIBE) answered from the catalog and the session, with the result
 * columns MySQL 8.0 uses, which connectors rely on (Connector/J reads SHOW FULL TABLES, SHOW KEYS,
 * SHOW FULL COLUMNS for DatabaseMetaData). They show what the user may see, as MySQL does: databases,
 * tables and columns on which the user holds some privilege (1044/1142 for one named without any),
 * SHOW CREATE VIEW with SHOW VIEW and SELECT, other users' sessions in SHOW PROCESSLIST with PROCESS.
 * One use per statement.
 */
final class ShowStatements {
    private final Session session;
    private AccountPrivileges privileges;

    ShowStatements(Session session) {
        this.session = session;
    }

    QueryResult describe(TokenCursor c) {
        c.next();
        Token t = c.peek();
        if (t != null && (t.is("SELECT") || t.is("FORMAT") || t.is("ANALYZE") || t.is("UPDATE")
                || t.is("DELETE") || t.is("INSERT"))) {
            throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "EXPLAIN");
        }
        String[] name = c.qualifiedName();
        return columns(name[0], name[1], false, null);
    }

    QueryResult show(TokenCursor c) {
        c.expect("SHOW");
        boolean full = c.accept("FULL");
        boolean global = c.accept("GLOBAL");
        c.accept("SESSION");
        Token t = c.next();
        switch (t.keyword()) {
            case "DATABASES", "SCHEMAS" -> {
                return filtered(List.of(col("Database")), databases(), c, 0);
            }
            case "TABLES" -> {
                String db = fromDb(c);
                return tables(db, full, c);
            }
            case "COLUMNS", "FIELDS" -> {
                c.next(); // FROM | IN
                String[] name = c.qualifiedName();
                String db = fromDb(c);
                return columns(db != null ? db : name[0], name[1], full, like(c));
            }
            case "INDEX", "INDEXES", "KEYS" -> {
                c.next();
                String[] name = c.qualifiedName();
                String db = fromDb(c);
                return indexes(db != null ? db : name[0], name[1]);
            }
            case "CREATE" -> {
                if (c.accept("DATABASE") || c.accept("SCHEMA")) {
                    c.acceptAll("IF", "NOT", "EXISTS");
                    String db = c.identifier();
                    requireDatabase(db);
                    String actual = catalog().database(db);
                    if (actual == null) {
                        throw new SqlException(MysqlError.BAD_DB, db);
                    }
                    return rows(List.of(col("Database"), col("Create Database")), List.<Object[]>of(new Object[] {actual,
                            "CREATE DATABASE `" + actual + "` /*!40100 DEFAULT CHARACTER SET utf8mb4 */"}));
                }
                boolean view = c.accept("VIEW");
                if (!view) {
                    c.expect("TABLE");
                }
                String[] name = c.qualifiedName();
                return createTable(name[0], name[1]);
            }
            case "VARIABLES" -> {
                List<Object[]> rows = new ArrayList<>();
                for (Map.Entry<String, Object> e : session.variables().all().entrySet()) {
                    Object v = session.systemVariable(e.getKey());
                    rows.add(new Object[] {e.getKey(), v == null ? "" : String.valueOf(v)});
                }
                return filtered(List.of(col("Variable_name"), col("Value")), rows, c, 0);
            }
            case "STATUS" -> {
                return filtered(List.of(col("Variable_name"), col("Value")), status(global), c, 0);
            }
            case "WARNINGS", "ERRORS" -> {
                // a failed statement's error is not kept (its ERR packet is its only report): SHOW ERRORS lists
                // only the "Error" conditions of statements that succeeded (CHECKSUM TABLE's 1146)
                List<Object[]> rows = new ArrayList<>();
                for (Object[] w : session.diagnostics().warnings()) {
                    if (t.is("WARNINGS") || "Error".equals(w[0])) {
                        rows.add(w);
                    }
                }
                return rows(List.of(col("Level"), ColumnDef.of("Code", ColumnType.LONG), col("Message")), rows);
            }
            case "COUNT" -> {
                // SHOW COUNT(*) WARNINGS | ERRORS
                c.expectSymbol("(");
                c.expectSymbol("*");
                c.expectSymbol(")");
                boolean errors = c.accept("ERRORS");
                if (!errors) {
                    c.expect("WARNINGS");
                }
                Object n = session.systemVariable(errors ? "error_count" : "warning_count");
                return rows(List.of(ColumnDef.of(errors ? "@@session.error_count" : "@@session.warning_count",
                        ColumnType.LONGLONG)), List.<Object[]>of(new Object[] {errors ? 0L : n}));
            }
            case "PROCESSLIST" -> {
                List<Object[]> rows = new ArrayList<>();
                long now = System.nanoTime();
                boolean all = privileges().hasGlobal(Privilege.PROCESS);
                for (Session s : session.engine().sessions().values()) {
                    if (!all && !s.user().equals(session.user())) {
                        continue; // without PROCESS, a user sees only its own sessions
                    }
                    Session.Running r = s.running();
                    rows.add(new Object[] {s.connectionId(), s.user(), s.clientHost(), s.database(),
                            r == null ? "Sleep" : "Query", r == null ? 0L : (now - r.startNanos()) / 1_000_000_000L,
                            r == null ? "" : s.stage() != null ? s.stage() : "executing", r == null ? null : r.sql()});
                }
                return rows(List.of(ColumnDef.of("Id", ColumnType.LONGLONG), col("User"), col("Host"), col("db"),
                        col("Command"), ColumnDef.of("Time", ColumnType.LONG), col("State"), col("Info")), rows);
            }
            case "ENGINES" -> {
                return rows(List.of(col("Engine"), col("Support"), col("Comment"), col("Transactions"), col("XA"),
                        col("Savepoints")), List.<Object[]>of(new Object[] {"InnoDB", "DEFAULT",
                        "Cairn distributed MVCC storage", "YES", "NO", "NO"}));
            }
            case "COLLATION" -> {
                return filtered(List.of(col("Collation"), col("Charset"), ColumnDef.of("Id", ColumnType.LONGLONG),
                        col("Default"), col("Compiled"), ColumnDef.of("Sortlen", ColumnType.LONG), col("Pad_attribute")),
                        List.of(new Object[] {"utf8mb4_0900_ai_ci", "utf8mb4", 255L, "Yes", "Yes", 0L, "NO PAD"},
                                new Object[] {"utf8mb4_general_ci", "utf8mb4", 45L, "", "Yes", 1L, "PAD SPACE"},
                                new Object[] {"utf8mb4_bin", "utf8mb4", 46L, "", "Yes", 1L, "PAD SPACE"},
                                new Object[] {"utf8mb3_general_ci", "utf8mb3", 33L, "Yes", "Yes", 1L, "PAD SPACE"},
                                new Object[] {"binary", "binary", 63L, "Yes", "Yes", 1L, "NO PAD"}), c, 0);
            }
            case "CHARACTER", "CHARSET" -> {
                if (t.is("CHARACTER")) {
                    c.expect("SET");
                }
                return filtered(List.of(col("Charset"), col("Description"), col("Default collation"),
                        ColumnDef.of("Maxlen", ColumnType.LONG)),
                        List.of(new Object[] {"utf8mb4", "UTF-8 Unicode", "utf8mb4_0900_ai_ci", 4L},
                                new Object[] {"utf8mb3", "UTF-8 Unicode", "utf8mb3_general_ci", 3L},
                                new Object[] {"binary", "Binary pseudo charset", "binary", 1L}), c, 0);
            }
            case "TABLE" -> {
                c.expect("STATUS");
                String db = fromDb(c);
                String d = db != null ? db : session.database();
                if (d == null) {
                    throw new SqlException(MysqlError.NO_DB);
                }
                requireDatabase(d);
                List<Object[]> rows = new ArrayList<>();
                for (TableDefinition td : catalog().tables(d)) {
                    if (!privileges().seesTable(d, td.name())) {
                        continue;
                    }
                    rows.add(new Object[] {td.name(), td.isView() ? null : "InnoDB", 10L, "Dynamic", 0L,
                            td.isView() ? null : "utf8mb4_0900_ai_ci", td.isView() ? "VIEW" : ""});
                }
                return filtered(List.of(col("Name"), col("Engine"), ColumnDef.of("Version", ColumnType.LONGLONG),
                        col("Row_format"), ColumnDef.of("Rows", ColumnType.LONGLONG), col("Collation"), col("Comment")),
                        rows, c, 0);
            }
            case "GRANTS" -> {
                return grants(c);
            }
            case "PLUGINS", "TRIGGERS", "EVENTS", "PROCEDURE", "FUNCTION", "MASTER", "BINARY", "SLAVE", "REPLICA",
                    "OPEN", "PRIVILEGES", "PROFILES" -> {
                while (!c.atEnd()) {
                    c.next();
                }
                return rows(List.of(col("Name")), List.of());
            }
            default -> throw c.error();
        }
    }

    private Catalog catalog() {
        return session.catalogNow();
    }

    private AccountPrivileges privileges() {
        if (privileges == null) {
            privileges = session.privilegesNow();
        }
        return privileges;
    }

    /** 1044 unless the user holds some privilege on (or inside) database {@code db}. */
    private void requireDatabase(String db) {
        if (!db.equalsIgnoreCase(InformationSchema.NAME) && !privileges().seesDatabase(db)) {
            throw new SqlException(MysqlError.DB_ACCESS_DENIED, session.user(), session.account().host(), db);
        }
    }

    /**
     * SHOW GRANTS [FOR user[@host] | CURRENT_USER[()]]: the session's own account, or any account for a
     * user with global SELECT (MySQL asks for SELECT on the mysql schema, which Cairn does not have).
     */
    private QueryResult grants(TokenCursor c) {
        Account target = session.account();
        if (c.accept("FOR")) {
            if (c.accept("CURRENT_USER")) {
                if (c.acceptSymbol("(")) {
                    c.expectSymbol(")");
                }
            } else {
                String[] name = DdlParser.account(c);
                Accounts all = session.engine().users().current();
                boolean own = name[0].equals(target.user()) && name[1].equalsIgnoreCase(target.host());
                if (!own && !privileges().hasGlobal(Privilege.SELECT)) {
                    throw new SqlException(MysqlError.DB_ACCESS_DENIED, session.user(), session.account().host(), "mysql");
                }
                target = all.account(name[0], name[1]);
                if (target == null) {
                    throw new SqlException(MysqlError.NONEXISTING_GRANT, name[0], name[1]);
                }
            }
        }
        c.expectEnd();
        Accounts all = session.engine().users().current();
        List<Object[]> rows = new ArrayList<>();
        for (String line : ShowGrants.lines(target, all.grants(target.user(), target.host()))) {
            rows.add(new Object[] {line});
        }
        return rows(List.of(col("Grants for " + target.user() + "@" + target.host())), rows);
    }

    private List<Object[]> databases() {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {InformationSchema.NAME});
        for (String db : catalog().databases()) {
            if (privileges().seesDatabase(db)) {
                rows.add(new Object[] {db});
            }
        }
        rows.sort((a, b) -> ((String) a[0]).compareToIgnoreCase((String) b[0]));
        return rows;
    }

    private String fromDb(TokenCursor c) {
        if (c.accept("FROM") || c.accept("IN")) {
            return c.identifier();
        }
        return null;
    }

    private QueryResult tables(String db, boolean full, TokenCursor c) {
        String d = db != null ? db : session.database();
        if (d == null) {
            throw new SqlException(MysqlError.NO_DB);
        }
        requireDatabase(d);
        Catalog cat = catalog();
        String actual = cat.database(d);
        if (actual == null) {
            throw new SqlException(MysqlError.BAD_DB, d);
        }
        List<Object[]> rows = new ArrayList<>();
        for (TableDefinition t : cat.tables(actual)) {
            if (!privileges().seesTable(actual, t.name())) {
                continue;
            }
            rows.add(full ? new Object[] {t.name(), t.isView() ? "VIEW" : "BASE TABLE"} : new Object[] {t.name()});
        }
        List<ColumnDef> cols = new ArrayList<>();
        cols.add(col("Tables_in_" + actual));
        if (full) {
            cols.add(col("Table_type"));
        }
        return filtered(cols, rows, c, 0);
    }

    private TableDefinition table(String db, String name) {
        String d = db != null ? db : session.database();
        if (d == null) {
            throw new SqlException(MysqlError.NO_DB);
        }
        if (!privileges().seesTable(d, name)) {
            throw AccessChecks.tableDenied(Privilege.SELECT, session.user(), session.clientHost(), name);
        }
        TableDefinition t = catalog().table(d, name);
        if (t == null) {
            throw new SqlException(MysqlError.NO_SUCH_TABLE, d, name);
        }
        return t;
    }

    private QueryResult columns(String db, String name, boolean full, Pattern like) {
        TableDefinition t = table(db, name);
        List<Object[]> rows = new ArrayList<>();
        AccountPrivileges p = privileges();
        for (ColumnDefinition c : t.columns()) {
            if ((like != null && !like.matcher(c.name()).matches()) || !p.seesColumn(t.database(), t.name(), c.name())) {
                continue;
            }
            String key = key(t, c.name());
            String def = c.defaultShown();
            String extra = c.extra();
            if (full) {
                rows.add(new Object[] {c.name(), c.type().ddl(), c.type().base().isString() ? "utf8mb4_0900_ai_ci" : null,
                        c.nullable() ? "YES" : "NO", key, def, extra, columnPrivileges(p.column(t.database(), t.name(), c.name())), ""});
            } else {
                rows.add(new Object[] {c.name(), c.type().ddl(), c.nullable() ? "YES" : "NO", key, def, extra});
            }
        }
        List<ColumnDef> cols = full
                ? List.of(col("Field"), col("Type"), col("Collation"), col("Null"), col("Key"), col("Default"), col("Extra"),
                        col("Privileges"), col("Comment"))
                : List.of(col("Field"), col("Type"), col("Null"), col("Key"), col("Default"), col("Extra"));
        return rows(cols, rows);
    }

    /** The Privileges column of SHOW FULL COLUMNS: the column privileges the user holds, lower-cased. */
    private static String columnPrivileges(long mask) {
        List<String> out = new ArrayList<>();
        for (Privilege p : List.of(Privilege.SELECT, Privilege.INSERT, Privilege.UPDATE, Privilege.REFERENCES)) {
            if (p.in(mask)) {
                out.add(p.sqlName().toLowerCase(Locale.ROOT));
            }
        }
        return String.join(",", out);
    }

    private static String key(TableDefinition t, String column) {
        if (t.primaryKey().stream().anyMatch(p -> p.equalsIgnoreCase(column))) {
            return "PRI";
        }
        for (IndexDefinition ix : t.readableIndexes()) {
            if (ix.columns().get(0).equalsIgnoreCase(column)) {
                return ix.unique() && ix.columns().size() == 1 ? "UNI" : "MUL";
            }
        }
        return "";
    }

    private QueryResult indexes(String db, String name) {
        TableDefinition t = table(db, name);
        List<Object[]> rows = new ArrayList<>();
        long seq = 1;
        for (String p : t.primaryKey()) {
            rows.add(new Object[] {t.name(), 0L, "PRIMARY", seq++, p, "A", 0L, null, null, "", "BTREE", "", "", "YES", null});
        }
        for (IndexDefinition ix : t.readableIndexes()) {
            seq = 1;
            for (int i = 0; i < ix.columns().size(); i++) {
                String col = ix.columns().get(i);
                boolean nullable = t.columns().get(t.columnIndex(col)).nullable();
                rows.add(new Object[] {t.name(), ix.unique() ? 0L : 1L, ix.name(), seq++, col,
                        ix.descending().get(i) ? "D" : "A", 0L, null, null, nullable ? "YES" : "", "BTREE", "", "", "YES", null});
            }
        }
        return rows(List.of(col("Table"), ColumnDef.of("Non_unique", ColumnType.LONG), col("Key_name"),
                ColumnDef.of("Seq_in_index", ColumnType.LONG), col("Column_name"), col("Collation"),
                ColumnDef.of("Cardinality", ColumnType.LONGLONG), ColumnDef.of("Sub_part", ColumnType.LONGLONG),
                col("Packed"), col("Null"), col("Index_type"), col("Comment"), col("Index_comment"), col("Visible"),
                col("Expression")), rows);
    }

    private QueryResult createTable(String db, String name) {
        TableDefinition t = table(db, name);
        if (t.isView()) {
            // SHOW CREATE VIEW: SHOW VIEW and SELECT on the view, as in MySQL
            for (Privilege needed : List.of(Privilege.SHOW_VIEW, Privilege.SELECT)) {
                AccessChecks.require(privileges(), t.database(), t.name(), needed, List.of(), false, session.user(),
                        session.clientHost());
            }
            return rows(List.of(col("View"), col("Create View"), col("character_set_client"), col("collation_connection")),
                    List.<Object[]>of(new Object[] {t.name(), "CREATE " + viewOptions(t) + "VIEW `" + t.name() + "` AS " + t.viewSql(),
                            "utf8mb4", "utf8mb4_0900_ai_ci"}));
        }
        StringBuilder sb = new StringBuilder("CREATE TABLE `").append(t.name()).append("` (\n");
        List<String> parts = new ArrayList<>();
        for (ColumnDefinition c : t.columns()) {
            StringBuilder p = new StringBuilder("  `").append(c.name()).append("` ").append(c.type().ddl());
            if (!c.nullable()) {
                p.append(" NOT NULL");
            }
            if (c.autoIncrement()) {
                p.append(" AUTO_INCREMENT");
            } else if (c.defaultKind() == ColumnDefinition.DefaultKind.LITERAL) {
                p.append(" DEFAULT '").append(c.defaultText().replace("'", "''")).append('\'');
            } else if (c.defaultKind() == ColumnDefinition.DefaultKind.CURRENT_TIMESTAMP) {
                p.append(" DEFAULT ").append(c.currentTimestampText());
            } else if (c.nullable()) {
                p.append(" DEFAULT NULL");
            }
            if (c.onUpdateCurrentTimestamp()) {
                p.append(" ON UPDATE ").append(c.currentTimestampText());
            }
            parts.add(p.toString());
        }
        if (!t.primaryKey().isEmpty()) {
            parts.add("  PRIMARY KEY (" + quoteAll(t.primaryKey(), null) + ")");
        }
        for (IndexDefinition ix : t.readableIndexes()) {
            parts.add("  " + (ix.unique() ? "UNIQUE KEY `" : "KEY `") + ix.name() + "` ("
                    + quoteAll(ix.columns(), ix.descending()) + ")");
        }
        sb.append(String.join(",\n", parts)).append("\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci");
        return rows(List.of(col("Table"), col("Create Table")), List.<Object[]>of(new Object[] {t.name(), sb.toString()}));
    }

    /** MySQL's {@code ALGORITHM=UNDEFINED DEFINER=`u`@`h` SQL SECURITY …} of SHOW CREATE VIEW ("" for a view without a definer). */
    private static String viewOptions(TableDefinition view) {
        TableDefinition.ViewSecurity sec = view.security();
        if (sec == null) {
            return "";
        }
        return "ALGORITHM=UNDEFINED DEFINER=`" + sec.definerUser().replace("`", "``") + "`@`" + sec.definerHost().replace("`", "``")
                + "` SQL SECURITY " + (sec.invoker() ? "INVOKER " : "DEFINER ");
    }

    private static String quoteAll(List<String> names, List<Boolean> desc) {
        List<String> q = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            q.add("`" + names.get(i) + "`" + (desc != null && desc.get(i) ? " DESC" : ""));
        }
        return String.join(",", q);
    }

    /** Applies a trailing {@code LIKE 'pattern'} or {@code WHERE …} (string literals as names) to column {@code col}. */
    /**
     * The counters of {@code SHOW [GLOBAL|SESSION] STATUS}, sorted by name as MySQL sorts them: Com_xxx and
     * Questions of the session, or with GLOBAL of this compute node; Bytes_received/Bytes_sent of the session's
     * connection, or with GLOBAL of the MySQL server it came through since that started; the others are the
     * compute node's either way.
     */
    private List<Object[]> status(boolean global) {
        SqlEngine engine = session.engine();
        StatusCounters counters = global ? engine.status() : session.status();
        Map<String, Object> values = new TreeMap<>(counters.commands());
        values.put("Connections", engine.connections());
        values.put("Max_used_connections", engine.maxUsedConnections());
        values.put("Questions", counters.questions());
        ClientTraffic traffic = global ? session.environment().traffic().server() : session.environment().traffic();
        values.put("Bytes_received", traffic.received());
        values.put("Bytes_sent", traffic.sent());
        values.put("Slow_queries", counters.slowQueries());
        values.put("Queries", engine.status().questions());
        values.put("Threads_connected", engine.sessions().size());
        values.put("Uptime", engine.uptimeSeconds());
        values.put("Uptime_since_flush_status", engine.uptimeSeconds());
        List<Object[]> rows = new ArrayList<>();
        values.forEach((name, value) -> rows.add(new Object[] {name, String.valueOf(value)}));
        return rows;
    }

    private QueryResult filtered(List<ColumnDef> cols, List<Object[]> rows, TokenCursor c, int col) {
        Pattern like = like(c);
        Set<String> names = null;
        if (like == null && c.accept("WHERE")) {
            names = new HashSet<>();
            while (!c.atEnd()) {
                Token t = c.next();
                if (t.type() == Token.Type.STRING) {
                    names.add(t.text().toLowerCase(Locale.ROOT));
                }
            }
        }
        c.expectEnd();
        List<Object[]> out = new ArrayList<>();
        for (Object[] r : rows) {
            String v = String.valueOf(r[col]);
            if ((like == null || like.matcher(v).matches()) && (names == null || names.contains(v.toLowerCase(Locale.ROOT)))) {
                out.add(r);
            }
        }
        return rows(cols, out);
    }

    private static Pattern like(TokenCursor c) {
        if (!c.accept("LIKE")) {
            return null;
        }
        String p = c.next().text();
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char ch = p.charAt(i);
            if (ch == '\\' && i + 1 < p.length()) {
                re.append(Pattern.quote(String.valueOf(p.charAt(++i))));
            } else if (ch == '%') {
                re.append(".*");
            } else if (ch == '_') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }

    private static ColumnDef col(String name) {
        return ColumnDef.of(name, ColumnType.VAR_STRING);
    }

    private QueryResult rows(List<ColumnDef> cols, List<Object[]> rows) {
        return new QueryResult.Rows(cols, rows, 0);
    }
}
