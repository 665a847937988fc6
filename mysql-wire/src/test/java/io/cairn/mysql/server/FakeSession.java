package io.cairn.mysql.server;

import io.cairn.mysql.Charsets;
import io.cairn.mysql.ColumnDef;
import io.cairn.mysql.ColumnFlags;
import io.cairn.mysql.ColumnType;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.Parameter;
import io.cairn.mysql.QueryResult;
import io.cairn.mysql.SessionInfo;
import io.cairn.mysql.StatementMetadata;
import io.cairn.mysql.testing.AbstractFakeSession;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Test fixture: a session serving a tiny in-memory table "types" (one column per type family), the
 * session variables drivers ask for, transaction statements, and a few statements that raise errors or
 * echo their parameters. Not an SQL engine: statements are matched by their text.
 */
final class FakeSession extends AbstractFakeSession {
    static final Set<String> DATABASES = Set.of("test", "other");

    static final List<ColumnDef> TYPES_COLUMNS = List.of(
            ColumnDef.of("id", ColumnType.LONGLONG)
                    .withFlags(ColumnFlags.NOT_NULL | ColumnFlags.PRI_KEY | ColumnFlags.AUTO_INCREMENT)
                    .inTable("test", "types"),
            ColumnDef.of("u", ColumnType.LONGLONG).withFlags(ColumnFlags.UNSIGNED).inTable("test", "types"),
            ColumnDef.of("i", ColumnType.LONG).inTable("test", "types"),
            ColumnDef.of("s", ColumnType.SHORT).inTable("test", "types"),
            ColumnDef.of("t", ColumnType.TINY).inTable("test", "types"),
            ColumnDef.of("dec", ColumnType.NEWDECIMAL).withLength(22).withDecimals(4).inTable("test", "types"),
            ColumnDef.of("dbl", ColumnType.DOUBLE).inTable("test", "types"),
            ColumnDef.of("f", ColumnType.FLOAT).inTable("test", "types"),
            ColumnDef.of("vc", ColumnType.VAR_STRING).inTable("test", "types"),
            ColumnDef.of("bl", ColumnType.BLOB).inTable("test", "types"),
            ColumnDef.of("d", ColumnType.DATE).inTable("test", "types"),
            ColumnDef.of("dt", ColumnType.DATETIME).withLength(26).withDecimals(6).inTable("test", "types"),
            ColumnDef.of("tm", ColumnType.TIME).inTable("test", "types"));

    static final List<Object[]> TYPES_ROWS = List.of(
            new Object[] {1L, new BigInteger("18446744073709551615"), Integer.MIN_VALUE, (short) -32768,
                    (byte) -128, new BigDecimal("12345678901234.5678"), Math.PI, 1.5f, "héllo wörld ✓ 日本",
                    new byte[] {0, 1, 2, (byte) 0xff}, LocalDate.of(2024, 2, 29),
                    LocalDateTime.of(2024, 2, 29, 23, 59, 58, 123_456_000), Duration.ofSeconds(12 * 3600 + 34 * 60 + 56)},
            new Object[] {2L, null, null, null, null, null, null, null, null, null, null, null, null},
            new Object[] {3L, 0L, Integer.MAX_VALUE, (short) 32767, (byte) 127, new BigDecimal("-0.0001"), -1e300,
                    -0.25f, "", new byte[0], LocalDate.of(1970, 1, 1), LocalDateTime.of(1970, 1, 1, 0, 0),
                    Duration.ZERO});

    private static final Map<String, Object> VARIABLES = new HashMap<>();

    static {
        VARIABLES.put("auto_increment_increment", 1L);
        VARIABLES.put("character_set_client", "utf8mb4");
        VARIABLES.put("character_set_connection", "utf8mb4");
        VARIABLES.put("character_set_results", "utf8mb4");
        VARIABLES.put("character_set_server", "utf8mb4");
        VARIABLES.put("collation_server", "utf8mb4_0900_ai_ci");
        VARIABLES.put("collation_connection", "utf8mb4_0900_ai_ci");
        VARIABLES.put("init_connect", "");
        VARIABLES.put("interactive_timeout", 28800L);
        VARIABLES.put("license", "GPL");
        VARIABLES.put("lower_case_table_names", 0L);
        VARIABLES.put("max_allowed_packet", 1L << 30); // let drivers send oversized packets; the server decides
        VARIABLES.put("net_write_timeout", 60L);
        VARIABLES.put("performance_schema", 0L);
        VARIABLES.put("sql_mode", "STRICT_TRANS_TABLES");
        VARIABLES.put("system_time_zone", "UTC");
        VARIABLES.put("time_zone", "SYSTEM");
        VARIABLES.put("transaction_isolation", "REPEATABLE-READ");
        VARIABLES.put("transaction_read_only", 0L);
        VARIABLES.put("wait_timeout", 28800L);
        VARIABLES.put("version_comment", "Cairn test fixture");
    }

    private final FakeEngine engine;
    private long lastInsertId;

    FakeSession(SessionInfo info, FakeEngine engine) {
        super(info);
        this.engine = engine;
    }

    private static final List<ColumnDef> STREAM_COLUMNS = List.of(ColumnDef.of("i", ColumnType.LONGLONG),
            ColumnDef.of("s", ColumnType.VAR_STRING));

    private QueryResult streamed(long count, long failAt) {
        String filler = "r".repeat(100);
        return new QueryResult.Streamed(STREAM_COLUMNS, new io.cairn.mysql.RowStream() {
            private long next;
            private boolean closed;

            @Override
            public Object[] next() throws MysqlException {
                if (next == failAt) {
                    throw MysqlException.of(MysqlError.QUERY_INTERRUPTED);
                }
                if (next == count) {
                    return null;
                }
                engine.streamedRows.incrementAndGet();
                return new Object[] {next++, filler};
            }

            @Override
            public int finish() {
                return 0;
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    engine.closedStreams.incrementAndGet();
                }
            }
        });
    }

    @Override
    public QueryResult query(String sql) throws MysqlException {
        engine.queries.add(sql);
        String s = withoutDriverComment(sql);
        String u = s.toUpperCase(Locale.ROOT);
        if (u.isEmpty()) {
            throw MysqlException.of(MysqlError.EMPTY_QUERY);
        }
        if (u.matches("(?s)SELECT\\s+@@.*")) {
            return systemVariables(s.substring("SELECT".length()).trim(), VARIABLES::get);
        }
        if (u.startsWith("SET AUTOCOMMIT")) {
            boolean on = u.endsWith("1") || u.endsWith("ON");
            if (on && !autocommit) {
                inTransaction = false; // implicit commit
            }
            autocommit = on;
            return QueryResult.ok();
        }
        QueryResult answered = sessionStatement(s, u);
        if (answered != null) {
            return answered;
        }
        if (u.startsWith("INSERT")) {
            return insert();
        }
        if (u.startsWith("SELECT ECHO '") && u.endsWith("'")) {
            return QueryResult.rows(List.of(ColumnDef.of("p1", ColumnType.VAR_STRING)),
                    List.<Object[]>of(new Object[] {s.substring(13, s.length() - 1)}));
        }
        if (u.startsWith("SELECT * FROM TYPES WHERE ID = ")) {
            long id = Long.parseLong(u.substring("SELECT * FROM TYPES WHERE ID = ".length()).trim());
            return QueryResult.rows(TYPES_COLUMNS, TYPES_ROWS.stream().filter(r -> (Long) r[0] == id).toList());
        }
        if (u.startsWith("SELECT STREAM ")) { // SELECT STREAM n [FAIL k]: n rows (i, 100 x 'r') streamed, ERR 1317 at row k
            String[] w = u.split("\\s+");
            return streamed(Long.parseLong(w[2]), w.length > 4 ? Long.parseLong(w[4]) : -1);
        }
        if (u.equals("SELECT * FROM TYPES")) {
            return QueryResult.rows(TYPES_COLUMNS, TYPES_ROWS);
        }
        if (u.equals("SELECT 1")) {
            return QueryResult.rows(List.of(ColumnDef.of("1", ColumnType.LONGLONG)), List.<Object[]>of(new Object[] {1L}));
        }
        if (u.equals("SELECT CONNECTION_ID()")) {
            return QueryResult.rows(List.of(ColumnDef.of("CONNECTION_ID()", ColumnType.LONGLONG)),
                    List.<Object[]>of(new Object[] {info().connectionId()}));
        }
        if (u.equals("SELECT DATABASE()")) {
            return QueryResult.rows(List.of(ColumnDef.of("DATABASE()", ColumnType.VAR_STRING)),
                    List.<Object[]>of(new Object[] {database}));
        }
        if (u.startsWith("SELECT BIG ")) {
            int n = Integer.parseInt(u.substring("SELECT BIG ".length()));
            List<Object[]> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                rows.add(new Object[] {(long) i, "row number " + i + " padded to make the result set larger"});
            }
            return QueryResult.rows(List.of(ColumnDef.of("n", ColumnType.LONGLONG), ColumnDef.of("s", ColumnType.VAR_STRING)), rows);
        }
        if (u.equals("SELECT MULTI")) {
            return new QueryResult.Multi(List.of(
                    QueryResult.rows(List.of(ColumnDef.of("a", ColumnType.LONGLONG)), List.<Object[]>of(new Object[] {1L})),
                    QueryResult.ok(7, 0)));
        }
        if (u.startsWith("SHOW WARNINGS")) {
            return QueryResult.rows(List.of(ColumnDef.of("Level", ColumnType.VAR_STRING),
                    ColumnDef.of("Code", ColumnType.LONG), ColumnDef.of("Message", ColumnType.VAR_STRING)), List.of());
        }
        if (u.contains("FROM NOSUCH")) {
            throw MysqlException.of(MysqlError.NO_SUCH_TABLE, "test", "nosuch");
        }
        if (u.equals("DUP")) {
            throw MysqlException.of(MysqlError.DUP_ENTRY, "1", "PRIMARY");
        }
        if (u.equals("DEADLOCK")) {
            throw MysqlException.of(MysqlError.LOCK_DEADLOCK);
        }
        if (u.equals("TIMEOUT")) {
            throw MysqlException.of(MysqlError.QUERY_TIMEOUT);
        }
        if (u.equals("BOOM")) {
            throw new IllegalStateException("fixture bug on purpose");
        }
        if (u.equals("BOOM ERROR")) {
            throw new ExceptionInInitializerError("an Error on purpose");
        }
        if (u.equals("SLEEP")) {
            return sleepUntilCancelled();
        }
        if (u.startsWith("KILL QUERY ")) {
            return kill(u.substring("KILL QUERY ".length()), true);
        }
        if (u.startsWith("KILL ")) {
            return kill(u.substring("KILL ".length()).replaceFirst("^CONNECTION ", ""), false);
        }
        throw MysqlException.of(MysqlError.PARSE, s, 1);
    }

    private QueryResult kill(String id, boolean queryOnly) throws MysqlException {
        if (!id.trim().matches("[0-9]{1,18}")) {
            throw MysqlException.of(MysqlError.PARSE, "KILL " + id, 1);
        }
        if (!engine.server().kill(Long.parseLong(id.trim()), queryOnly)) {
            throw MysqlException.of(MysqlError.UNKNOWN_THREAD, id.trim());
        }
        return QueryResult.ok();
    }

    @Override
    protected void sleepStarted() {
        engine.sleeping.countDown(); // KillIT waits for this before it kills the SLEEP
    }

    private QueryResult insert() {
        if (!autocommit) {
            inTransaction = true;
        }
        lastInsertId = engine.autoIncrement.incrementAndGet();
        return QueryResult.ok(1, lastInsertId);
    }

    @Override
    public StatementMetadata prepare(int statementId, String sql) throws MysqlException {
        String u = sql.trim().toUpperCase(Locale.ROOT);
        if (u.contains("NOSUCH")) {
            throw MysqlException.of(MysqlError.NO_SUCH_TABLE, "test", "nosuch");
        }
        int params = (int) sql.chars().filter(c -> c == '?').count();
        prepared.put(statementId, sql);
        List<ColumnDef> columns = u.startsWith("SELECT * FROM TYPES") ? TYPES_COLUMNS
                : u.startsWith("SELECT STREAM ") ? STREAM_COLUMNS : List.of();
        return StatementMetadata.of(params, columns);
    }

    @Override
    public QueryResult execute(int statementId, List<Parameter> parameters) throws MysqlException {
        String sql = prepared.get(statementId);
        if (sql == null) {
            throw new IllegalStateException("wire layer passed an unknown statement id");
        }
        engine.executed.add(parameters);
        String u = sql.trim().toUpperCase(Locale.ROOT);
        if (u.startsWith("SELECT ECHO")) {
            return echo(parameters);
        }
        if (u.startsWith("SELECT * FROM TYPES WHERE ID = ?")) {
            long id = ((Number) parameters.get(0).value()).longValue();
            List<Object[]> rows = TYPES_ROWS.stream().filter(r -> (Long) r[0] == id).toList();
            return QueryResult.rows(TYPES_COLUMNS, rows);
        }
        return query(sql.contains("?") ? sql.substring(0, sql.indexOf('?')) + "0" : sql);
    }

    /** One row with each parameter as a column typed after the parameter's wire type. */
    private static QueryResult echo(List<Parameter> parameters) {
        List<ColumnDef> columns = new ArrayList<>();
        Object[] row = new Object[parameters.size()];
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            ColumnType type = switch (p.type()) {
                case STRING, VARCHAR -> ColumnType.VAR_STRING;
                case TIMESTAMP -> ColumnType.DATETIME;
                case DECIMAL -> ColumnType.NEWDECIMAL;
                case INT24 -> ColumnType.LONG;
                case TINY_BLOB, MEDIUM_BLOB, LONG_BLOB -> ColumnType.BLOB;
                default -> p.type();
            };
            ColumnDef c = ColumnDef.of("p" + (i + 1), type);
            if (p.unsigned() || p.value() instanceof BigInteger) {
                c = c.withFlags(ColumnFlags.UNSIGNED);
            }
            if (type == ColumnType.DATETIME || type == ColumnType.TIME) {
                c = c.withDecimals(6);
            }
            if (type == ColumnType.NEWDECIMAL) {
                c = c.withDecimals(p.value() == null ? 0 : ((BigDecimal) p.value()).scale());
            }
            if (type == ColumnType.NULL) {
                c = c.withCharset(Charsets.BINARY);
            }
            columns.add(c);
            row[i] = p.raw() != null ? p.raw() : p.value(); // raw: binary data bound as a string type
        }
        if (columns.isEmpty()) {
            return QueryResult.ok();
        }
        return QueryResult.rows(columns, List.<Object[]>of(row));
    }

    @Override
    public void initDb(String db) throws MysqlException {
        if (!DATABASES.contains(db)) {
            throw MysqlException.of(MysqlError.BAD_DB, db);
        }
        database = db;
    }

    @Override
    public List<ColumnDef> fieldList(String table, String wildcard) throws MysqlException {
        if (!table.equalsIgnoreCase("types")) {
            throw MysqlException.of(MysqlError.NO_SUCH_TABLE, "test", table);
        }
        return TYPES_COLUMNS;
    }

    @Override
    public void resetSession() {
        prepared.clear();
        inTransaction = false;
        autocommit = true;
    }

    @Override
    public void close() {
        engine.sessionClosed();
    }
}
