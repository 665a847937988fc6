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
 * outer query when it is OR-ed with a predicate that holds.
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
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static List<String> pks(String where) throws SQLException {
        return column("SELECT pk FROM tab0 WHERE " + where + " ORDER BY pk");
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
}
