package io.cairn.sql.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.node.testing.Wait;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Result sets stream to the client (issue 18): a query of {@link #ROWS} generated rows (a cross join of a
 * 1000-row table with a {@code ROWS/1000}-row one, so nothing that big is stored) read with Connector/J's
 * streaming result set and with server-side cursors, while the heap of this JVM — server and client both —
 * stays flat; an error in the middle of a result; a client that goes away mid-result.
 *
 * <p>The 10M-row check of the issue is the same test with {@code -Dcairn.stream.rows=10000000} (not in the
 * default run: about ten times as long).
 */
class StreamingIT {
    /** Rows of the big query; a multiple of 1000. */
    static final long ROWS = Long.getLong("cairn.stream.rows", 2_000_000L);
    /** Heap growth allowed between the start of a read and its middle: tens of MiB, whatever ROWS is. */
    static final long HEAP_SLACK = 48L << 20;
    static final String BIG_QUERY = "SELECT a.n * " + (ROWS / 1000) + " + b.n AS id, CONCAT('row ', a.n, ':', b.n) AS label"
            + " FROM s.k a CROSS JOIN s.m b";

    static SqlCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = SqlCluster.builder().cns(1).build();
        try (Connection c = cluster.connect(0, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE s");
            s.execute("CREATE TABLE s.k (n INT PRIMARY KEY)");
            s.execute("CREATE TABLE s.m (n INT PRIMARY KEY)");
            insertSeries(s, "s.k", 1000);
            insertSeries(s, "s.m", ROWS / 1000);
        }
    }

    private static void insertSeries(Statement s, String table, long count) throws SQLException {
        for (long from = 0; from < count; from += 1000) {
            StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
            for (long i = from; i < Math.min(count, from + 1000); i++) {
                sql.append(i == from ? "" : ",").append('(').append(i).append(')');
            }
            s.execute(sql.toString());
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static Connection connect(String options) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "root");
        p.setProperty("password", "");
        return DriverManager.getConnection(cluster.mysqlUrl(0, "s") + options, p);
    }

    @Test
    void streamingResultSetReadsEveryRowInOrderWithFlatHeap() throws SQLException {
        try (Connection c = connect("");
             Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            s.setFetchSize(Integer.MIN_VALUE); // Connector/J's row-by-row streaming
            readBigResult(() -> s.executeQuery(BIG_QUERY));
        }
        awaitNoOpenTransaction();
    }

    @Test
    void cursorFetchReadsEveryRowInOrderWithFlatHeap() throws SQLException {
        try (Connection c = connect("&useCursorFetch=true&defaultFetchSize=1000");
             PreparedStatement ps = c.prepareStatement(BIG_QUERY)) {
            readBigResult(ps::executeQuery);
            // the same statement again: a new cursor; and other statements after it
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isZero();
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM k")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1000);
            }
        }
        awaitNoOpenTransaction();
    }

    /** Something that runs the query: the heap is measured before, so that a result built whole would count. */
    interface Query {
        ResultSet run() throws SQLException;
    }

    private static void readBigResult(Query query) throws SQLException {
        long before = usedHeapAfterGc();
        ResultSet rs = query.run();
        long middle = -1;
        long expected = 0;
        long m = ROWS / 1000;
        try (rs) {
            while (rs.next()) {
                if (rs.getLong(1) != expected) {
                    assertThat(rs.getLong(1)).as("row %d", expected).isEqualTo(expected);
                }
                if (expected % 99_991 == 0) {
                    assertThat(rs.getString(2)).isEqualTo("row " + expected / m + ":" + expected % m);
                }
                expected++;
                if (expected == ROWS / 2) {
                    middle = usedHeapAfterGc();
                }
            }
        }
        assertThat(expected).isEqualTo(ROWS);
        System.out.printf("StreamingIT: %d rows, used heap after GC before the query %d MiB, in the middle %d MiB%n",
                ROWS, before >> 20, middle >> 20);
        assertThat(middle - before).as("heap growth in the middle of the read (bytes)").isLessThan(HEAP_SLACK);
    }

    /** An overflow at row 500: the rows before it arrive, then MySQL's ERR 1690, and the session goes on. */
    @Test
    void errorInTheMiddleOfAResultComesAfterItsRows() throws SQLException {
        String failing = "SELECT n, CASE WHEN n < 500 THEN n ELSE 9223372036854775807 + n END AS v FROM k";
        try (Connection c = connect("");
             Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            s.setFetchSize(Integer.MIN_VALUE);
            ResultSet rs = s.executeQuery(failing);
            int read = 0;
            try {
                while (rs.next()) {
                    assertThat(rs.getInt(1)).isEqualTo(read);
                    read++;
                }
                throw new AssertionError("no error after " + read + " rows");
            } catch (SQLException e) {
                assertThat(e.getErrorCode()).isEqualTo(1690);
                assertThat(e.getMessage()).contains("BIGINT value is out of range");
            }
            assertThat(read).isEqualTo(500);
            rs.close();
            try (ResultSet ok = s.executeQuery("SELECT 1")) {
                assertThat(ok.next()).isTrue();
            }
            // the default (whole) result set: the error fails the query
            try (Statement plain = c.createStatement()) {
                assertThatThrownBy(() -> plain.executeQuery(failing))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1690));
            }
        }
        try (Connection c = connect("&useCursorFetch=true&defaultFetchSize=100");
             PreparedStatement ps = c.prepareStatement(failing)) {
            int read = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    read++;
                }
                throw new AssertionError("no error after " + read + " rows");
            } catch (SQLException e) {
                assertThat(e.getErrorCode()).isEqualTo(1690);
            }
            assertThat(read).isEqualTo(500);
            try (ResultSet ok = c.createStatement().executeQuery("SELECT 2")) {
                assertThat(ok.next()).isTrue();
            }
        }
        awaitNoOpenTransaction();
    }

    /** A client that vanishes in the middle of a streamed result (or with an open cursor) frees its statement. */
    @Test
    void clientGoneMidResultFreesTheStatement() throws Exception {
        Connection c = connect("");
        Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        s.setFetchSize(Integer.MIN_VALUE);
        ResultSet rs = s.executeQuery(BIG_QUERY);
        for (int i = 0; i < 1000; i++) {
            assertThat(rs.next()).isTrue();
        }
        assertThat(cluster.dataNode(0).openTransactions()).isEqualTo(1); // the streaming statement's
        c.abort(Runnable::run); // closes the socket under the driver
        awaitNoOpenTransaction();

        Connection cc = connect("&useCursorFetch=true&defaultFetchSize=100");
        PreparedStatement ps = cc.prepareStatement(BIG_QUERY);
        ResultSet cursor = ps.executeQuery();
        for (int i = 0; i < 250; i++) {
            assertThat(cursor.next()).isTrue();
        }
        assertThat(cluster.dataNode(0).openTransactions()).isEqualTo(1); // the cursor's
        cc.abort(Runnable::run);
        awaitNoOpenTransaction();
    }

    /** KILL QUERY in the middle of a streamed result: ERR 1317 after the rows sent; KILL: the connection ends. Either frees the statement. */
    @Test
    void killInTheMiddleOfAResultEndsItsStatement() throws Exception {
        for (String kill : new String[] {"KILL QUERY ", "KILL "}) {
            try (Connection c = connect(""); Connection admin = connect("");
                 Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                long id;
                try (ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
                    rs.next();
                    id = rs.getLong(1);
                }
                s.setFetchSize(Integer.MIN_VALUE);
                ResultSet rs = s.executeQuery(BIG_QUERY);
                for (int i = 0; i < 1000; i++) {
                    assertThat(rs.next()).isTrue();
                }
                try (Statement a = admin.createStatement()) {
                    a.execute(kill + id);
                }
                long read = 1000;
                try {
                    while (rs.next()) {
                        read++;
                    }
                    throw new AssertionError(kill + ": no error after " + read + " rows");
                } catch (SQLException e) {
                    if (kill.equals("KILL QUERY ")) {
                        assertThat(e.getErrorCode()).isEqualTo(1317);
                    }
                }
                assertThat(read).isLessThan(ROWS);
                awaitNoOpenTransaction();
            }
        }
    }

    /** Closing a result set early closes the cursor (COM_STMT_RESET/CLOSE) and ends its statement. */
    @Test
    void closingACursorEarlyEndsItsStatement() throws SQLException {
        try (Connection c = connect("&useCursorFetch=true&defaultFetchSize=10")) {
            try (PreparedStatement ps = c.prepareStatement(BIG_QUERY)) {
                ResultSet rs = ps.executeQuery();
                assertThat(rs.next()).isTrue();
                assertThat(cluster.dataNode(0).openTransactions()).isEqualTo(1);
            } // closing the statement closes the cursor
            awaitNoOpenTransaction();
            // inside a transaction: the cursor reads through it and leaves it open
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO m VALUES (" + (ROWS / 1000) + ")");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT n FROM m WHERE n >= ?")) {
                ps.setLong(1, ROWS / 1000 - 5);
                try (ResultSet rs = ps.executeQuery()) {
                    int n = 0;
                    while (rs.next()) {
                        n++;
                    }
                    assertThat(n).isEqualTo(6); // the transaction's own row too
                }
            }
            c.rollback();
        }
        awaitNoOpenTransaction();
    }

    private static void awaitNoOpenTransaction() {
        Wait.until("no open transaction on CN 0", Duration.ofSeconds(20),
                () -> cluster.dataNode(0).openTransactions() == 0);
    }

    private static long usedHeapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
