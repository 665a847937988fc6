package io.cairn.mysql.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What every supported driver configuration must see from the wire layer. Subclasses name the driver
 * (URL scheme) and options (text protocol or server-side prepared statements).
 */
abstract class AbstractClientIT {
    static FakeEngine engine;

    @BeforeAll
    static void start() throws InterruptedException {
        engine = FakeEngine.start();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** "mysql" or "mariadb". */
    abstract String scheme();

    /** Extra URL options. */
    abstract String options();

    Connection connect() throws SQLException {
        return DriverManager.getConnection(engine.url(scheme(), "root", "", options()));
    }

    @Test
    void everyColumnTypeFamilyRoundTrips() throws SQLException {
        try (Connection c = connect()) {
            // a PreparedStatement goes binary with useServerPrepStmts, text otherwise; Statement is always text
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM types")) {
                checkTypes(rs);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM types"); ResultSet rs = ps.executeQuery()) {
                checkTypes(rs);
            }
        }
    }

    private static void checkTypes(ResultSet rs) throws SQLException {
        assertThat(rs.getMetaData().getColumnCount()).isEqualTo(13);
        assertThat(rs.getMetaData().getColumnName(9)).isEqualTo("vc");
        assertThat(rs.getMetaData().isSigned(2)).isFalse();
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("id")).isEqualTo(1);
        assertThat(new BigInteger(rs.getString("u"))).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(rs.getBigDecimal("u")).isEqualByComparingTo("18446744073709551615");
        assertThat(rs.getInt("i")).isEqualTo(Integer.MIN_VALUE);
        assertThat(rs.getShort("s")).isEqualTo((short) -32768);
        assertThat(rs.getByte("t")).isEqualTo((byte) -128);
        assertThat(rs.getBigDecimal("dec")).isEqualByComparingTo("12345678901234.5678");
        assertThat(rs.getDouble("dbl")).isEqualTo(Math.PI);
        assertThat(rs.getFloat("f")).isEqualTo(1.5f);
        assertThat(rs.getString("vc")).isEqualTo("héllo wörld ✓ 日本");
        assertThat(rs.getBytes("bl")).containsExactly(0, 1, 2, 0xff);
        assertThat(rs.getObject("d", LocalDate.class)).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(rs.getObject("dt", LocalDateTime.class))
                .isEqualTo(LocalDateTime.of(2024, 2, 29, 23, 59, 58, 123_456_000));
        assertThat(rs.getObject("tm", LocalTime.class)).isEqualTo(LocalTime.of(12, 34, 56));

        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("id")).isEqualTo(2);
        for (int i = 2; i <= 13; i++) {
            assertThat(rs.getObject(i)).as("column %d", i).isNull();
            assertThat(rs.wasNull()).isTrue();
        }

        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("u")).isZero();
        assertThat(rs.getInt("i")).isEqualTo(Integer.MAX_VALUE);
        assertThat(rs.getBigDecimal("dec")).isEqualByComparingTo("-0.0001");
        assertThat(rs.getDouble("dbl")).isEqualTo(-1e300);
        assertThat(rs.getFloat("f")).isEqualTo(-0.25f);
        assertThat(rs.getString("vc")).isEmpty();
        assertThat(rs.getBytes("bl")).isEmpty();
        assertThat(rs.getObject("d", LocalDate.class)).isEqualTo(LocalDate.of(1970, 1, 1));
        assertThat(rs.getObject("dt", LocalDateTime.class)).isEqualTo(LocalDateTime.of(1970, 1, 1, 0, 0));
        assertThat(rs.getObject("tm", LocalTime.class)).isEqualTo(LocalTime.MIDNIGHT);
        assertThat(rs.next()).isFalse();
    }

    /** Whether PreparedStatements use the binary protocol (else the driver inlines parameters as text). */
    boolean serverPrepared() {
        return options().contains("useServerPrepStmts=true");
    }

    @Test
    void preparedParametersOfEveryTypeRoundTrip() throws SQLException {
        assumeTrue(serverPrepared(), "the fixture echoes parameters only in the binary protocol");
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("SELECT ECHO ?,?,?,?,?,?,?,?,?,?,?,?,?,?")) {
            ps.setLong(1, Long.MIN_VALUE);
            ps.setInt(2, -7);
            ps.setShort(3, (short) 300);
            ps.setByte(4, (byte) -5);
            ps.setBoolean(5, true);
            ps.setBigDecimal(6, new BigDecimal("-1234567890.123456789"));
            ps.setDouble(7, 2.5e-300);
            ps.setFloat(8, 0.1f);
            ps.setString(9, "ünïcödé ✓ 日本");
            ps.setBytes(10, new byte[] {(byte) 0xff, 0, 0x7f});
            ps.setObject(11, LocalDate.of(1999, 12, 31));
            ps.setObject(12, LocalDateTime.of(2038, 1, 19, 3, 14, 7, 999_999_000));
            ps.setNull(13, Types.VARCHAR);
            ps.setTime(14, Time.valueOf(LocalTime.of(23, 5, 1)));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(Long.MIN_VALUE);
                assertThat(rs.getInt(2)).isEqualTo(-7);
                assertThat(rs.getShort(3)).isEqualTo((short) 300);
                assertThat(rs.getByte(4)).isEqualTo((byte) -5);
                assertThat(rs.getBoolean(5)).isTrue();
                assertThat(rs.getBigDecimal(6)).isEqualByComparingTo("-1234567890.123456789");
                assertThat(rs.getDouble(7)).isEqualTo(2.5e-300);
                assertThat(rs.getFloat(8)).isEqualTo(0.1f);
                assertThat(rs.getString(9)).isEqualTo("ünïcödé ✓ 日本");
                assertThat(rs.getBytes(10)).containsExactly(0xff, 0, 0x7f);
                assertThat(rs.getObject(11, LocalDate.class)).isEqualTo(LocalDate.of(1999, 12, 31));
                assertThat(rs.getObject(12, LocalDateTime.class))
                        .isEqualTo(LocalDateTime.of(2038, 1, 19, 3, 14, 7, 999_999_000));
                assertThat(rs.getString(13)).isNull();
                assertThat(rs.getTime(14)).isEqualTo(Time.valueOf(LocalTime.of(23, 5, 1)));
                assertThat(rs.next()).isFalse();
            }
            // re-execute with other values (the driver may skip re-sending types) and all nulls
            for (int i = 1; i <= 14; i++) {
                ps.setNull(i, Types.VARCHAR);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                for (int i = 1; i <= 14; i++) {
                    assertThat(rs.getObject(i)).isNull();
                }
            }
        }
    }

    @Test
    void dateParameterTypes() throws SQLException {
        // (Connector/J binds BigInteger as signed LONGLONG, so unsigned parameters are covered in BinaryParamsTest)
        assumeTrue(serverPrepared(), "the fixture echoes parameters only in the binary protocol");
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT ECHO ?,?,?")) {
            ps.setLong(1, Long.MAX_VALUE);
            ps.setDate(2, Date.valueOf("2020-02-02"));
            ps.setTimestamp(3, Timestamp.valueOf("2001-02-03 04:05:06.5"));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(Long.MAX_VALUE);
                assertThat(rs.getDate(2)).isEqualTo(Date.valueOf("2020-02-02"));
                assertThat(rs.getTimestamp(3)).isEqualTo(Timestamp.valueOf("2001-02-03 04:05:06.5"));
            }
        }
    }

    @Test
    void preparedSelectWithParameter() throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT * FROM types WHERE id = ?")) {
            ps.setLong(1, 3);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt("i")).isEqualTo(Integer.MAX_VALUE);
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void batchInsertReportsCountsAndGeneratedKeys() throws SQLException {
        try (Connection c = connect()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                for (int i = 0; i < 5; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "v" + i);
                    ps.addBatch();
                }
                assertThat(ps.executeBatch()).containsOnly(1).hasSize(5);
            }
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("INSERT INTO t VALUES (1)", Statement.RETURN_GENERATED_KEYS)).isEqualTo(1);
                try (ResultSet keys = s.getGeneratedKeys()) {
                    assertThat(keys.next()).isTrue();
                    assertThat(keys.getLong(1)).isEqualTo(engine.autoIncrement.get());
                }
            }
        }
    }

    @Test
    void transactionStatusFlagsFollowTheHandler() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO t VALUES (1)");
            c.commit();
            s.executeUpdate("INSERT INTO t VALUES (2)");
            c.rollback();
            c.setAutoCommit(true);
            assertThat(c.getAutoCommit()).isTrue();
        }
        // the drivers only send COMMIT/ROLLBACK/SET autocommit when the status flags say they must
        assertThat(engine.queries).contains("COMMIT", "ROLLBACK");
    }

    @Test
    void errorsMapToSqlExceptionsAndTheConnectionStaysUsable() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertError(s, "SELECT * FROM nosuch", 1146, "42S02");
            assertError(s, "DUP", 1062, "23000");
            assertError(s, "DEADLOCK", 1213, "40001");
            assertError(s, "TIMEOUT", 3024, "HY000");
            assertError(s, "this is not sql", 1064, "42000");
            assertError(s, "BOOM", 1105, "HY000");
            assertError(s, "BOOM ERROR", 1105, "HY000");
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
            assertThatThrownBy(() -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT * FROM nosuch WHERE a = ?")) {
                    ps.setInt(1, 1);
                    ps.executeQuery().close();
                }
            }).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1146));
            assertThat(c.isValid(2)).isTrue();
        }
    }

    private static void assertError(Statement s, String sql, int code, String sqlState) {
        assertThatThrownBy(() -> s.execute(sql)).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo(code);
            assertThat(e.getSQLState()).isEqualTo(sqlState);
        });
    }

    @Test
    void largeResultSetStreamsThrough() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT BIG 50000")) {
            int n = 0;
            while (rs.next()) {
                assertThat(rs.getLong(1)).isEqualTo(n);
                n++;
            }
            assertThat(n).isEqualTo(50000);
        }
    }

    @Test
    void largeParameterAndCatalogSwitch() throws SQLException {
        String big = "x".repeat(3 * 1024 * 1024);
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT ECHO ?")) {
            ps.setString(1, big);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(big);
            }
            c.setCatalog("other");
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("other");
            }
        }
    }
}
