package io.cairn.proxy;

import io.cairn.mysql.AuthPlugin;
import io.cairn.mysql.Authenticator;
import io.cairn.mysql.ColumnDef;
import io.cairn.mysql.ColumnType;
import io.cairn.mysql.Credential;
import io.cairn.mysql.MysqlError;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.Parameter;
import io.cairn.mysql.QueryResult;
import io.cairn.mysql.SessionHandler;
import io.cairn.mysql.SessionHandlerFactory;
import io.cairn.mysql.SessionInfo;
import io.cairn.mysql.StatementMetadata;
import io.cairn.mysql.server.MysqlServer;
import io.cairn.mysql.server.MysqlServerConfig;
import io.cairn.mysql.testing.AbstractFakeSession;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real MySQL server (mysql-wire) with a tiny session engine, standing for a compute node in proxy
 * tests: it knows user variables ({@code SET @x = literal}, {@code SELECT @x}), the database, autocommit
 * and transactions, {@code SELECT CN} (its name), {@code SELECT CONNECTION_ID()}, {@code SLEEP} and
 * {@code COMMIT SLEEP} (until
 * KILL QUERY), {@code INSERT …}, and prepared {@code SELECT ? …} that echo their parameters.
 */
final class TestComputeNode implements Authenticator, SessionHandlerFactory, AutoCloseable {
    static final String PASSWORD = "pa55-word";

    final String name;
    final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    private volatile boolean dying;
    private final Map<String, Credential> users = Map.of(
            "root", Credential.forPassword(AuthPlugin.CACHING_SHA2_PASSWORD, ""),
            "alice", Credential.forPassword(AuthPlugin.CACHING_SHA2_PASSWORD, PASSWORD),
            "bob", Credential.forPassword(AuthPlugin.MYSQL_NATIVE_PASSWORD, PASSWORD));
    private final MysqlServer server;

    TestComputeNode(String name, byte[] secret) throws InterruptedException {
        this(name, secret, b -> { });
    }

    /** @param settings changes to the defaults (4 handler threads) */
    TestComputeNode(String name, byte[] secret, java.util.function.Consumer<MysqlServerConfig.Builder> settings)
            throws InterruptedException {
        this.name = name;
        MysqlServerConfig.Builder b = MysqlServerConfig.builder().port(0).handlerThreads(4).proxySecret(secret)
                .localName("test-cn-" + name + "-" + System.nanoTime());
        settings.accept(b);
        this.server = new MysqlServer(b.build(), this, this).start();
    }

    /** Whether a session is inside SLEEP now. */
    boolean sleeping() {
        return sessions.values().stream().anyMatch(Session::sleeping);
    }

    /** Ends every SLEEP now, as KILL QUERY would. */
    void cancelSleeps() {
        sessions.values().forEach(Session::endSleeps);
    }

    String endpoint() {
        return "127.0.0.1:" + server.port();
    }

    MysqlServer server() {
        return server;
    }

    @Override
    public Optional<Credential> lookup(String user, SocketAddress remoteAddress) {
        return Optional.ofNullable(users.get(user));
    }

    @Override
    public SessionHandler open(SessionInfo info) throws MysqlException {
        if (info.database() != null && info.database().startsWith("nosuch")) {
            throw MysqlException.of(MysqlError.BAD_DB, info.database());
        }
        Session s = new Session(info);
        sessions.put(info.connectionId(), s);
        return s;
    }

    /** Stops the CN as if it died: a statement it interrupts on the way does not answer any more. */
    @Override
    public void close() {
        dying = true;
        server.close();
    }

    final class Session extends AbstractFakeSession {
        final Map<String, Object> variables = new HashMap<>();

        Session(SessionInfo info) {
            super(info);
        }

        @Override
        public QueryResult query(String sql) throws MysqlException {
            try {
                return run(sql);
            } catch (NumberFormatException | IndexOutOfBoundsException e) { // SET @x = <no literal>, KILL <no number>, …
                throw MysqlException.of(MysqlError.PARSE, sql.length() > 80 ? sql.substring(0, 80) : sql, 1);
            }
        }

        private QueryResult run(String sql) throws MysqlException {
            String s = withoutDriverComment(sql);
            String u = s.toUpperCase(Locale.ROOT);
            if (u.startsWith("SET AUTOCOMMIT")) {
                boolean on = u.endsWith("1") || u.endsWith("ON");
                if (on) {
                    inTransaction = false;
                }
                autocommit = on;
                return QueryResult.ok();
            }
            if (u.startsWith("SET @")) {
                int eq = s.indexOf('=');
                String value = s.substring(eq + 1).trim();
                variables.put(s.substring(4, eq).trim().toLowerCase(Locale.ROOT),
                        value.startsWith("'") ? value.substring(1, value.length() - 1) : Long.valueOf(value));
                return QueryResult.ok();
            }
            QueryResult answered = sessionStatement(s, u);
            if (answered != null) {
                return answered;
            }
            if (u.startsWith("INSERT")) {
                inTransaction |= !autocommit;
                return QueryResult.ok(1, 0);
            }
            if (u.equals("SLEEP")) {
                return sleepUntilCancelled();
            }
            if (u.equals("COMMIT SLEEP")) { // a commit that does not answer until its CN dies (or KILL QUERY)
                return sleepUntilCancelled();
            }
            if (u.startsWith("KILL QUERY ")) {
                server.kill(Long.parseLong(u.substring(11).trim()), true);
                return QueryResult.ok();
            }
            if (u.startsWith("KILL ")) {
                server.kill(Long.parseLong(u.substring(5).trim()), false);
                return QueryResult.ok();
            }
            if (u.startsWith("SELECT @@") || u.startsWith("SELECT  @@")) {
                return systemVariables(s.substring(6).trim(), Session::systemVariable); // drivers' start-up queries
            }
            if (u.startsWith("SELECT @")) {
                Object v = variables.get(s.substring(7).trim().toLowerCase(Locale.ROOT));
                return row("v", v instanceof Long ? ColumnType.LONGLONG : ColumnType.VAR_STRING, v);
            }
            if (u.equals("SELECT CN")) {
                return row("cn", ColumnType.VAR_STRING, name);
            }
            if (u.equals("SELECT DATABASE()")) {
                return row("db", ColumnType.VAR_STRING, database);
            }
            if (u.equals("SELECT CONNECTION_ID()")) {
                return row("id", ColumnType.LONGLONG, info().connectionId());
            }
            if (u.equals("SELECT 1")) {
                return row("1", ColumnType.LONGLONG, 1L);
            }
            if (u.startsWith("SELECT ROWS ")) { // SELECT ROWS n SIZE m: n rows (i, 'x' * (m + i))
                String[] words = u.split("\\s+");
                int count = Integer.parseInt(words[2]);
                int size = Integer.parseInt(words[4]);
                List<Object[]> rows = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    rows.add(new Object[] {(long) i, "x".repeat(size + i)});
                }
                return QueryResult.rows(List.of(ColumnDef.of("i", ColumnType.LONGLONG),
                        ColumnDef.of("s", ColumnType.VAR_STRING)), rows);
            }
            throw MysqlException.of(MysqlError.PARSE, s, 1);
        }

        @Override
        protected void sleepCancelled() throws InterruptedException {
            if (dying) {
                Thread.sleep(2000); // answers only once its connection is gone: never, that is
            }
        }

        private static Object systemVariable(String variable) {
            return switch (variable) {
                case "auto_increment_increment", "lower_case_table_names" -> variable.startsWith("auto") ? 1L : 0L;
                case "max_allowed_packet" -> 64L * 1024 * 1024;
                case "wait_timeout", "interactive_timeout", "net_write_timeout" -> 28800L;
                case "transaction_isolation", "tx_isolation" -> "REPEATABLE-READ";
                case "sql_mode", "init_connect", "license" -> "";
                case "system_time_zone", "time_zone" -> "UTC";
                case "performance_schema", "transaction_read_only", "tx_read_only" -> 0L;
                default -> variable.startsWith("collation") ? "utf8mb4_0900_ai_ci" : "utf8mb4";
            };
        }

        private QueryResult row(String label, ColumnType type, Object value) {
            List<Object[]> rows = new ArrayList<>();
            rows.add(new Object[] {value});
            return QueryResult.rows(List.of(ColumnDef.of(label, type)), rows);
        }

        @Override
        public StatementMetadata prepare(int statementId, String sql) throws MysqlException {
            int params = (int) sql.chars().filter(c -> c == '?').count();
            prepared.put(statementId, sql);
            boolean select = sql.trim().toUpperCase(Locale.ROOT).startsWith("SELECT");
            boolean rows = sql.trim().toUpperCase(Locale.ROOT).startsWith("SELECT ROWS ");
            List<ColumnDef> columns = new ArrayList<>();
            for (int i = 0; i < (rows ? 2 : select ? Math.max(params, 1) : 0); i++) {
                columns.add(ColumnDef.of("c" + i, ColumnType.VAR_STRING));
            }
            return StatementMetadata.of(params, columns);
        }

        @Override
        public QueryResult execute(int statementId, List<Parameter> parameters) throws MysqlException {
            String sql = prepared.get(statementId);
            if (sql == null) {
                throw MysqlException.of(MysqlError.UNKNOWN_STMT_HANDLER, statementId, "execute");
            }
            if (parameters.isEmpty()) {
                return query(sql);
            }
            if (sql.trim().toUpperCase(Locale.ROOT).startsWith("INSERT")) {
                return query(sql);
            }
            List<ColumnDef> columns = new ArrayList<>();
            Object[] row = new Object[parameters.size()];
            for (int i = 0; i < row.length; i++) {
                columns.add(ColumnDef.of("c" + i, ColumnType.VAR_STRING));
                Object v = parameters.get(i).value();
                row[i] = v == null ? null : v instanceof byte[] b ? new String(b) : v.toString();
            }
            List<Object[]> rows = new ArrayList<>();
            rows.add(row);
            return QueryResult.rows(columns, rows);
        }

        @Override
        public void closeStatement(int statementId) {
            prepared.remove(statementId);
        }

        @Override
        public void initDb(String db) throws MysqlException {
            if (db.startsWith("nosuch")) {
                throw MysqlException.of(MysqlError.BAD_DB, db);
            }
            database = db;
        }

        @Override
        public void close() {
            sessions.remove(info().connectionId());
        }
    }
}
