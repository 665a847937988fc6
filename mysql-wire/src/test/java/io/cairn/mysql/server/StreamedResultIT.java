package io.cairn.mysql.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.node.testing.Wait;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streamed result sets ({@code QueryResult.Streamed}) over real sockets against {@link FakeEngine}'s
 * {@code SELECT STREAM n [FAIL k]}: a client that reads nothing stops the engine's producer after a bounded
 * number of rows (back-pressure, on the handler thread), and the stream is closed once the client is gone;
 * an error after some rows arrives as ERR after them, in both protocols and through a cursor.
 */
class StreamedResultIT {
    private static final Duration STEADY = Duration.ofMillis(500);
    private static FakeEngine engine;

    @BeforeAll
    static void start() throws InterruptedException {
        engine = FakeEngine.start(b -> b.netWriteTimeout(Duration.ofSeconds(30)));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void aClientThatReadsNothingHoldsTheProducerBackAndItsDisconnectClosesTheStream() throws Exception {
        long closedBefore = engine.closedStreams.get();
        long rowsBefore = engine.streamedRows.get();
        try (RawClient c = new RawClient(engine.port())) {
            c.login();
            c.writePacket(0, query("SELECT STREAM 100000000"));
            // ~110 bytes a row: 1 MiB high-water mark + a 64 KiB batch + the kernel's socket buffers (loopback
            // auto-tuning: several MiB) is some tens of thousands of rows; without back-pressure the producer
            // would run through all 10^8
            LongSupplier pulled = () -> engine.streamedRows.get() - rowsBefore;
            awaitSteady(pulled);
            assertThat(pulled.getAsLong()).as("rows produced while the client reads nothing").isBetween(1L, 500_000L);
        }
        Wait.until("the stream is closed after the client left", Duration.ofSeconds(20),
                () -> engine.closedStreams.get() > closedBefore);
    }

    @Test
    void anErrorAfterSomeRowsIsSentAfterThemInBothProtocols() throws SQLException {
        for (String options : new String[] {"", "useServerPrepStmts=true", "useServerPrepStmts=true&useCursorFetch=true&defaultFetchSize=7"}) {
            try (Connection c = DriverManager.getConnection(engine.url("mysql", "root", "", options))) {
                int read = 0;
                try (PreparedStatement ps = c.prepareStatement("SELECT STREAM 100 FAIL 40")) {
                    if (!options.contains("useCursorFetch")) {
                        ps.setFetchSize(Integer.MIN_VALUE); // else Connector/J reads all rows before it shows any
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            assertThat(rs.getLong(1)).isEqualTo(read);
                            read++;
                        }
                    }
                    throw new AssertionError("no error with " + options);
                } catch (SQLException e) {
                    assertThat(e.getErrorCode()).as(options).isEqualTo(1317);
                }
                assertThat(read).as(options).isEqualTo(40);
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                    assertThat(rs.next()).isTrue();
                }
                // and a whole one, every row in order
                try (PreparedStatement ps = c.prepareStatement("SELECT STREAM 1000"); ResultSet rs = ps.executeQuery()) {
                    int n = 0;
                    while (rs.next()) {
                        assertThat(rs.getLong(1)).isEqualTo(n++);
                    }
                    assertThat(n).isEqualTo(1000);
                }
            }
        }
    }

    @Test
    void aFetchWithoutAnOpenCursorIs1421() throws IOException {
        try (RawClient c = new RawClient(engine.port())) {
            c.login();
            byte[] sql = "SELECT STREAM 3".getBytes(StandardCharsets.UTF_8);
            byte[] prepare = new byte[sql.length + 1];
            prepare[0] = Commands.STMT_PREPARE;
            System.arraycopy(sql, 0, prepare, 1, sql.length);
            c.writePacket(0, prepare);
            byte[] ok = c.readPacket();
            int id = (ok[1] & 0xFF) | (ok[2] & 0xFF) << 8 | (ok[3] & 0xFF) << 16 | (ok[4] & 0xFF) << 24;
            int columns = (ok[5] & 0xFF) | (ok[6] & 0xFF) << 8;
            for (int i = 0; i < columns; i++) { // definitions (RawClient announces DEPRECATE_EOF: no EOF)
                c.readPacket();
            }
            c.writePacket(0, new PacketBuilder().u8(Commands.STMT_FETCH).i32(id).i32(10).toByteArray());
            assertThat(RawClient.errorCode(c.readPacket())).isEqualTo(1421);
        }
    }

    private static byte[] query(String sql) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[text.length + 1];
        p[0] = Commands.QUERY;
        System.arraycopy(text, 0, p, 1, text.length);
        return p;
    }

    /**
     * Waits until {@code value} is above zero and has not changed for half a second (bounded by 20 s): a
     * producer held back shows only as rows that stop coming.
     */
    private static void awaitSteady(LongSupplier value) {
        long[] last = {-1};
        long[] since = {System.nanoTime()};
        Wait.until("the producer to stop (rows produced unchanged for 500 ms)", Duration.ofSeconds(20), () -> {
            long now = value.getAsLong();
            if (now != last[0]) {
                last[0] = now;
                since[0] = System.nanoTime();
            }
            return now > 0 && System.nanoTime() - since[0] >= STEADY.toNanos();
        });
    }
}
