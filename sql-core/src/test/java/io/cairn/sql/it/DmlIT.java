package io.cairn.sql.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.node.testing.Wait;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Slices 3–4 and 6: queries, UPDATE/DELETE, REPLACE, upserts, unique indexes, prepared and batched statements, metadata. */
class DmlIT {
    static SqlCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = SqlCluster.builder().cns(1).build();
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE shop");
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static List<String> rows(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    @Test
    void droppedAndTruncatedTablesFreeTheirKeys() throws Exception {
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE freeing");
            s.execute("USE freeing");
            java.util.Set<Long> before = cluster.dataNode(0).keyCounts().keySet();
            s.execute("CREATE TABLE gone (id INT PRIMARY KEY, v INT, KEY v_ix (v))");
            s.execute("CREATE TABLE emptied (id INT PRIMARY KEY, v INT)");
            s.executeUpdate("INSERT INTO gone VALUES (1, 10), (2, 20), (3, 30)");
            s.executeUpdate("INSERT INTO emptied VALUES (1, 10), (2, 20)");
            java.util.Set<Long> created = new java.util.TreeSet<>(cluster.dataNode(0).keyCounts().keySet());
            created.removeAll(before);
            created.removeIf(id -> id < 1000); // system key spaces
            assertThat(created).as("rows and index entries of the two tables").hasSize(3);
            s.execute("DROP TABLE gone");
            s.execute("TRUNCATE TABLE emptied");
            s.executeUpdate("INSERT INTO emptied VALUES (3, 30)");
            Wait.until("the key spaces of the dropped and truncated tables freed", java.time.Duration.ofSeconds(10),
                    () -> created.stream().noneMatch(cluster.dataNode(0).keyCounts()::containsKey));
            assertThat(cluster.dataNode(0).keyCounts().keySet()).as("key spaces freed").doesNotContainAnyElementsOf(created);
            ResultSet rs = s.executeQuery("SELECT id, v FROM emptied");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(3);
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void concurrentCreateTablesAllSucceed() throws Exception {
        int n = 8;
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE ddl_race");
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CyclicBarrier start = new CyclicBarrier(n);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int table = i;
                done.add(pool.submit(() -> {
                    try (Connection c = cluster.connect(0, "ddl_race"); Statement s = c.createStatement()) {
                        start.await();
                        s.execute("CREATE TABLE t" + table + " (id INT PRIMARY KEY, v INT)");
                        s.execute("INSERT INTO t" + table + " VALUES (1, " + table + ")");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS); // a DDL that lost to a concurrent one is retried, not refused with 1213
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = cluster.connect(0, "ddl_race"); Statement s = c.createStatement()) {
            assertThat(rows(s, "SHOW TABLES")).hasSize(n);
            assertThat(rows(s, "SELECT v FROM t" + (n - 1))).containsExactly(String.valueOf(n - 1));
        }
    }

    @Test
    void queriesUpdatesDeletesAndUpserts() throws SQLException {
        try (Connection c = cluster.connect(0, "shop"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, price DECIMAL(10,2), "
                    + "UNIQUE KEY uk_name (name))");
            s.execute("CREATE TABLE orders (oid INT AUTO_INCREMENT PRIMARY KEY, item INT, qty INT, KEY ix_item (item))");
            s.execute("INSERT INTO items VALUES (1, 'apple', 1.50), (2, 'pear', 2.25), (3, 'plum', 0.75)");
            s.execute("INSERT INTO orders (item, qty) VALUES (1, 3), (2, 1), (1, 2), (3, 10)");
            assertThat(rows(s, "SELECT i.name, SUM(o.qty) FROM items i JOIN orders o ON o.item = i.id "
                    + "GROUP BY i.name HAVING SUM(o.qty) > 1 ORDER BY i.name"))
                    .containsExactly("apple|5", "plum|10");
            assertThat(rows(s, "SELECT name FROM items WHERE id IN (SELECT item FROM orders WHERE qty >= 2) ORDER BY id LIMIT 1, 1"))
                    .containsExactly("plum");
            assertThat(rows(s, "SELECT id FROM items WHERE id BETWEEN 2 AND 3 ORDER BY id DESC")).containsExactly("3", "2");
            assertThat(rows(s, "SELECT oid FROM orders WHERE item = 1 ORDER BY oid")).containsExactly("1", "3");
            assertThat(rows(s, "SELECT IFNULL(NULL, 'x'), IF(1 > 2, 'a', 'b'), CONCAT('a', 'b'), COALESCE(NULL, 2) FROM DUAL"))
                    .containsExactly("x|b|ab|2");

            assertThat(s.executeUpdate("UPDATE items SET price = price * 2 WHERE id >= 2")).isEqualTo(2);
            assertThat(rows(s, "SELECT price FROM items ORDER BY id")).containsExactly("1.50", "4.50", "1.50");
            assertThatThrownBy(() -> s.executeUpdate("UPDATE items SET name = 'apple' WHERE id = 2"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1062);
                        assertThat(e.getMessage()).isEqualTo("Duplicate entry 'apple' for key 'items.uk_name'");
                    });
            assertThat(rows(s, "SELECT name FROM items WHERE id = 2")).as("failed statement changed nothing").containsExactly("pear");

            s.executeUpdate("REPLACE INTO items VALUES (2, 'apple', 9.99)");
            assertThat(rows(s, "SELECT id, name FROM items ORDER BY id")).containsExactly("2|apple", "3|plum");
            s.executeUpdate("INSERT INTO items VALUES (3, 'fig', 1.00) ON DUPLICATE KEY UPDATE price = price + VALUES(price)");
            assertThat(rows(s, "SELECT name, price FROM items WHERE id = 3")).containsExactly("plum|2.50");
            assertThat(s.executeUpdate("INSERT IGNORE INTO items VALUES (3, 'kiwi', 1.00)")).isZero();

            assertThat(s.executeUpdate("DELETE FROM orders WHERE qty < 3")).isEqualTo(2);
            assertThat(rows(s, "SELECT COUNT(*) FROM orders")).containsExactly("2");
            assertThat(rows(s, "SELECT oid FROM orders WHERE item = 1")).as("index entries follow deletes").containsExactly("1");

            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO items (id) VALUES (9)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1364));
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO items VALUES (9, NULL, 1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1048));
            assertThatThrownBy(() -> s.executeUpdate("CREATE TABLE items (x INT)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1050));
            assertThatThrownBy(() -> s.executeUpdate("DROP TABLE nothing"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1051));
            assertThatThrownBy(() -> s.executeUpdate("USE nothing"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1049));
            s.executeUpdate("CREATE TABLE tiny (v TINYINT)");
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO tiny VALUES (300)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1264));
        }
    }

    @Test
    void preparedStatementsBatchesAndMetadata() throws SQLException {
        try (Connection c = DriverManager.getConnection(cluster.mysqlUrl(0, "shop") + "&useServerPrepStmts=true", "root", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE people (id BIGINT PRIMARY KEY, name VARCHAR(40), born DATE, score DOUBLE)");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO people VALUES (?, ?, ?, ?)")) {
                for (int i = 1; i <= 5; i++) {
                    p.setLong(1, i);
                    p.setString(2, "p'" + i);
                    p.setDate(3, java.sql.Date.valueOf("2000-01-0" + i));
                    p.setDouble(4, i * 1.5);
                    p.addBatch();
                }
                assertThat(p.executeBatch()).hasSize(5);
            }
            try (PreparedStatement p = c.prepareStatement("SELECT name, born, score FROM people WHERE id = ?")) {
                p.setLong(1, 3);
                ResultSet rs = p.executeQuery();
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("p'3");
                assertThat(rs.getDate(2).toString()).isEqualTo("2000-01-03");
                assertThat(rs.getDouble(3)).isEqualTo(4.5);
            }
            DatabaseMetaData md = c.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = md.getTables("shop", null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("people");
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = md.getColumns("shop", null, "people", "%")) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME"));
                }
            }
            assertThat(columns).containsExactly("id:BIGINT", "name:VARCHAR", "born:DATE", "score:DOUBLE");
            try (ResultSet rs = md.getPrimaryKeys("shop", null, "people")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("COLUMN_NAME")).isEqualTo("id");
            }
        }
    }

    @Test
    void mariadbConnector() throws SQLException {
        try (Connection c = DriverManager.getConnection(cluster.mariadbUrl(0, "shop"), "root", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS maria (id INT PRIMARY KEY, v VARCHAR(10))");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO maria VALUES (?, ?)")) {
                p.setInt(1, 1);
                p.setString(2, "one");
                p.executeUpdate();
            }
            assertThat(rows(s, "SELECT v FROM maria WHERE id = 1")).containsExactly("one");
            c.setAutoCommit(false);
            s.executeUpdate("UPDATE maria SET v = 'uno' WHERE id = 1");
            c.rollback();
            assertThat(rows(s, "SELECT v FROM maria")).containsExactly("one");
            try (ResultSet rs = c.getMetaData().getColumns("shop", null, "maria", "%")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("COLUMN_NAME")).isEqualTo("id");
            }
        }
    }
}
