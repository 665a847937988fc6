package io.cairn.sql.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IN / NOT IN / EXISTS sub-queries whose WHERE the planner proves empty, combined with other
 * predicates (sqllogictest index/between/10/slt_good_1.test): an empty sub-query must not empty the
 * outer query when it is OR-ed with a predicate that holds. Correlated scalar sub-queries under COALESCE /
 * IFNULL / NULLIF and in arithmetic, in every clause and in UPDATE and DELETE, over a small bank (accounts
 * and transfers): expected values are MySQL 8's.
 */
class SubqueryIT {
    static SqlCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = SqlCluster.builder().cns(1).build();
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE sq");
            s.execute("USE sq");
            s.execute("CREATE TABLE tab0(pk INTEGER PRIMARY KEY, col0 INTEGER, col1 FLOAT, col2 TEXT, col3 INTEGER, "
                    + "col4 FLOAT, col5 TEXT)");
            s.execute("INSERT INTO tab0 VALUES(0,96,49.43,'ygjce',86,18.85,'cukge'), (1,90,80.65,'ghsge',47,57.91,'xmoxc'), "
                    + "(2,81,29.55,'ixyhf',42,20.87,'rvwhm'), (3,54,35.26,'ahylg',80,74.93,'alxpr'), "
                    + "(4,3,0.90,'bqncu',10,66.5,'dggvc'), (5,97,12.24,'ivnka',84,23.67,'xdorm'), "
                    + "(6,41,46.27,'zxzzv',26,72.27,'aqvau'), (7,39,81.88,'oxjjd',87,49.5,'bkkol'), "
                    + "(8,56,14.45,'ajlwt',9,14.49,'tyeon'), (9,79,71.50,'zxras',91,61.3,'xgohv')");
            s.execute("CREATE DATABASE q");
            s.execute("CREATE TABLE q.account (id INT PRIMARY KEY, balance BIGINT NOT NULL, name VARCHAR(20))");
            s.execute("CREATE TABLE q.transfer (id BIGINT PRIMARY KEY, src INT NOT NULL, dst INT NOT NULL, "
                    + "amount BIGINT NOT NULL)");
            s.execute("INSERT INTO q.account VALUES (1, 100, 'Ann'), (2, 200, NULL), (3, 300, 'bob'), (4, 0, NULL)");
            s.execute("INSERT INTO q.transfer VALUES (1, 1, 2, 10), (2, 1, 2, 5), (3, 2, 3, 7), (4, 3, 1, 1)");
            s.execute("CREATE VIEW q.inflow AS SELECT a.id, COALESCE((SELECT SUM(amount) FROM q.transfer t "
                    + "WHERE t.dst = a.id), 0) AS inflow FROM q.account a");
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static List<String> pks(String where) throws SQLException {
        return column("SELECT pk FROM tab0 WHERE " + where + " ORDER BY pk");
    }

    /** Each row's columns joined by {@code |}. */
    private static List<String> rows(String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = cluster.connect(0, "q"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    private static SQLException failure(String statement) {
        try (Connection c = cluster.connect(0, "q"); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("no error: " + statement);
    }

    private static List<String> column(String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = cluster.connect(0, "sq"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static final String EMPTY = "SELECT col3 FROM tab0 WHERE 10 <= col0 AND col0 IS NULL";
    private static final String[] AT_MOST_92 = {"1", "2", "3", "4", "6", "7", "8", "9"};
    private static final String[] ALL = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

    @Test
    void provablyEmptyInSubqueryOrPredicate() throws SQLException {
        assertThat(pks("(col0 IN (" + EMPTY + ")) OR 92 >= col0")).containsExactly(AT_MOST_92);
        assertThat(pks("92 >= col0 OR col0 IN (" + EMPTY + ")")).containsExactly(AT_MOST_92);
        assertThat(pks("(col0 IN (SELECT col3 FROM tab0 WHERE col0 IS NULL)) OR col0 <= 92")).containsExactly(AT_MOST_92);
        assertThat(pks("(col0 IN (SELECT col3 FROM tab0 WHERE 1 = 0)) OR col0 <= 92")).containsExactly(AT_MOST_92);
    }

    @Test
    void provablyEmptyNotInAndExists() throws SQLException {
        assertThat(pks("(col0 NOT IN (" + EMPTY + ")) OR 92 >= col0")).containsExactly(ALL);
        assertThat(pks("(col0 NOT IN (" + EMPTY + ")) AND 92 >= col0")).containsExactly(AT_MOST_92);
        assertThat(pks("EXISTS (" + EMPTY + ") OR 92 >= col0")).containsExactly(AT_MOST_92);
        assertThat(pks("NOT EXISTS (" + EMPTY + ") AND 92 >= col0")).containsExactly(AT_MOST_92);
        assertThat(pks("(col0 IN (" + EMPTY + ")) AND 92 >= col0")).isEmpty();
        assertThat(pks("col0 IN (" + EMPTY + ")")).isEmpty();
    }

    @Test
    void nonEmptyInSubqueryOrPredicate() throws SQLException {
        // expected rows as computed by SQLite and MySQL on the same data
        assertThat(pks("(col0 IN (SELECT col3 FROM tab0 WHERE col0 > 50)) OR 92 >= col0")).containsExactly(AT_MOST_92);
        assertThat(pks("(col0 IN (SELECT col3 + 7 FROM tab0)) OR col0 < 10")).containsExactly("3", "4");
        assertThat(pks("(col0 IN (SELECT col3 + 7 FROM tab0)) AND col0 > 10")).containsExactly("3");
        assertThat(pks("(col0 NOT IN (SELECT col3 + 7 FROM tab0)) AND col0 > 90")).containsExactly("0", "5");
        assertThat(pks("EXISTS (SELECT 1 FROM tab0 t WHERE t.col3 = tab0.col0 + 7) OR col0 = 96")).containsExactly("0", "4", "9");
    }

    @Test
    void joinWithUnusedGrandTotalOfNoRows() throws SQLException {
        // a grand total has one row even over no rows: the join keeps every row of tab0
        assertThat(column("SELECT t.pk FROM tab0 t CROSS JOIN (SELECT COUNT(*) AS n FROM tab0 WHERE col0 > 1000) x "
                + "ORDER BY t.pk")).containsExactly(ALL);
        assertThat(column("SELECT t.pk FROM tab0 t JOIN (SELECT MAX(col0) AS m FROM tab0 WHERE 1 = 0) x ON TRUE "
                + "WHERE t.col0 > 90 ORDER BY t.pk")).containsExactly("0", "5");
        assertThat(column("SELECT t.pk FROM tab0 t JOIN (SELECT col3 FROM tab0 WHERE col0 > 90 GROUP BY col3) x "
                + "ON x.col3 = t.col3 ORDER BY t.pk")).containsExactly("0", "5");
    }

    private static final String INFLOW = "(SELECT SUM(amount) FROM transfer t WHERE t.dst = a.id)";
    private static final String OUTFLOW = "(SELECT SUM(amount) FROM transfer t WHERE t.src = a.id)";

    @Test
    void coalesceOfCorrelatedScalarSubquery() throws SQLException {
        // was 1105: the validator rewrote COALESCE into a CASE repeating the sub-query, typed NOT NULL, which
        // Calcite converted to a nullable CASE ("failed to preserve datatypes")
        assertThat(rows("SELECT a.id, COALESCE(" + INFLOW + ", 0) FROM account a ORDER BY a.id"))
                .containsExactly("1|1", "2|15", "3|7", "4|0");
        assertThat(rows("SELECT a.id, IFNULL(" + INFLOW + ", 0) FROM account a ORDER BY a.id"))
                .containsExactly("1|1", "2|15", "3|7", "4|0");
        assertThat(rows("SELECT a.id, " + INFLOW + " FROM account a ORDER BY a.id"))
                .containsExactly("1|1", "2|15", "3|7", "4|null");
        assertThat(rows("SELECT a.id, NULLIF((SELECT COUNT(*) FROM transfer t WHERE t.dst = a.id), 0) FROM account a "
                + "ORDER BY a.id")).containsExactly("1|1", "2|2", "3|1", "4|null");
        assertThat(rows("SELECT a.id, a.balance + COALESCE(" + INFLOW + ", 0) - COALESCE(" + OUTFLOW + ", 0) AS b "
                + "FROM account a ORDER BY a.id")).containsExactly("1|86", "2|208", "3|306", "4|0");
        assertThat(rows("SELECT 1000 + COALESCE(" + INFLOW + ", 0) - COALESCE(" + OUTFLOW + ", 0) FROM account a "
                + "ORDER BY a.id")).containsExactly("986", "1008", "1006", "1000");
        assertThat(rows("SELECT SUM(a.balance + COALESCE(" + INFLOW + ", 0) - COALESCE(" + OUTFLOW + ", 0)) "
                + "FROM account a")).containsExactly("600");
        assertThat(rows("SELECT a.id, COALESCE((SELECT MAX(amount) FROM transfer t WHERE t.dst = a.id), "
                + "(SELECT MAX(amount) FROM transfer t WHERE t.src = a.id), -1) FROM account a ORDER BY a.id"))
                .containsExactly("1|1", "2|10", "3|7", "4|-1");
        assertThat(rows("SELECT a.id, COALESCE((SELECT MAX(amount) FROM transfer t WHERE t.dst = a.id), a.balance) "
                + "FROM account a ORDER BY a.id")).containsExactly("1|1", "2|10", "3|7", "4|0");
        assertThat(rows("SELECT a.id, COALESCE((SELECT name FROM account b WHERE b.id = a.id + 1), 'none') "
                + "FROM account a ORDER BY a.id")).containsExactly("1|none", "2|bob", "3|none", "4|none");
        assertThat(rows("SELECT * FROM inflow ORDER BY id")).containsExactly("1|1", "2|15", "3|7", "4|0");
        assertThat(rows("SELECT COALESCE((SELECT SUM(amount) FROM transfer), 0), "
                + "COALESCE((SELECT SUM(amount) FROM transfer WHERE 1 = 0), 0), "
                + "COALESCE((SELECT amount FROM transfer WHERE id = 99), (SELECT amount FROM transfer WHERE id = 3))"))
                .containsExactly("23|0|7");
        // COALESCE and IFNULL without sub-queries keep MySQL's results
        assertThat(rows("SELECT COALESCE(NULL, 'x'), COALESCE(1, 'x'), COALESCE(NULL, NULL, 2.5), IFNULL(NULL, 3), "
                + "IFNULL(2, 3), COALESCE(NULL), COALESCE(NULL, 1) + 1")).containsExactly("x|1|2.5|3|2|null|2");
        assertThat(rows("SELECT COALESCE(balance, name), IFNULL(name, balance) FROM account ORDER BY id"))
                .containsExactly("100|Ann", "200|200", "300|bob", "0|0");
        assertThat(rows("SELECT id, COALESCE(name, 'ANN') FROM account WHERE COALESCE(name, 'ann') = 'ANN' ORDER BY id"))
                .containsExactly("1|Ann", "2|ANN", "4|ANN");
        assertThat(rows("SELECT COALESCE(name, '-') AS n, COUNT(*) FROM account GROUP BY COALESCE(name, '-') ORDER BY n"))
                .containsExactly("-|2", "Ann|1", "bob|1");
        assertThat(rows("SELECT a.id, COALESCE(t.amount, 0) FROM account a LEFT JOIN transfer t ON t.src = a.id "
                + "AND t.amount > 5 ORDER BY a.id")).containsExactly("1|10", "2|7", "3|0", "4|0");
    }

    @Test
    void subqueriesInWhereOrderByAndHaving() throws SQLException {
        assertThat(rows("SELECT a.id FROM account a WHERE COALESCE(" + INFLOW + ", 0) > 5 ORDER BY a.id"))
                .containsExactly("2", "3");
        assertThat(rows("SELECT a.id FROM account a WHERE COALESCE(" + INFLOW + ", 0) = 0 ORDER BY a.id"))
                .containsExactly("4");
        assertThat(rows("SELECT a.id FROM account a ORDER BY COALESCE(" + INFLOW + ", 0) DESC, a.id"))
                .containsExactly("2", "3", "1", "4");
        assertThat(rows("SELECT a.id, COALESCE(" + INFLOW + ", 0) AS i FROM account a ORDER BY i, a.id LIMIT 2"))
                .containsExactly("4|0", "1|1");
        assertThat(rows("SELECT a.id FROM account a WHERE a.balance > COALESCE((SELECT AVG(balance) FROM account), 0) "
                + "ORDER BY a.id")).containsExactly("2", "3");
        assertThat(rows("SELECT t.dst FROM transfer t GROUP BY t.dst HAVING t.dst IN "
                + "(SELECT x.src FROM transfer x WHERE x.amount < 6) ORDER BY t.dst")).containsExactly("1", "3");
        // over the grouped rows as a derived table, a correlated sub-query works …
        assertThat(rows("SELECT g.dst, g.n FROM (SELECT t.dst, SUM(t.amount) AS n FROM transfer t GROUP BY t.dst) g "
                + "WHERE g.n > COALESCE((SELECT MIN(amount) FROM transfer x WHERE x.src = g.dst), 0) ORDER BY g.dst"))
                .containsExactly("2|15", "3|7");
    }

    /**
     * A correlated sub-query in the select list, HAVING or ORDER BY of a grouped query (planned over a derived table
     * of the grouped rows: Calcite read the wrong column, or failed an assertion). Results are MariaDB 10.11's.
     */
    @Test
    void correlatedSubqueriesOfAGroupedQuery() throws SQLException {
        assertThat(rows("SELECT t.dst FROM transfer t GROUP BY t.dst HAVING SUM(t.amount) > "
                + "(SELECT MIN(amount) FROM transfer x WHERE x.src = t.dst) ORDER BY t.dst")).containsExactly("2", "3");
        assertThat(rows("SELECT t.dst FROM transfer t GROUP BY t.dst HAVING SUM(t.amount) > "
                + "COALESCE((SELECT MIN(amount) FROM transfer x WHERE x.src = t.dst), 0) ORDER BY t.dst"))
                .containsExactly("2", "3");
        assertThat(rows("SELECT t.dst FROM transfer t GROUP BY t.dst HAVING EXISTS "
                + "(SELECT 1 FROM transfer x WHERE x.src = t.dst) ORDER BY t.dst")).containsExactly("1", "2", "3");
        assertThat(rows("SELECT t.dst, (SELECT MIN(amount) FROM transfer x WHERE x.src = t.dst) FROM transfer t "
                + "GROUP BY t.dst ORDER BY t.dst")).containsExactly("1|5", "2|7", "3|1");
        // this one answered NULL for every group
        assertThat(rows("SELECT dst, COUNT(*) AS n, (SELECT MAX(amount) FROM transfer x WHERE x.src = t.dst) + 1 AS m "
                + "FROM transfer t GROUP BY dst ORDER BY m DESC, dst")).containsExactly("1|1|11", "2|2|8", "3|1|2");
        assertThat(rows("SELECT DISTINCT COUNT(*), (SELECT COUNT(*) FROM account a WHERE a.id = t.src) FROM transfer t "
                + "GROUP BY t.src ORDER BY 1")).containsExactly("1|1", "2|1");
        assertThat(rows("SELECT t.src, SUM(t.amount), (SELECT name FROM account a WHERE a.id = t.src) FROM transfer t "
                + "WHERE t.amount > 1 GROUP BY t.src ORDER BY 1 LIMIT 2")).containsExactly("1|15|Ann", "2|7|null");
        // a column neither grouped nor aggregated: ONLY_FULL_GROUP_BY's 1055 (MariaDB without it takes any row's)
        assertThat(failure("SELECT t.dst, (SELECT MIN(amount) FROM transfer x WHERE x.src = t.src) FROM transfer t "
                + "GROUP BY t.dst").getErrorCode()).isEqualTo(1055);
    }

    @Test
    void countExistsAndInInTheSelectList() throws SQLException {
        assertThat(rows("SELECT a.id, (SELECT COUNT(*) FROM transfer t WHERE t.dst = a.id), "
                + "(SELECT COUNT(*) FROM transfer t WHERE t.dst = a.id) + 1 FROM account a ORDER BY a.id"))
                .containsExactly("1|1|2", "2|2|3", "3|1|2", "4|0|1");
        assertThat(rows("SELECT a.id FROM account a WHERE (SELECT COUNT(*) FROM transfer t WHERE t.src = a.id) = 0"))
                .containsExactly("4");
        assertThat(rows("SELECT a.id, EXISTS (SELECT 1 FROM transfer t WHERE t.dst = a.id), "
                + "NOT EXISTS (SELECT 1 FROM transfer t WHERE t.src = a.id), a.id IN (SELECT dst FROM transfer), "
                + "a.id NOT IN (SELECT src FROM transfer) FROM account a ORDER BY a.id"))
                .containsExactly("1|1|0|1|0", "2|1|0|1|0", "3|1|0|1|0", "4|0|1|0|1");
        assertThat(rows("SELECT a.id, a.id IN (SELECT t.dst FROM transfer t WHERE t.amount > a.id * 3) FROM account a "
                + "ORDER BY a.id")).containsExactly("1|0", "2|1", "3|0", "4|0");
        assertThat(rows("SELECT a.id, " + INFLOW + " IS NULL FROM account a ORDER BY a.id"))
                .containsExactly("1|0", "2|0", "3|0", "4|1");
        assertThat(rows("SELECT a.id, (SELECT COUNT(*) FROM transfer t WHERE t.dst = a.id "
                + "AND t.amount > (SELECT MIN(amount) FROM transfer)) FROM account a ORDER BY a.id"))
                .containsExactly("1|0", "2|2", "3|1", "4|0");
    }

    @Test
    void scalarSubqueryOfSeveralRowsIs1242() {
        for (String statement : List.of(
                "SELECT a.id, (SELECT amount FROM transfer t WHERE t.src = a.id) FROM account a",
                "SELECT (SELECT id FROM account)",
                "SELECT (SELECT 1 UNION ALL SELECT 2)",
                "SELECT id FROM account WHERE id = (SELECT dst FROM transfer)",
                "UPDATE account SET balance = (SELECT amount FROM transfer)",
                "DELETE FROM transfer WHERE id = (SELECT id FROM account)")) {
            SQLException e = failure(statement);
            assertThat(e.getErrorCode()).as(statement).isEqualTo(1242);
            assertThat(e.getSQLState()).isEqualTo("21000");
            assertThat(e.getMessage()).isEqualTo("Subquery returns more than 1 row");
        }
    }

    /** MySQL 8's 1093 (MariaDB 10.3+ runs these over the table as it was before the statement). */
    @Test
    void aSubqueryOfUpdateOrDeleteMayNotReadTheTargetDirectly() throws SQLException {
        try (Connection c = cluster.connect(0, "q"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE self (id INT PRIMARY KEY, v INT NOT NULL)");
            s.execute("INSERT INTO self VALUES (1, 100), (2, 200), (3, 300)");
            for (String statement : List.of(
                    "UPDATE self SET v = v + 1 WHERE id IN (SELECT id FROM self WHERE v > 100)",
                    "UPDATE self SET v = (SELECT MAX(v) FROM q.self)",
                    "UPDATE self s SET v = 0 WHERE v < (SELECT AVG(x.v) FROM self x WHERE x.id <> s.id)",
                    "DELETE FROM self WHERE id IN (SELECT a.id FROM self a)",
                    "DELETE FROM self WHERE EXISTS (SELECT 1 FROM account a JOIN SELF b ON b.id = a.id WHERE b.v > self.v)")) {
                SQLException e = failure(statement);
                assertThat(e.getErrorCode()).as(statement).isEqualTo(1093);
                assertThat(e.getMessage()).isEqualTo("You can't specify target table 'self' for update in FROM clause");
            }
            // through a derived table (materialized first in MySQL): the rows as they were before the statement
            assertThat(s.executeUpdate("UPDATE self SET v = v + 1 WHERE id IN "
                    + "(SELECT id FROM (SELECT id FROM self WHERE v > 100) AS d)")).isEqualTo(2);
            assertThat(s.executeUpdate("DELETE FROM self WHERE v > (SELECT m FROM (SELECT MIN(v) AS m FROM self) AS d)"))
                    .isEqualTo(2);
            assertThat(rows("SELECT id, v FROM self")).containsExactly("1|100");
        }
    }

    @Test
    void subqueriesInUpdateAndDelete() throws SQLException {
        try (Connection c = cluster.connect(0, "q"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE acct (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            s.execute("CREATE TABLE xfer (id BIGINT PRIMARY KEY, src INT NOT NULL, dst INT NOT NULL, amount BIGINT NOT NULL)");
            s.execute("INSERT INTO acct VALUES (1, 100), (2, 200), (3, 300), (4, 0)");
            s.execute("INSERT INTO xfer VALUES (1, 1, 2, 10), (2, 1, 2, 5), (3, 2, 3, 7), (4, 3, 1, 1)");
            assertThat(s.executeUpdate("UPDATE acct a SET balance = balance "
                    + "+ COALESCE((SELECT SUM(amount) FROM xfer t WHERE t.dst = a.id), 0) "
                    + "- COALESCE((SELECT SUM(amount) FROM xfer t WHERE t.src = a.id), 0)")).isEqualTo(4);
            assertThat(rows("SELECT id, balance FROM acct ORDER BY id")).containsExactly("1|86", "2|208", "3|306", "4|0");
            s.executeUpdate("UPDATE acct SET balance = (SELECT COUNT(*) FROM xfer t WHERE t.dst = acct.id) WHERE id = 4");
            s.executeUpdate("UPDATE acct SET balance = balance + 1 WHERE id IN (SELECT dst FROM xfer WHERE amount > 6)");
            assertThat(rows("SELECT id, balance FROM acct ORDER BY id")).containsExactly("1|86", "2|209", "3|307", "4|0");
            assertThat(s.executeUpdate("DELETE FROM acct WHERE NOT EXISTS "
                    + "(SELECT 1 FROM xfer t WHERE t.src = acct.id OR t.dst = acct.id)")).isEqualTo(1);
            // thresholds: dst 2 → 209/20, dst 3 → 307/20, dst 1 → 86/20
            assertThat(s.executeUpdate("DELETE FROM xfer WHERE amount < "
                    + "COALESCE((SELECT balance FROM acct a WHERE a.id = xfer.dst), 0) / 20")).isEqualTo(4);
            assertThat(rows("SELECT id FROM acct ORDER BY id")).containsExactly("1", "2", "3");
            assertThat(rows("SELECT COUNT(*) FROM xfer")).containsExactly("0");
        }
    }
}
