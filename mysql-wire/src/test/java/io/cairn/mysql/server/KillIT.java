package io.cairn.mysql.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** KILL QUERY / KILL through {@link MysqlServer#kill}, COM_PROCESS_KILL, status flags, multi-results, COM_INIT_DB. */
class KillIT {
    private static FakeEngine engine;

    @BeforeAll
    static void start() throws InterruptedException {
        engine = FakeEngine.start();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static Connection connect(String options) throws SQLException {
        return DriverManager.getConnection(engine.url("mysql", "root", "", options));
    }

    private static long connectionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void killQueryInterruptsTheStatementAndKeepsTheConnection() throws Exception {
        engine.sleeping = new CountDownLatch(1);
        try (Connection victim = connect(""); Connection killer = connect("")) {
            long id = connectionId(victim);
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
                try (Statement s = victim.createStatement()) {
                    s.execute("SLEEP");
                } catch (SQLException e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(engine.sleeping.await(10, TimeUnit.SECONDS)).isTrue();
            try (Statement s = killer.createStatement()) {
                s.execute("KILL QUERY " + id);
            }
            assertThatThrownBy(() -> running.get(10, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(SQLException.class)
                    .rootCause().satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1317));
            assertThat(connectionId(victim)).isEqualTo(id);
        }
    }

    @Test
    void killConnectionClosesIt() throws Exception {
        try (Connection victim = connect("")) {
            long id = connectionId(victim);
            assertThat(engine.server().kill(id, false)).isTrue();
            assertThatThrownBy(() -> connectionId(victim)).isInstanceOf(SQLException.class);
        }
        assertThat(engine.server().kill(999_999, false)).isFalse();
    }

    @Test
    void comProcessKillIsTheKillStatementOfTheSession() throws Exception {
        try (Connection victim = connect(""); RawClient killer = new RawClient(engine.port())) {
            long id = connectionId(victim);
            killer.login();
            killer.writePacket(0, new PacketBuilder().u8(Commands.PROCESS_KILL).i32((int) id).toByteArray());
            assertThat(killer.readPacket()[0]).isEqualTo((byte) 0);
            assertThat(engine.queries).contains("KILL CONNECTION " + id); // the session decides who may
            assertThatThrownBy(() -> connectionId(victim)).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void multiResultsAreDelivered() throws SQLException {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            assertThat(s.execute("SELECT MULTI")).isTrue();
            try (ResultSet rs = s.getResultSet()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            assertThat(s.getMoreResults()).isFalse();
            assertThat(s.getUpdateCount()).isEqualTo(7);
            assertThat(s.getMoreResults()).isFalse();
            assertThat(s.getUpdateCount()).isEqualTo(-1);
        }
    }

    @Test
    void initDbAndPingAndReset() throws SQLException {
        // MariaDB Connector/J uses COM_INIT_DB for setCatalog, COM_PING for isValid, COM_RESET_CONNECTION on reset
        try (Connection c = DriverManager.getConnection(engine.url("mariadb", "root", "", ""))) {
            c.setCatalog("other");
            assertThat(c.getCatalog()).isEqualTo("other");
            assertThatThrownBy(() -> c.setCatalog("nosuchdb"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1049));
            assertThat(c.isValid(2)).isTrue();
        }
    }
}
