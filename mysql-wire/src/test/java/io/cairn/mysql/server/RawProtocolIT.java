package io.cairn.mysql.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Protocol abuse over a raw socket: garbage, truncation, wrong sequence ids, oversized packets. Each must
 * end (at most) the offending connection; the server must keep serving new ones.
 */
class RawProtocolIT {
    private static final int MAX_PACKET = 64 * 1024;
    private static FakeEngine engine;

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    @BeforeAll
    static void start() throws InterruptedException {
        engine = FakeEngine.start(b -> b.maxAllowedPacket(MAX_PACKET).connectTimeout(TIMEOUT).netReadTimeout(TIMEOUT)
                .netWriteTimeout(TIMEOUT));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @AfterEach
    void serverStillServes() throws SQLException {
        try (Connection c = DriverManager.getConnection(engine.url("mysql", "root", "", ""));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    void unknownCommandIsAnErrorAndTheConnectionStaysOpen() throws IOException {
        try (RawClient c = new RawClient(engine.port())) {
            c.login();
            c.writePacket(0, new byte[] {(byte) 0x7f, 1, 2, 3});
            assertThat(RawClient.errorCode(c.readPacket())).isEqualTo(1047);
            c.writePacket(0, new byte[] {Commands.PING});
            assertThat(c.readPacket()[0]).isEqualTo((byte) 0);
        }
    }

    @Test
    void garbageHandshakeResponseClosesTheConnection() throws IOException {
        try (RawClient c = new RawClient(engine.port())) {
            c.readPacket();
            c.writePacket(1, new byte[] {1, 2, 3, 4, 5});
            assertThat(RawClient.errorCode(c.readPacket())).isEqualTo(1835);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void malformedCommandClosesTheConnection() throws IOException {
        try (RawClient c = new RawClient(engine.port())) {
            c.login();
            // COM_STMT_EXECUTE cut short after two bytes of the statement id
            c.writePacket(0, new byte[] {Commands.STMT_EXECUTE, 1, 0});
            assertThat(RawClient.errorCode(c.readPacket())).isEqualTo(1835);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void wrongSequenceIdClosesTheConnection() throws IOException {
        try (RawClient c = new RawClient(engine.port())) {
            c.login();
            c.writePacket(5, new byte[] {Commands.PING});
            assertThat(RawClient.errorCode(c.readPacket())).isEqualTo(1156);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void truncatedPacketThenDisconnectLeavesTheServerHealthy() throws IOException, InterruptedException {
        int before = engine.closedSessions();
        try (RawClient c = new RawClient(engine.port())) {
            c.login();
            c.writeRaw(RawClient.header(1000, 0));
            c.writeRaw(new byte[] {Commands.QUERY, 'S', 'E'});
        }
        assertThat(engine.awaitClosedSessions(before + 1, 10_000)).as("session of the vanished client closed").isTrue();
    }

    @Test
    void oversizedPacketGetsError1153ThenClose() throws IOException {
        try (RawClient c = new RawClient(engine.port())) {
            c.login();
            byte[] payload = new byte[MAX_PACKET + 10];
            payload[0] = Commands.QUERY;
            c.writePacket(0, payload);
            assertThat(RawClient.errorCode(c.readPacket())).isEqualTo(1153);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void oversizedQueryFromConnectorJIsSqlException1153() {
        // the fixture reports a huge max_allowed_packet, so the driver sends and the server refuses
        String big = "SELECT '" + "x".repeat(MAX_PACKET) + "'";
        try (Connection c = DriverManager.getConnection(engine.url("mysql", "root", "", ""));
             Statement s = c.createStatement()) {
            s.execute(big);
            throw new AssertionError("expected an error");
        } catch (SQLException e) {
            assertThat(e.getErrorCode()).isEqualTo(1153);
        }
    }

    @Test
    void anAuthenticatorThatThrowsGetsTheClientError1105AndACloseNotAHang() throws IOException {
        try (RawClient c = new RawClient(engine.port())) {
            c.readPacket();
            c.writePacket(1, new PacketBuilder().i32(Capabilities.PROTOCOL_41 | Capabilities.SECURE_CONNECTION
                    | Capabilities.PLUGIN_AUTH | Capabilities.PLUGIN_AUTH_LENENC_CLIENT_DATA).i32(1 << 24).u8(255)
                    .zeros(23).nulString(FakeEngine.FAILING_USER).lenenc(0).nulString("caching_sha2_password")
                    .toByteArray());
            assertThat(RawClient.errorCode(c.readPacket())).isEqualTo(1105);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aHandshakePacketBiggerThan64KiBIsRefusedBeforeItIsRead() throws IOException {
        try (RawClient c = new RawClient(engine.port())) {
            c.readPacket();
            c.writeRaw(RawClient.header(MysqlServerConfig.MAX_HANDSHAKE_PACKET + 1, 1));
            assertThat(RawClient.errorCode(c.readPacket())).isEqualTo(1153);
        }
    }

    @Test
    void aClientThatDoesNotLogInOrStopsInsideAPacketIsDisconnectedAfterItsTimeout() throws IOException {
        try (RawClient silent = new RawClient(engine.port()); RawClient midPacket = new RawClient(engine.port())) {
            midPacket.login();
            midPacket.writeRaw(RawClient.header(100, 0));
            midPacket.writeRaw(new byte[] {Commands.QUERY, 'S'});
            silent.readPacket();
            long t0 = System.nanoTime();
            assertThat(silent.closedByServer()).isTrue();
            assertThat(midPacket.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void anIdleLoggedInConnectionIsNotDisconnected() throws IOException {
        try (RawClient c = new RawClient(engine.port())) {
            c.login();
            // idle for several read timeouts: the server neither sends anything nor closes
            assertThat(c.quietFor(4 * TIMEOUT.toMillis())).isTrue();
            c.writePacket(0, new byte[] {Commands.PING});
            assertThat(c.readPacket()[0]).isEqualTo((byte) 0);
        }
    }

    @Test
    void secondConnectionIsServedWhileOneIsStuckMidPacket() throws IOException, SQLException {
        try (RawClient stuck = new RawClient(engine.port())) {
            stuck.login();
            stuck.writeRaw(RawClient.header(100, 0));
            serverStillServes();
        }
    }
}
