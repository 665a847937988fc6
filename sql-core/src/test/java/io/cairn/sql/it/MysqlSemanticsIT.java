package io.cairn.sql.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.node.testing.Wait;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Results that must be MySQL 8's exactly where Calcite's semantics differ: integer arithmetic in
 * BIGINT, SUM/AVG as DECIMAL, the case-insensitive default collation, and comparisons of strings
 * with numbers. Each expected value is what MySQL 8.0 answers.
 */
class MysqlSemanticsIT {
    static SqlCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = SqlCluster.builder().cns(1).build();
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE sem");
            s.execute("USE sem");
            s.execute("CREATE TABLE nums (id INT PRIMARY KEY, n INT, b BIGINT, s VARCHAR(10))");
            s.execute("INSERT INTO nums VALUES (1, 2147483647, 9223372036854775807, 'abc'), (2, 5, 1, '12ab'), "
                    + "(3, -7, 2, '5'), (4, NULL, NULL, NULL)");
            s.execute("CREATE TABLE people (name VARCHAR(20) PRIMARY KEY, city VARCHAR(20), age INT, KEY (city))");
            s.execute("INSERT INTO people VALUES ('alice', 'Paris', 30), ('Bob', 'paris', 40), ('carol', 'Oslo', 50), "
                    + "('dave', NULL, 60)");
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static Connection connect() throws SQLException {
        Connection c = cluster.connect(0, "");
        try (Statement s = c.createStatement()) {
            s.execute("USE sem");
        }
        return c;
    }

    private static List<String> column(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<String> row(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                out.add(rs.getString(i));
            }
        }
        return out;
    }

    /**
     * ONLY_FULL_GROUP_BY (the default) refuses a column that is neither grouped nor aggregated with 1055; without it,
     * as in MySQL, the column gives the value of some row of its group, in the select list, HAVING and ORDER BY, and
     * an aggregate without GROUP BY makes the whole table one group. Checked against MySQL 8.0.
     */
    @Test
    void ungroupedColumnsAreRefusedUnderOnlyFullGroupByAndAnyRowsValueWithout() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT city, age FROM people GROUP BY city"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1055);
                        assertThat(e.getSQLState()).isEqualTo("42000");
                        assertThat(e.getMessage()).contains("'age'").contains("only_full_group_by");
                    });
            s.execute("SET sql_mode = 'STRICT_TRANS_TABLES'");
            // the case-insensitive collation groups 'Paris' and 'paris': their age is 30 or 40
            try (ResultSet rs = s.executeQuery("SELECT city, age, COUNT(*) AS n FROM people GROUP BY city ORDER BY n DESC, city")) {
                assertThat(rs.getMetaData().getColumnLabel(2)).isEqualTo("age");
                rs.next();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("paris");
                assertThat(rs.getInt(2)).isIn(30, 40);
                assertThat(rs.getInt(3)).isEqualTo(2);
            }
            assertThat(column(s, "SELECT name FROM people WHERE age >= 50 GROUP BY city ORDER BY age"))
                    .containsExactly("carol", "dave");
            assertThat(column(s, "SELECT age + 1 FROM people GROUP BY name HAVING age > 40 ORDER BY name"))
                    .containsExactly("51", "61");
            assertThat(row(s, "SELECT MAX(age), name FROM people WHERE city IS NULL")).containsExactly("60", "dave");
            assertThat(column(s, "SELECT g.a FROM (SELECT city, age AS a FROM people WHERE age > 45 GROUP BY city) g ORDER BY g.a"))
                    .containsExactly("50", "60");
            assertThat(column(s, "SELECT CASE WHEN age > 45 THEN name END AS x FROM people GROUP BY 1 ORDER BY 1"))
                    .containsExactly(null, "carol", "dave");
            // mariadb-dump's tablespace query, which selects EXTRA outside its GROUP BY
            assertThat(column(s, "SELECT LOGFILE_GROUP_NAME, FILE_NAME, TOTAL_EXTENTS, INITIAL_SIZE, ENGINE, EXTRA"
                    + " FROM INFORMATION_SCHEMA.FILES WHERE FILE_TYPE = 'UNDO LOG' AND FILE_NAME IS NOT NULL"
                    + " AND LOGFILE_GROUP_NAME IS NOT NULL AND LOGFILE_GROUP_NAME IN (SELECT DISTINCT LOGFILE_GROUP_NAME"
                    + " FROM INFORMATION_SCHEMA.FILES WHERE FILE_TYPE = 'DATAFILE' AND TABLESPACE_NAME IN"
                    + " (SELECT DISTINCT TABLESPACE_NAME FROM INFORMATION_SCHEMA.PARTITIONS WHERE TABLE_SCHEMA IN ('sem')))"
                    + " GROUP BY LOGFILE_GROUP_NAME, FILE_NAME, ENGINE, TOTAL_EXTENTS, INITIAL_SIZE"
                    + " ORDER BY LOGFILE_GROUP_NAME")).isEmpty();
            s.execute("SET sql_mode = 'ANSI'"); // ANSI includes ONLY_FULL_GROUP_BY
            assertThatThrownBy(() -> s.executeQuery("SELECT city, age FROM people GROUP BY city"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1055));
        }
    }

    /** ELT, FIELD and INTERVAL() over lists of values, as MySQL 8.0 answers them (its manual's examples too). */
    @Test
    void eltFieldAndIntervalPickFromTheirLists() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThat(row(s, "SELECT ELT(2, 'Aa', 'Bb', 'Cc'), ELT(4, 'Aa', 'Bb'), ELT(0, 'Aa'), ELT(NULL, 'Aa')"))
                    .containsExactly("Bb", null, null, null);
            assertThat(row(s, "SELECT FIELD('Bb', 'Aa', 'Bb', 'Cc'), FIELD('Gg', 'Aa', 'Bb'), FIELD(NULL, 'Aa'),"
                    + " FIELD(3, 1, 2, 3)"))
                    .containsExactly("2", "0", "0", "3");
            assertThat(row(s, "SELECT FIELD(name, 'x', 'BOB') FROM people WHERE age = 40")).as("the default collation")
                    .containsExactly("2");
            assertThat(row(s, "SELECT INTERVAL(23, 1, 15, 17, 30, 44, 200), INTERVAL(10, 1, 10, 100, 1000),"
                    + " INTERVAL(22, 23, 30, 44, 200), INTERVAL(NULL, 1, 2), INTERVAL(5, 1)"))
                    .containsExactly("3", "2", "0", "-1", "1");
            assertThat(column(s, "SELECT name FROM people ORDER BY FIELD(name, 'carol', 'alice', 'Bob') DESC, name"))
                    .containsExactly("Bob", "alice", "carol", "dave");
            assertThat(row(s, "SELECT ELT(FIELD('b', 'a', 'b'), 'one', UPPER(ELT(1, 'two')))")).containsExactly("TWO");
            assertThat(row(s, "SELECT FIELD('b', 'B'), 'b' = ('B'), 'b' < ('A'), 'x' IN ('X', 'y')"))
                    .as("two literals compare by the default collation too").containsExactly("1", "1", "0", "1");
            assertThat(row(s, "SELECT DATE_ADD('2024-01-31', INTERVAL 1 MONTH), INTERVAL(2, (1), (3))"))
                    .containsExactly("2024-02-29", "1");
        }
    }

    /** USE / IGNORE / FORCE INDEX are accepted where MySQL takes them and change no result. */
    @Test
    void indexHintsAreAcceptedAndChangeNoResult() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThat(column(s, "SELECT name FROM people USE INDEX (city) WHERE city = 'paris' ORDER BY name"))
                    .containsExactly("alice", "Bob");
            assertThat(column(s, "SELECT p.name FROM sem.people AS p FORCE INDEX FOR ORDER BY (PRIMARY), IGNORE KEY"
                    + " (city) USE INDEX () WHERE p.age > 35 ORDER BY p.name")).containsExactly("Bob", "carol", "dave");
            assertThat(column(s, "SELECT a.name FROM people a IGNORE INDEX FOR JOIN (city) JOIN people b FORCE KEY (PRIMARY)"
                    + " ON a.name = b.name WHERE b.age = 50")).containsExactly("carol");
            assertThat(s.executeUpdate("UPDATE people USE INDEX (city) SET age = age WHERE city = 'Oslo'")).isEqualTo(1);
            assertThat(column(s, "SELECT `key` FROM (SELECT 1 AS `key`) AS use_index")).containsExactly("1");
        }
    }

    @Test
    void integerArithmeticIsBigint() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 2147483647 + 1, -2147483648 - 1, 100000 * 100000")) {
                assertThat(rs.getMetaData().getColumnType(1)).isEqualTo(Types.BIGINT);
                rs.next();
                assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                        .containsExactly(2147483648L, -2147483649L, 10000000000L);
            }
            assertThat(row(s, "SELECT n + 1, n * 2, -n, n - -1 FROM nums WHERE id = 1"))
                    .containsExactly("2147483648", "4294967294", "-2147483647", "2147483648");
            for (String sql : List.of("SELECT 9223372036854775807 + 1", "SELECT b + 1 FROM nums WHERE id = 1",
                    "SELECT b * 2 FROM nums WHERE id = 1")) {
                assertThatThrownBy(() -> s.executeQuery(sql)).as(sql)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1690));
            }
        }
    }

    @Test
    void sumIsDecimalAndAvgHasFourMoreDecimalsRounded() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT SUM(n), AVG(n), SUM(b), AVG(b), AVG(id) FROM nums")) {
            assertThat(rs.getMetaData().getColumnType(1)).isEqualTo(Types.DECIMAL);
            assertThat(rs.getMetaData().getColumnType(2)).isEqualTo(Types.DECIMAL);
            rs.next();
            // 2147483645 / 3 and (2^63 + 2) / 3: exact, rounded half up at four decimals
            assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)))
                    .containsExactly("2147483645", "715827881.6667", "9223372036854775810", "3074457345618258603.3333",
                            "2.5000");
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThat(row(s, "SELECT SUM(n), AVG(n) FROM nums WHERE id > 10")).containsExactly(null, null);
            assertThat(row(s, "SELECT AVG(DISTINCT x) FROM (SELECT 1 AS x UNION ALL SELECT 1 UNION ALL SELECT 2) AS t"))
                    .containsExactly("1.5000");
        }
    }

    @Test
    void stringsCompareCaseInsensitivelyIgnoringTrailingSpaces() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThat(row(s, "SELECT 'a' = 'A', 'a' = 'a  ', 'a' < 'B', 'b' BETWEEN 'A' AND 'C', 'A' IN ('a', 'x'), "
                    + "'abc' LIKE 'A%', 'a ' LIKE 'a'"))
                    .containsExactly("1", "1", "1", "1", "1", "1", "0");
            // a primary-key point lookup finds the row whatever the case
            assertThat(column(s, "SELECT age FROM people WHERE name = 'ALICE'")).containsExactly("30");
            assertThat(column(s, "SELECT age FROM people WHERE name IN ('BOB', 'Carol') ORDER BY age"))
                    .containsExactly("40", "50");
            // a secondary-index point lookup too
            assertThat(column(s, "SELECT name FROM people WHERE city = 'PARIS' ORDER BY age"))
                    .containsExactly("alice", "Bob");
            assertThat(column(s, "SELECT name FROM people WHERE name LIKE 'B%'")).containsExactly("Bob");
            assertThat(column(s, "SELECT name FROM people WHERE name > 'B' ORDER BY name"))
                    .containsExactly("Bob", "carol", "dave");
        }
    }

    @Test
    void orderGroupDistinctAndMinMaxUseTheCollation() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThat(column(s, "SELECT name FROM people ORDER BY name")).containsExactly("alice", "Bob", "carol", "dave");
            assertThat(column(s, "SELECT name FROM people ORDER BY name DESC"))
                    .containsExactly("dave", "carol", "Bob", "alice");
            // NULL sorts first ascending, as in MySQL
            assertThat(column(s, "SELECT city FROM people ORDER BY city, age")).containsExactly(null, "Oslo", "Paris", "paris");
            assertThat(column(s, "SELECT COUNT(*) FROM people GROUP BY city ORDER BY city"))
                    .containsExactly("1", "1", "2");
            assertThat(column(s, "SELECT city FROM people WHERE city IS NOT NULL GROUP BY city HAVING COUNT(*) = 2"))
                    .hasSize(1).allSatisfy(city -> assertThat(city).isEqualToIgnoringCase("paris"));
            assertThat(column(s, "SELECT COUNT(DISTINCT city) FROM people")).containsExactly("2");
            assertThat(column(s, "SELECT DISTINCT city FROM people WHERE city IS NOT NULL")).hasSize(2);
            assertThat(column(s, "SELECT city FROM people WHERE age < 35 UNION SELECT city FROM people WHERE age = 40"))
                    .containsExactly("Paris");
            assertThat(row(s, "SELECT MIN(name), MAX(name) FROM people")).containsExactly("alice", "dave");
            assertThat(row(s, "SELECT MIN(city), MAX(city) FROM people")).containsExactly("Oslo", "Paris");
        }
    }

    @Test
    void joinsAndSubqueriesMatchStringsCaseInsensitively() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE visits (who VARCHAR(20), seq INT)");
            s.execute("INSERT INTO visits VALUES ('ALICE', 1), ('bob', 2), ('BOB ', 3), ('zed', 4)");
            assertThat(column(s, "SELECT p.age FROM people p JOIN visits v ON p.name = v.who ORDER BY v.seq"))
                    .containsExactly("30", "40", "40");
            assertThat(column(s, "SELECT seq FROM visits WHERE who IN (SELECT name FROM people) ORDER BY seq"))
                    .containsExactly("1", "2", "3");
            assertThat(column(s, "SELECT seq FROM visits WHERE who NOT IN (SELECT name FROM people) ORDER BY seq"))
                    .containsExactly("4");
            assertThat(column(s, "SELECT seq FROM visits v WHERE EXISTS (SELECT 1 FROM people p WHERE p.name = v.who) "
                    + "ORDER BY seq")).containsExactly("1", "2", "3");
        }
    }

    @Test
    void aUniqueKeyTreatsCaseVariantsAsDuplicates() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE tags (id INT PRIMARY KEY, tag VARCHAR(10), UNIQUE KEY (tag))");
            s.execute("INSERT INTO tags VALUES (1, 'red')");
            assertThatThrownBy(() -> s.execute("INSERT INTO tags VALUES (2, 'RED')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1062));
            assertThat(s.executeUpdate("UPDATE tags SET id = 10 WHERE tag = 'Red'")).isEqualTo(1);
            assertThat(s.executeUpdate("DELETE FROM tags WHERE tag = 'RED'")).isEqualTo(1);
        }
    }

    @Test
    void lengthCountsBytesAndCharLengthCharacters() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThat(row(s, "SELECT LENGTH('é'), CHAR_LENGTH('é'), OCTET_LENGTH('üß'), LENGTH(123), LENGTH(NULL)"))
                    .containsExactly("2", "1", "4", "3", null);
        }
    }

    @Test
    void stringsComparedWithNumbersCompareAsNumbers() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThat(row(s, "SELECT x'41' = 65, 65 = x'41', '1e1' = 10, 'abc' = 0, 'abc' < 1, '5' BETWEEN 1 AND 10"))
                    .containsExactly("1", "1", "1", "1", "1", "1");
            assertThat(column(s, "SELECT id FROM nums WHERE n = 'abc'")).isEmpty();
            assertThat(column(s, "SELECT id FROM nums WHERE n = '5x'")).containsExactly("2");
            assertThat(column(s, "SELECT id FROM nums WHERE s = 12")).containsExactly("2");
            assertThat(column(s, "SELECT id FROM nums WHERE s = 0")).containsExactly("1");
            assertThat(column(s, "SELECT id FROM nums WHERE s > 4 ORDER BY id")).containsExactly("2", "3");
            // the primary key stays a point lookup; '2abc' is 2 as a number
            assertThat(column(s, "SELECT id FROM nums WHERE id = '2'")).containsExactly("2");
            assertThat(column(s, "SELECT id FROM nums WHERE id = '2abc'")).containsExactly("2");
            assertThat(column(s, "SELECT id FROM nums WHERE id = '2.5'")).isEmpty();
            try (var ps = c.prepareStatement("SELECT id FROM nums WHERE id = ?")) {
                ps.setString(1, "3");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(3);
                }
            }
        }
    }

    private static List<String> warnings(Statement s) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SHOW WARNINGS")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getInt(2) + " " + rs.getString(3));
            }
        }
        return out;
    }

    @Test
    void lossyStringToNumberConversionsWarn1292() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT '12abc' + 1, CAST('x' AS SIGNED), CAST('12.7' AS SIGNED), "
                    + "CAST('1.5x' AS DECIMAL(5,2)), '7' + 1")) {
                rs.next();
                assertThat(List.of(rs.getDouble(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getDouble(5)))
                        .containsExactly(13.0, "0", "12", "1.50", 8.0);
                // the warning count of the result's EOF makes Connector/J fetch the warnings
                java.sql.SQLWarning w = rs.getStatement().getWarnings();
                assertThat(w != null && w.getErrorCode() == 1292).as("a 1292 warning reached the client").isTrue();
            }
            assertThat(row(s, "SELECT @@warning_count")).containsExactly("4");
            assertThat(row(s, "SHOW COUNT(*) WARNINGS")).containsExactly("4");
            assertThat(column(s, "SHOW ERRORS")).isEmpty();
            assertThat(warnings(s)).containsExactlyInAnyOrder("Warning 1292 Truncated incorrect DOUBLE value: '12abc'",
                    "Warning 1292 Truncated incorrect INTEGER value: 'x'",
                    "Warning 1292 Truncated incorrect INTEGER value: '12.7'",
                    "Warning 1292 Truncated incorrect DECIMAL value: '1.5x'");
            // a statement without warnings clears them
            assertThat(row(s, "SELECT 1 + 1")).containsExactly("2");
            assertThat(warnings(s)).isEmpty();
            // a constant compared with every row warns once; the same plan warns again when run again
            for (int run = 0; run < 2; run++) {
                assertThat(column(s, "SELECT id FROM nums WHERE n = '5x'")).containsExactly("2");
                assertThat(warnings(s)).containsExactly("Warning 1292 Truncated incorrect DOUBLE value: '5x'");
            }
            assertThat(s.executeUpdate("UPDATE nums SET n = n WHERE id = '3z'")).isEqualTo(1);
            assertThat(s.getWarnings().getMessage()).isEqualTo("Truncated incorrect DOUBLE value: '3z'");
        }
    }

    @Test
    void divisionByZeroIsNullWithWarning1365() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThat(row(s, "SELECT 1 / 0, 5 % 0, 5 DIV 0, 1.5 / 0, NULL / 0, 7 / 2"))
                    .containsExactly(null, null, null, null, null, "3.5000");
            assertThat(warnings(s)).containsExactly("Warning 1365 Division by 0", "Warning 1365 Division by 0",
                    "Warning 1365 Division by 0", "Warning 1365 Division by 0");
            assertThat(column(s, "SELECT id FROM nums WHERE n / 0 IS NULL AND id < 3 ORDER BY id")).containsExactly("1", "2");
        }
    }

    @Test
    void okPacketsCarryMysqlsInfoText() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE info (id INT PRIMARY KEY, v VARCHAR(10))");
            assertThat(s.executeUpdate("INSERT INTO info VALUES (1, 'a'), (2, 'b'), (3, 'c')")).isEqualTo(3);
            assertThat(info(s)).isEqualTo("Records: 3  Duplicates: 0  Warnings: 0");
            assertThat(s.executeUpdate("INSERT INTO info VALUES (4, 'd')")).isEqualTo(1);
            assertThat(info(s)).isEmpty(); // one VALUES row: no info, as in MySQL
            // Connector/J sets CLIENT_FOUND_ROWS by default: affected rows are the matched rows
            assertThat(s.executeUpdate("UPDATE info SET v = 'a' WHERE id <= 2")).isEqualTo(2);
            assertThat(info(s)).isEqualTo("Rows matched: 2  Changed: 1  Warnings: 0");
            assertThat(s.executeUpdate("REPLACE INTO info VALUES (1, 'x'), (9, 'y')")).isEqualTo(3);
            assertThat(info(s)).isEqualTo("Records: 2  Duplicates: 1  Warnings: 0");
            assertThat(s.executeUpdate("INSERT IGNORE INTO info SELECT id, v FROM info WHERE id > 2")).isZero();
            assertThat(info(s)).isEqualTo("Records: 3  Duplicates: 3  Warnings: 3");
            assertThat(warnings(s)).containsExactly("Warning 1062 Duplicate entry '3' for key 'info.PRIMARY'",
                    "Warning 1062 Duplicate entry '4' for key 'info.PRIMARY'",
                    "Warning 1062 Duplicate entry '9' for key 'info.PRIMARY'");
            // IF [NOT] EXISTS leaves a note with the code of the error it avoided
            s.execute("DROP TABLE IF EXISTS no_such_table");
            assertThat(warnings(s)).containsExactly("Note 1051 Unknown table 'sem.no_such_table'");
            s.execute("CREATE TABLE IF NOT EXISTS info (id INT)");
            assertThat(warnings(s)).containsExactly("Note 1050 Table 'info' already exists");
            s.executeUpdate("ALTER TABLE info ADD COLUMN extra INT");
            assertThat(info(s)).isEqualTo("Records: 0  Duplicates: 0  Warnings: 0");
            s.executeUpdate("CREATE INDEX info_v ON info (v)");
            assertThat(info(s)).isEqualTo("Records: 0  Duplicates: 0  Warnings: 0");
        }
        // without CLIENT_FOUND_ROWS (useAffectedRows=true) an UPDATE reports the rows it changed
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", "root");
        p.setProperty("password", "");
        p.setProperty("useAffectedRows", "true");
        try (Connection c = java.sql.DriverManager.getConnection(cluster.mysqlUrl(0, "sem"), p);
                Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE info SET v = v WHERE id <= 2")).isZero();
            assertThat(info(s)).isEqualTo("Rows matched: 2  Changed: 0  Warnings: 0");
        }
    }

    @Test
    void theMariadbClientPrintsInfoAndWarnings() throws Exception {
        java.nio.file.Path mariadb = java.nio.file.Path.of("/usr/bin/mariadb");
        assertThat(mariadb).as("the mariadb client (Debian package mariadb-client, installed by .ci/run)").exists();
        String script = String.join("\n", List.of(
                "USE sem;",
                "CREATE TABLE cli (id INT PRIMARY KEY, v VARCHAR(10));",
                "INSERT INTO cli VALUES (1, 'a'), (2, 'b');",
                "UPDATE cli SET v = 'a';",
                "SELECT '12abc' + 1 AS n, '日本' AS w;"));
        Process p = new ProcessBuilder(mariadb.toString(), "-h127.0.0.1", "-P" + cluster.port(0), "-uroot", "-vvv",
                "--skip-ssl", "--default-character-set=utf8mb4").redirectErrorStream(true).start();
        p.getOutputStream().write(script.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("Records: 2  Duplicates: 0  Warnings: 0", "Rows matched: 2  Changed: 1  Warnings: 0",
                "1 row in set, 1 warning", "日本");
    }

    private static String info(Statement s) throws SQLException {
        return s.unwrap(com.mysql.cj.jdbc.JdbcStatement.class).getResultSetInternal().getServerInfo();
    }

    @Test
    void stringLiteralsAreUtf8mb4() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThat(row(s, "SELECT '中文', '日本' = '日本', '中文' < '日本', LENGTH('日本'), CHAR_LENGTH('€𝄞'), "
                    + "UPPER('straße'), CONCAT('a', '€')"))
                    .containsExactly("中文", "1", "1", "6", "2", "STRASSE", "a€");
            s.execute("CREATE TABLE words (id INT PRIMARY KEY, w VARCHAR(20), KEY (w))");
            s.execute("INSERT INTO words VALUES (1, '日本'), (2, 'abc'), (3, '€𝄞')");
            assertThat(column(s, "SELECT id FROM words WHERE w = '日本'")).containsExactly("1");
            assertThat(column(s, "SELECT w FROM words WHERE w IN ('€𝄞', 'x')")).containsExactly("€𝄞");
            assertThat(column(s, "SELECT w FROM words ORDER BY w")).containsExactly("abc", "€𝄞", "日本");
            try (var ps = c.prepareStatement("SELECT id FROM words WHERE w = ?")) {
                ps.setString(1, "日本");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
            }
            assertThat(s.executeUpdate("UPDATE words SET w = '中文' WHERE w = '日本'")).isEqualTo(1);
            assertThat(column(s, "SELECT w FROM words WHERE id = 1")).containsExactly("中文");
        }
    }

    @Test
    void strcmpIsMinusOneZeroOneCaseInsensitively() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThat(row(s, "SELECT STRCMP('a', 'b'), STRCMP('b', 'a'), STRCMP('text', 'TEXT'), STRCMP('x', 'xy'), "
                    + "STRCMP(NULL, 'a')")).containsExactly("-1", "1", "0", "-1", null);
            assertThat(column(s, "SELECT name FROM people WHERE STRCMP(name, 'BOB') = 0")).containsExactly("Bob");
        }
    }

    @Test
    void sleepReturnsZeroAndKillQueryEndsItWithOne() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThat(row(s, "SELECT SLEEP(0.05)")).containsExactly("0");
            assertThatThrownBy(() -> s.executeQuery("SELECT SLEEP(-1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1210));
            s.execute("SET max_execution_time = 100");
            assertThat(row(s, "SELECT SLEEP(30)")).as("cut short by max_execution_time").containsExactly("1");
            s.execute("SET max_execution_time = 0");
        }
        try (Connection sleeper = connect(); Connection killer = connect(); Statement k = killer.createStatement()) {
            long id = Long.parseLong(row(sleeper.createStatement(), "SELECT CONNECTION_ID()").get(0));
            java.util.concurrent.CompletableFuture<List<String>> slept = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> {
                        try (Statement s = sleeper.createStatement()) {
                            return row(s, "SELECT SLEEP(60)");
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
            Wait.until("the SLEEP shows in SHOW PROCESSLIST", Duration.ofSeconds(30),
                    Wait.checked(() -> running(k, id)));
            k.execute("KILL QUERY " + id);
            assertThat(slept.get(20, java.util.concurrent.TimeUnit.SECONDS)).containsExactly("1");
        }
    }

    private static boolean running(Statement s, long id) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW PROCESSLIST")) {
            while (rs.next()) {
                if (rs.getLong(1) == id && "Query".equals(rs.getString(5))) {
                    return "SELECT SLEEP(60)".equals(rs.getString(8));
                }
            }
        }
        return false;
    }
}
