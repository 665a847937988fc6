package io.cairn.sql.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MySQL's privilege model over Connector/J: a table of bypass attempts, each expected to be refused
 * with MySQL's error code, next to the allowed statements that must succeed (so that a check that
 * refuses everything fails too), then the cases that change grants as they go.
 *
 * <p>The fixture: database {@code app} (tables {@code pub}, {@code t}, {@code t2}; views over the
 * secret table with root's rights, with the invoker's rights, and one nobody was granted), database
 * {@code secret} (table {@code s}). {@code bob} holds table privileges on {@code app.pub}, column
 * privileges on {@code app.t}, SELECT on both views over the secret table and CREATE, CREATE VIEW on {@code bobdb};
 * {@code carol} holds SELECT on {@code app.*} WITH GRANT OPTION; {@code dave} holds nothing;
 * {@code ops} holds PROCESS and CONNECTION_ADMIN.
 */
class PrivilegesIT {
    private static final String ROOT_PASSWORD = "s3cret";
    private static SqlCluster cluster;
    private static final Map<String, Connection> connections = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = SqlCluster.builder().cns(1).rootPassword(ROOT_PASSWORD).build();
        try (Statement s = root().createStatement()) {
            for (String sql : List.of(
                    "CREATE DATABASE app", "CREATE DATABASE secret", "CREATE DATABASE bobdb",
                    "CREATE TABLE secret.s (id INT PRIMARY KEY, v VARCHAR(20))",
                    "INSERT INTO secret.s VALUES (1, 'hidden'), (2, 'also hidden')",
                    "CREATE TABLE app.pub (id INT PRIMARY KEY, x INT)",
                    "INSERT INTO app.pub VALUES (1, 10), (2, 20)",
                    "CREATE TABLE app.t (id INT PRIMARY KEY, a INT, b VARCHAR(20), secret VARCHAR(20))",
                    "INSERT INTO app.t VALUES (1, 1, 'b1', 'x1'), (2, 2, 'b2', 'x2')",
                    "CREATE TABLE app.t2 (id INT PRIMARY KEY, y INT)",
                    "CREATE VIEW app.v_secret AS SELECT id, v FROM secret.s",
                    "CREATE SQL SECURITY INVOKER VIEW app.v_invoker AS SELECT id, v FROM secret.s",
                    "CREATE VIEW app.v_nogrant AS SELECT id, x FROM app.pub",
                    "CREATE USER bob IDENTIFIED BY 'bob-pw'",
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON app.pub TO bob",
                    "GRANT SELECT (id, a), INSERT (id, a), UPDATE (a) ON app.t TO bob",
                    "GRANT SELECT ON app.v_secret TO bob", "GRANT SELECT ON app.v_invoker TO bob",
                    "GRANT CREATE, CREATE VIEW ON bobdb.* TO bob",
                    "CREATE USER carol IDENTIFIED BY 'carol-pw'",
                    "GRANT SELECT ON app.* TO carol WITH GRANT OPTION",
                    "CREATE USER dave IDENTIFIED WITH mysql_native_password BY 'dave-pw'",
                    "CREATE USER ops IDENTIFIED BY 'ops-pw'",
                    "GRANT PROCESS, CONNECTION_ADMIN ON *.* TO ops")) {
                s.execute(sql);
            }
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        for (Connection c : connections.values()) {
            c.close();
        }
        cluster.close();
    }

    private static Connection root() throws SQLException {
        return connection("root", "");
    }

    /** A connection kept for the whole class: {@code user}, with {@code options} ("app" selects that database, "ps" server-side prepared statements). */
    private static Connection connection(String user, String options) throws SQLException {
        String key = user + "/" + options;
        Connection c = connections.get(key);
        if (c == null) {
            String url = cluster.mysqlUrl(0, options.contains("app") ? "app" : "")
                    + (options.contains("ps") ? "&useServerPrepStmts=true&cachePrepStmts=false" : "");
            c = DriverManager.getConnection(url, user, user.equals("root") ? ROOT_PASSWORD : user + "-pw");
            connections.put(key, c);
        }
        return c;
    }

    /**
     * One statement by one user and what must come of it.
     *
     * @param user  "bob", "bob@app" (current database app), "bob@ps" (server-side prepared, parameter 1 = 1)
     * @param error the MySQL error code expected, or 0 for success
     * @param rows  for a query that must succeed: the row count it must return, or -1 for any
     */
    record Attempt(String name, String user, String sql, int error, int rows) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Attempt refused(String name, String user, String sql, int error) {
        return new Attempt(name, user, sql, error, -1);
    }

    private static Attempt allowed(String name, String user, String sql) {
        return new Attempt(name, user, sql, 0, -1);
    }

    private static Attempt rows(String name, String user, String sql, int rows) {
        return new Attempt(name, user, sql, 0, rows);
    }

    static Stream<Attempt> attempts() {
        List<Attempt> a = new ArrayList<>();
        // qualified names, with and without a current database
        a.add(refused("qualified name, no current database", "bob", "SELECT v FROM secret.s", 1142));
        a.add(refused("qualified name from another database", "bob@app", "SELECT * FROM secret.s", 1142));
        a.add(refused("USE of a database without privileges", "bob", "USE secret", 1044));
        a.add(refused("missing table in a hidden database looks the same", "bob", "SELECT * FROM secret.nosuch", 1142));
        a.add(refused("unknown column of a hidden table looks the same", "bob", "SELECT nosuch FROM secret.s", 1142));
        a.add(refused("SELECT … FOR UPDATE", "bob", "SELECT v FROM secret.s WHERE id = 1 FOR UPDATE", 1142));
        // joins, subqueries, derived tables, set operations
        a.add(refused("join", "bob", "SELECT p.x, s.v FROM app.pub p JOIN secret.s s ON p.id = s.id", 1142));
        a.add(refused("comma join", "bob", "SELECT p.x FROM app.pub p, secret.s s", 1142));
        a.add(refused("join USING", "bob", "SELECT p.x FROM app.pub p LEFT JOIN secret.s USING (id)", 1142));
        a.add(refused("IN subquery in WHERE", "bob", "SELECT x FROM app.pub WHERE id IN (SELECT id FROM secret.s)", 1142));
        a.add(refused("scalar subquery in the select list", "bob", "SELECT (SELECT v FROM secret.s WHERE id = 1) FROM app.pub", 1142));
        a.add(refused("EXISTS", "bob", "SELECT EXISTS (SELECT 1 FROM secret.s)", 1142));
        a.add(refused("derived table", "bob", "SELECT * FROM (SELECT v FROM secret.s) d", 1142));
        a.add(refused("common table expression", "bob", "WITH c AS (SELECT v FROM secret.s) SELECT * FROM c", 1142));
        a.add(refused("UNION", "bob", "SELECT id, x FROM app.pub UNION SELECT id, 0 FROM secret.s", 1142));
        a.add(refused("NATURAL JOIN", "bob", "SELECT * FROM app.pub NATURAL JOIN secret.s", 1142));
        a.add(refused("LATERAL derived table", "bob",
                "SELECT p.x FROM app.pub p, LATERAL (SELECT v FROM secret.s WHERE s.id = p.id) d", 1142));
        a.add(refused("TABLE statement", "bob", "TABLE secret.s", 1142));
        a.add(refused("subquery next to a granted view", "bob",
                "SELECT v FROM app.v_secret WHERE v IN (SELECT v FROM secret.s)", 1142));
        a.add(refused("subquery in SET", "bob", "SET @x = (SELECT v FROM secret.s WHERE id = 1)", 1142));
        a.add(refused("subquery in DO", "bob", "DO (SELECT COUNT(*) FROM secret.s)", 1142));
        // CHECKSUM TABLE reads every row: SELECT on the whole table, as MariaDB asks, before anything is read
        a.add(refused("CHECKSUM TABLE", "bob", "CHECKSUM TABLE secret.s", 1142));
        a.add(refused("CHECKSUM TABLE next to a granted table", "bob@app", "CHECKSUM TABLE pub, secret.s", 1142));
        a.add(refused("CHECKSUM TABLE of a missing table in a hidden database looks the same", "bob",
                "CHECKSUM TABLE secret.nosuch", 1142));
        a.add(refused("CHECKSUM TABLE with SELECT on some columns only", "bob", "CHECKSUM TABLE app.t", 1142));
        a.add(rows("CHECKSUM TABLE with SELECT", "bob", "CHECKSUM TABLE app.pub", 1));
        // writes
        a.add(refused("INSERT … SELECT source", "bob", "INSERT INTO app.pub SELECT id + 10, 1 FROM secret.s", 1142));
        a.add(refused("subquery in INSERT … VALUES", "bob",
                "INSERT INTO app.pub (id, x) VALUES (50, (SELECT COUNT(*) FROM secret.s))", 1142));
        a.add(refused("CREATE TABLE … LIKE a hidden table", "bob", "CREATE TABLE bobdb.copy LIKE secret.s", 1142));
        a.add(refused("UPDATE with a subquery", "bob", "UPDATE app.pub SET x = (SELECT COUNT(*) FROM secret.s) WHERE id = 1", 1142));
        a.add(refused("DELETE with a subquery", "bob", "DELETE FROM app.pub WHERE id IN (SELECT id FROM secret.s)", 1142));
        a.add(refused("UPDATE of a hidden table", "bob", "UPDATE secret.s SET v = 'x'", 1142));
        a.add(refused("DELETE from a hidden table", "bob", "DELETE FROM secret.s", 1142));
        a.add(refused("INSERT into a hidden table", "bob", "INSERT INTO secret.s VALUES (9, 'x')", 1142));
        a.add(refused("REPLACE into a hidden table", "bob", "REPLACE INTO secret.s VALUES (9, 'x')", 1142));
        a.add(refused("REPLACE needs DELETE", "bob", "REPLACE INTO app.t (id, a) VALUES (1, 5)", 1142));
        a.add(refused("ON DUPLICATE KEY UPDATE with a subquery", "bob",
                "INSERT INTO app.pub VALUES (1, 1) ON DUPLICATE KEY UPDATE x = (SELECT COUNT(*) FROM secret.s)", 1142));
        a.add(refused("ON DUPLICATE KEY UPDATE of a column without UPDATE", "bob",
                "INSERT INTO app.t (id, a) VALUES (1, 1) ON DUPLICATE KEY UPDATE b = 'x'", 1143));
        a.add(refused("ON DUPLICATE KEY UPDATE reading a column without SELECT", "bob",
                "INSERT INTO app.t (id, a) VALUES (1, 1) ON DUPLICATE KEY UPDATE a = LENGTH(secret)", 1143));
        // column privileges
        a.add(refused("column without SELECT", "bob", "SELECT secret FROM app.t", 1143));
        a.add(refused("SELECT * with column privileges", "bob", "SELECT * FROM app.t", 1143));
        a.add(refused("column in WHERE", "bob", "SELECT id FROM app.t WHERE secret = 'x1'", 1143));
        a.add(refused("column in ORDER BY", "bob", "SELECT id FROM app.t ORDER BY b", 1143));
        a.add(refused("column in GROUP BY", "bob", "SELECT COUNT(*) FROM app.t GROUP BY b", 1143));
        a.add(refused("column in a join condition", "bob", "SELECT p.x FROM app.pub p JOIN app.t t ON t.b = 'b1'", 1143));
        a.add(refused("column in a derived table", "bob", "SELECT id FROM (SELECT id, secret FROM app.t) d", 1143));
        a.add(refused("column in a correlated subquery", "bob",
                "SELECT p.x FROM app.pub p WHERE EXISTS (SELECT 1 FROM app.t t WHERE t.id = p.id AND t.secret = 'x1')", 1143));
        a.add(refused("column in a window", "bob", "SELECT id, SUM(a) OVER (PARTITION BY secret) FROM app.t", 1143));
        a.add(refused("column in HAVING", "bob", "SELECT a FROM app.t GROUP BY a HAVING MAX(secret) > ''", 1143));
        a.add(refused("UPDATE of a column without UPDATE", "bob", "UPDATE app.t SET b = 'x' WHERE id = 1", 1143));
        a.add(refused("UPDATE reading a column without SELECT", "bob", "UPDATE app.t SET a = 1 WHERE secret = 'x1'", 1143));
        a.add(refused("INSERT into a column without INSERT", "bob", "INSERT INTO app.t (id, b) VALUES (7, 'x')", 1143));
        // views: SELECT on the view, and the view's query with its definer's rights
        a.add(refused("view nobody granted", "bob", "SELECT * FROM app.v_nogrant", 1142));
        a.add(refused("view with the invoker's rights", "bob", "SELECT * FROM app.v_invoker", 1142));
        a.add(refused("view created over a table its creator may not read", "bob",
                "CREATE VIEW bobdb.bobs_view AS SELECT v FROM secret.s", 1142));
        a.add(refused("SHOW CREATE VIEW without SHOW VIEW", "bob", "SHOW CREATE VIEW app.v_secret", 1142));
        // information_schema and SHOW
        a.add(rows("information_schema.TABLES hides tables", "bob",
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'secret'", 0));
        a.add(rows("information_schema.COLUMNS hides a hidden table's columns", "bob",
                "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'secret'", 0));
        a.add(rows("information_schema.SCHEMATA hides databases", "bob",
                "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'secret'", 0));
        a.add(rows("information_schema.COLUMNS hides columns", "bob",
                "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'app' AND TABLE_NAME = 't'", 2));
        a.add(rows("information_schema.VIEWS hides the definition without SHOW VIEW", "bob",
                "SELECT 1 FROM information_schema.VIEWS WHERE TABLE_NAME = 'v_secret' AND VIEW_DEFINITION = ''", 1));
        a.add(rows("SHOW DATABASES hides databases", "bob", "SHOW DATABASES LIKE 'secret'", 0));
        a.add(rows("SHOW TABLES hides tables", "bob@app", "SHOW TABLES LIKE 'v_nogrant'", 0));
        a.add(refused("SHOW TABLES FROM a hidden database", "bob", "SHOW TABLES FROM secret", 1044));
        a.add(refused("SHOW TABLE STATUS FROM a hidden database", "bob", "SHOW TABLE STATUS FROM secret", 1044));
        a.add(refused("SHOW COLUMNS", "bob", "SHOW COLUMNS FROM secret.s", 1142));
        a.add(refused("SHOW INDEX", "bob", "SHOW INDEX FROM secret.s", 1142));
        a.add(refused("SHOW CREATE TABLE", "bob", "SHOW CREATE TABLE secret.s", 1142));
        a.add(refused("DESCRIBE", "bob", "DESCRIBE secret.s", 1142));
        a.add(rows("SHOW COLUMNS hides columns", "bob", "SHOW COLUMNS FROM app.t", 2));
        a.add(refused("SHOW GRANTS FOR another account", "bob", "SHOW GRANTS FOR root", 1044));
        // prepared statements (COM_STMT_PREPARE / COM_STMT_EXECUTE)
        a.add(refused("server-side prepared statement", "bob@ps", "SELECT v FROM secret.s WHERE id = ?", 1142));
        a.add(refused("server-side prepared subquery", "bob@ps", "SELECT x FROM app.pub WHERE id IN (SELECT id FROM secret.s WHERE id = ?)", 1142));
        a.add(refused("server-side prepared UPDATE", "bob@ps", "UPDATE secret.s SET v = 'x' WHERE id = ?", 1142));
        // DDL and administration
        a.add(refused("CREATE TABLE in a hidden database", "bob", "CREATE TABLE secret.x (id INT PRIMARY KEY)", 1142));
        a.add(refused("DROP TABLE", "bob", "DROP TABLE secret.s", 1142));
        a.add(refused("ALTER TABLE", "bob", "ALTER TABLE secret.s ADD COLUMN z INT", 1142));
        a.add(refused("CREATE INDEX", "bob", "CREATE INDEX iv ON secret.s (v)", 1142));
        a.add(refused("TRUNCATE", "bob", "TRUNCATE TABLE secret.s", 1142));
        a.add(refused("CREATE DATABASE", "bob", "CREATE DATABASE bobs", 1044));
        a.add(refused("DROP DATABASE", "bob", "DROP DATABASE secret", 1044));
        a.add(refused("CREATE USER", "bob", "CREATE USER eve", 1227));
        a.add(refused("DROP USER", "bob", "DROP USER dave", 1227));
        a.add(refused("ALTER USER of another account", "bob", "ALTER USER dave IDENTIFIED BY 'x'", 1227));
        a.add(refused("SET PASSWORD for another account", "bob", "SET PASSWORD FOR dave = 'x'", 1044));
        a.add(refused("SET GLOBAL", "bob", "SET GLOBAL max_execution_time = 5", 1227));
        a.add(refused("GRANT without GRANT OPTION, table", "bob", "GRANT SELECT ON app.pub TO dave", 1142));
        a.add(refused("GRANT without GRANT OPTION, database", "bob", "GRANT SELECT ON app.* TO dave", 1044));
        a.add(refused("GRANT without GRANT OPTION, global", "bob", "GRANT SELECT ON *.* TO dave", 1045));
        a.add(refused("GRANT of a privilege not held", "carol", "GRANT INSERT ON app.* TO dave", 1044));
        a.add(refused("GRANT at a wider level than held", "carol", "GRANT SELECT ON *.* TO dave", 1045));
        a.add(refused("REVOKE without GRANT OPTION", "bob", "REVOKE SELECT ON app.* FROM carol", 1044));
        a.add(refused("nothing at all", "dave", "SELECT * FROM app.pub", 1142));

        // the allowed counterparts: each must succeed
        a.add(rows("table privilege", "bob", "SELECT x FROM app.pub", 2));
        a.add(rows("table privilege, current database", "bob@app", "SELECT x FROM pub WHERE id = 1", 1));
        a.add(rows("column privileges", "bob", "SELECT id, a FROM app.t", 2));
        a.add(rows("COUNT(*) with column privileges", "bob", "SELECT COUNT(*) FROM app.t", 1));
        a.add(rows("view with its definer's rights", "bob", "SELECT v FROM app.v_secret", 2));
        a.add(rows("view joined with a granted table", "bob", "SELECT p.x, v.v FROM app.pub p JOIN app.v_secret v ON p.id = v.id", 2));
        a.add(rows("subquery over granted tables", "bob", "SELECT x FROM app.pub WHERE id IN (SELECT id FROM app.t WHERE a > 0)", 2));
        a.add(allowed("UPDATE of a granted column", "bob", "UPDATE app.t SET a = a + 1 WHERE id = 1"));
        a.add(allowed("INSERT into granted columns", "bob", "INSERT INTO app.t (id, a) VALUES (3, 3)"));
        a.add(allowed("ON DUPLICATE KEY UPDATE of granted columns", "bob",
                "INSERT INTO app.t (id, a) VALUES (3, 4) ON DUPLICATE KEY UPDATE a = a + 1"));
        a.add(allowed("REPLACE with INSERT and DELETE", "bob", "REPLACE INTO app.pub VALUES (3, 30)"));
        a.add(allowed("INSERT … SELECT from granted tables", "bob", "INSERT INTO app.pub SELECT id + 100, a FROM app.t"));
        a.add(allowed("DELETE with DELETE", "bob", "DELETE FROM app.pub WHERE id >= 100"));
        a.add(allowed("CREATE VIEW over what its creator may read", "bob", "CREATE VIEW bobdb.bobs_pub AS SELECT x FROM app.pub"));
        a.add(allowed("CREATE TABLE … LIKE a readable table", "bob", "CREATE TABLE bobdb.copy2 LIKE app.pub"));
        a.add(rows("SHOW TABLES shows granted tables", "bob@app", "SHOW TABLES", 4)); // pub, t, v_secret, v_invoker
        a.add(rows("information_schema shows granted tables", "bob",
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'app' AND TABLE_NAME = 'pub'", 1));
        a.add(rows("server-side prepared statement, granted", "bob@ps", "SELECT x FROM app.pub WHERE id = ?", 1));
        a.add(rows("SHOW GRANTS for oneself", "bob", "SHOW GRANTS", 6));
        a.add(rows("database privileges", "carol", "SELECT id FROM app.t WHERE secret = 'x1'", 1));
        a.add(rows("information_schema as a database-level user", "carol",
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'app' AND TABLE_NAME = 't2'", 1));
        return a.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attempts")
    void attempt(Attempt a) throws SQLException {
        String[] userAndOptions = a.user().split("@");
        Connection c = connection(userAndOptions[0], userAndOptions.length > 1 ? userAndOptions[1] : "");
        if (a.error() != 0) {
            assertThatThrownBy(() -> run(c, a)).as(a.sql()).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).as(e.getMessage()).isEqualTo(a.error()));
            return;
        }
        int rows = run(c, a);
        if (a.rows() >= 0) {
            assertThat(rows).as(a.sql()).isEqualTo(a.rows());
        }
    }

    /** Runs the attempt (prepared when the SQL has a parameter, bound to 1); returns the rows of a result. */
    private static int run(Connection c, Attempt a) throws SQLException {
        if (a.sql().contains("?")) {
            try (PreparedStatement ps = c.prepareStatement(a.sql())) {
                ps.setInt(1, 1);
                if (ps.execute()) {
                    return count(ps.getResultSet());
                }
                return -1;
            }
        }
        try (Statement s = c.createStatement()) {
            if (s.execute(a.sql())) {
                return count(s.getResultSet());
            }
            return -1;
        }
    }

    private static int count(ResultSet rs) throws SQLException {
        int n = 0;
        while (rs.next()) {
            n++;
        }
        rs.close();
        return n;
    }

    @Test
    void theMessagesAreMysqls() throws SQLException {
        Connection bob = connection("bob", "");
        assertThatThrownBy(() -> bob.createStatement().executeQuery("SELECT v FROM secret.s"))
                .hasMessage("SELECT command denied to user 'bob'@'localhost' for table 's'");
        assertThatThrownBy(() -> bob.createStatement().executeQuery("SELECT secret FROM app.t"))
                .hasMessage("SELECT command denied to user 'bob'@'localhost' for column 'secret' in table 't'");
        assertThatThrownBy(() -> bob.createStatement().execute("USE secret"))
                .hasMessage("Access denied for user 'bob'@'%' to database 'secret'");
        assertThatThrownBy(() -> bob.createStatement().execute("CREATE USER eve"))
                .hasMessage("Access denied; you need (at least one of) the CREATE USER privilege(s) for this operation");
        try (ResultSet rs = bob.createStatement().executeQuery("SELECT CURRENT_USER(), USER()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("bob@%");
            assertThat(rs.getString(2)).isEqualTo("bob@localhost");
        }
    }

    @Test
    void aPlanCompiledForRootIsCheckedAgainWhenAnotherUserRunsIt() throws SQLException {
        String sql = "SELECT v FROM secret.s WHERE id = 2";
        try (Statement s = root().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
        }
        long hits = cluster.engine(0).plans().hits();
        assertThatThrownBy(() -> connection("bob", "").createStatement().executeQuery(sql))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1142));
        assertThat(cluster.engine(0).plans().hits()).as("bob's statement reused root's plan").isGreaterThan(hits);
    }

    @Test
    void aRevokeHoldsForAStatementPreparedBeforeIt() throws SQLException {
        try (Statement s = root().createStatement()) {
            s.execute("CREATE TABLE app.revoked (id INT PRIMARY KEY, z INT)");
            s.execute("INSERT INTO app.revoked VALUES (1, 1)");
            s.execute("CREATE USER frank IDENTIFIED BY 'frank-pw'");
            s.execute("GRANT SELECT ON app.revoked TO frank");
        }
        try (Connection frank = DriverManager.getConnection(cluster.mysqlUrl(0, "") + "&useServerPrepStmts=true",
                "frank", "frank-pw"); PreparedStatement ps = frank.prepareStatement("SELECT z FROM app.revoked WHERE id = ?")) {
            ps.setInt(1, 1);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
            }
            try (Statement s = root().createStatement()) {
                s.execute("REVOKE SELECT ON app.revoked FROM frank");
            }
            assertThatThrownBy(ps::executeQuery) // COM_STMT_EXECUTE of the statement prepared while granted
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1142));
        }
    }

    @Test
    void aRevokeHoldsFromTheNextStatementOfAnOpenTransaction() throws SQLException {
        try (Statement s = root().createStatement()) {
            s.execute("CREATE USER quinn IDENTIFIED BY 'quinn-pw'");
            s.execute("GRANT SELECT ON app.pub TO quinn");
        }
        try (Connection quinn = DriverManager.getConnection(cluster.mysqlUrl(0, ""), "quinn", "quinn-pw");
                Statement q = quinn.createStatement()) {
            q.execute("BEGIN");
            try (ResultSet rs = q.executeQuery("SELECT x FROM app.pub WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
            }
            root().createStatement().execute("REVOKE SELECT ON app.pub FROM quinn");
            assertThatThrownBy(() -> q.executeQuery("SELECT x FROM app.pub WHERE id = 1")) // same snapshot, new grants
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1142));
            q.execute("ROLLBACK");
        }
    }

    @Test
    void aViewIsCheckedWithItsDefinersRightsAtEachUse() throws SQLException {
        try (Statement s = root().createStatement()) {
            s.execute("CREATE USER gina IDENTIFIED BY 'gina-pw'");
            s.execute("GRANT SELECT ON app.pub TO gina");
            s.execute("GRANT CREATE VIEW ON app.* TO gina");
            s.execute("CREATE USER hank IDENTIFIED BY 'hank-pw'");
        }
        try (Connection gina = DriverManager.getConnection(cluster.mysqlUrl(0, ""), "gina", "gina-pw");
                Connection hank = DriverManager.getConnection(cluster.mysqlUrl(0, ""), "hank", "hank-pw");
                Statement g = gina.createStatement(); Statement h = hank.createStatement(); Statement s = root().createStatement()) {
            g.execute("CREATE VIEW app.ginas AS SELECT x FROM app.pub");
            assertThatThrownBy(() -> h.executeQuery("SELECT * FROM app.ginas")) // hank: no SELECT on the view
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1142));
            s.execute("GRANT SELECT ON app.ginas TO hank");
            try (ResultSet rs = h.executeQuery("SELECT * FROM app.ginas")) { // gina's rights on app.pub
                assertThat(rs.next()).isTrue();
            }
            s.execute("REVOKE SELECT ON app.pub FROM gina");
            assertThatThrownBy(() -> h.executeQuery("SELECT * FROM app.ginas")) // the definer lost them
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1356));
            s.execute("DROP USER gina");
            assertThatThrownBy(() -> h.executeQuery("SELECT * FROM app.ginas"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1449));
        }
    }

    @Test
    void killAndProcesslistOfOtherUsersSessionsNeedPrivileges() throws SQLException {
        Connection dave = connection("dave", "");
        long rootId;
        try (ResultSet rs = root().createStatement().executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            rootId = rs.getLong(1);
        }
        assertThatThrownBy(() -> dave.createStatement().execute("KILL QUERY " + rootId))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1095));
        assertThat(processlistUsers(dave)).containsOnly("dave");
        assertThat(processlistUsers(connection("ops", ""))).contains("root", "dave", "ops");
        connection("ops", "").createStatement().execute("KILL QUERY " + rootId); // CONNECTION_ADMIN
        try (Connection dave2 = DriverManager.getConnection(cluster.mysqlUrl(0, ""), "dave", "dave-pw");
                ResultSet rs = dave2.createStatement().executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            dave.createStatement().execute("KILL " + rs.getLong(1)); // one's own session
        }
    }

    private static List<String> processlistUsers(Connection c) throws SQLException {
        List<String> users = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery("SHOW PROCESSLIST")) {
            while (rs.next()) {
                users.add(rs.getString("User"));
            }
        }
        return users;
    }

    @Test
    void grantWithGrantOptionPassesOnOnlyWhatIsHeld() throws SQLException {
        try (Statement s = root().createStatement()) {
            s.execute("CREATE USER ivy IDENTIFIED BY 'ivy-pw'");
        }
        connection("carol", "").createStatement().execute("GRANT SELECT ON app.* TO ivy");
        try (Connection ivy = DriverManager.getConnection(cluster.mysqlUrl(0, ""), "ivy", "ivy-pw");
                ResultSet rs = ivy.createStatement().executeQuery("SELECT x FROM app.pub WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
        }
        try (ResultSet rs = root().createStatement().executeQuery("SHOW GRANTS FOR ivy")) {
            List<String> lines = new ArrayList<>();
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
            assertThat(lines).containsExactly("GRANT USAGE ON *.* TO `ivy`@`%`", "GRANT SELECT ON `app`.* TO `ivy`@`%`");
        }
        try (ResultSet rs = connection("bob", "").createStatement().executeQuery("SHOW GRANTS")) {
            List<String> lines = new ArrayList<>();
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
            assertThat(lines).containsExactly("GRANT USAGE ON *.* TO `bob`@`%`", "GRANT CREATE, CREATE VIEW ON `bobdb`.* TO `bob`@`%`",
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON `app`.`pub` TO `bob`@`%`",
                    "GRANT SELECT (`a`, `id`), INSERT (`a`, `id`), UPDATE (`a`) ON `app`.`t` TO `bob`@`%`",
                    "GRANT SELECT ON `app`.`v_invoker` TO `bob`@`%`", "GRANT SELECT ON `app`.`v_secret` TO `bob`@`%`");
        }
    }

    @Test
    void rootKeepsEveryPrivilege() throws SQLException {
        try (Statement s = root().createStatement()) {
            s.execute("REVOKE ALL PRIVILEGES, GRANT OPTION FROM root");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM secret.s")) {
                assertThat(rs.next()).isTrue();
            }
            try (ResultSet rs = s.executeQuery("SHOW GRANTS")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("GRANT ALL PRIVILEGES ON *.* TO `root`@`%` WITH GRANT OPTION");
            }
            assertThatThrownBy(() -> s.execute("DROP USER root"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1396));
        }
    }

    @Test
    void accountsMatchTheClientsHostMostSpecificFirst() throws SQLException {
        try (Statement s = root().createStatement()) {
            s.execute("CREATE USER 'jo'@'%' IDENTIFIED BY 'anywhere'");
            s.execute("CREATE USER 'jo'@'localhost' IDENTIFIED BY 'local'");
            s.execute("CREATE USER 'kim'@'10.%' IDENTIFIED BY 'kim-pw'");
            s.execute("GRANT SELECT ON app.pub TO 'jo'@'localhost'");
        }
        String url = cluster.mysqlUrl(0, "");
        // the test connects over 127.0.0.1: 'jo'@'localhost' is more specific than 'jo'@'%'
        try (Connection jo = DriverManager.getConnection(url, "jo", "local");
                ResultSet rs = jo.createStatement().executeQuery("SELECT CURRENT_USER(), COUNT(*) FROM app.pub")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("jo@localhost");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url, "jo", "anywhere").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));
        assertThatThrownBy(() -> DriverManager.getConnection(url, "kim", "kim-pw").close()) // not from 10.x
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));
        assertThatThrownBy(() -> DriverManager.getConnection(cluster.mysqlUrl(0, "secret"), "bob", "bob-pw").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1044));
    }

    @Test
    void newUsersAuthenticateWithCachingSha2AndNativeStillWorks() throws SQLException {
        try (Statement s = root().createStatement()) {
            s.execute("CREATE USER lea IDENTIFIED BY 'lea-pw'");
            s.execute("CREATE USER max IDENTIFIED WITH mysql_native_password BY 'max-pw'");
        }
        for (String[] userAndPlugin : new String[][] {{"lea", "caching_sha2_password"}, {"max", "mysql_native_password"}}) {
            String user = userAndPlugin[0];
            try (Connection c = DriverManager.getConnection(cluster.mysqlUrl(0, ""), user, user + "-pw")) {
                assertThat(c.isValid(2)).isTrue();
            }
            try (Connection c = DriverManager.getConnection(cluster.mariadbUrl(0, ""), user, user + "-pw")) {
                assertThat(c.isValid(2)).as("MariaDB Connector/J, " + userAndPlugin[1]).isTrue();
            }
        }
    }

    @Test
    void lockedExpiredAndBlockedAccounts() throws SQLException {
        try (Statement s = root().createStatement()) {
            s.execute("CREATE USER nia IDENTIFIED BY 'nia-pw' ACCOUNT LOCK");
            s.execute("CREATE USER oz IDENTIFIED BY 'oz-pw' PASSWORD EXPIRE");
            s.execute("CREATE USER pia IDENTIFIED BY 'pia-pw' FAILED_LOGIN_ATTEMPTS 2 PASSWORD_LOCK_TIME 1");
        }
        String url = cluster.mysqlUrl(0, "");
        assertThatThrownBy(() -> DriverManager.getConnection(url, "nia", "nia-pw").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(3118));
        root().createStatement().execute("ALTER USER nia ACCOUNT UNLOCK");
        DriverManager.getConnection(url, "nia", "nia-pw").close();

        // an expired password: refused to clients that cannot handle it, a sandbox for those that can
        assertThatThrownBy(() -> DriverManager.getConnection(url, "oz", "oz-pw").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1862));
        // (useLocalSessionState: Connector/J would otherwise read @@transaction_read_only before ALTER USER)
        try (Connection oz = DriverManager.getConnection(url + "&disconnectOnExpiredPasswords=false&useLocalSessionState=true",
                "oz", "oz-pw");
                Statement s = oz.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1820));
            s.execute("ALTER USER USER() IDENTIFIED BY 'oz-new'");
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
        }
        DriverManager.getConnection(url, "oz", "oz-new").close();

        // FAILED_LOGIN_ATTEMPTS 2: the second wrong password blocks the account, even for the right one
        assertThatThrownBy(() -> DriverManager.getConnection(url, "pia", "wrong").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));
        assertThatThrownBy(() -> DriverManager.getConnection(url, "pia", "wrong").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(3955));
        assertThatThrownBy(() -> DriverManager.getConnection(url, "pia", "pia-pw").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(3955));
        root().createStatement().execute("ALTER USER pia ACCOUNT UNLOCK");
        DriverManager.getConnection(url, "pia", "pia-pw").close();
    }
}
