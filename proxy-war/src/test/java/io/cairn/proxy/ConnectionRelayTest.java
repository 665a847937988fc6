package io.cairn.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The relay over real loopback sockets, with small echo servers standing in for compute nodes. */
class ConnectionRelayTest {

    /** An echo server on a free port; counts the connections it accepted. */
    static final class EchoServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Socket> accepted = new CopyOnWriteArrayList<>();
        final Thread thread = new Thread(this::serve);

        EchoServer() throws Exception {
            thread.setDaemon(true);
            thread.start();
        }

        String endpoint() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        private void serve() {
            try {
                while (true) {
                    Socket s = socket.accept();
                    accepted.add(s);
                    Thread echo = new Thread(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (Exception e) {
                            // the test closed the connection
                        }
                    });
                    echo.setDaemon(true);
                    echo.start();
                }
            } catch (Exception closed) {
                // the server socket was closed at the end of the test
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void bytesFlowBothWaysAndConnectionsSpreadOverBackends() throws Exception {
        try (EchoServer a = new EchoServer(); EchoServer b = new EchoServer()) {
            int port = freePort();
            try (ConnectionRelay relay = new ConnectionRelay("127.0.0.1", port,
                    () -> List.of(a.endpoint(), b.endpoint()), ConnectionRelay.LocalBackend.NONE, 100).start()) {
                List<Socket> clients = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    Socket client = new Socket("127.0.0.1", port);
                    clients.add(client);
                    byte[] message = ("hello " + i).repeat(1000).getBytes(StandardCharsets.UTF_8);
                    client.getOutputStream().write(message);
                    byte[] back = new DataInputStream(client.getInputStream()).readNBytes(message.length);
                    assertThat(back).isEqualTo(message);
                }
                assertThat(a.accepted).hasSize(2);
                assertThat(b.accepted).hasSize(2);
                assertThat(relay.connections()).isEqualTo(4);
                for (Socket client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    void withoutAComputeNodeTheClientGetsAMysqlError() throws Exception {
        int port = freePort();
        try (ConnectionRelay relay = new ConnectionRelay("127.0.0.1", port, List::of, ConnectionRelay.LocalBackend.NONE, 100).start();
                Socket client = new Socket("127.0.0.1", port)) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            int length = in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
            assertThat(in.readUnsignedByte()).as("sequence id").isZero();
            byte[] payload = in.readNBytes(length);
            assertThat(payload[0] & 0xff).isEqualTo(0xff);
            assertThat((payload[1] & 0xff) | (payload[2] & 0xff) << 8).isEqualTo(1040);
            assertThat(new String(payload, 3, 6, StandardCharsets.US_ASCII)).isEqualTo("#08004");
            assertThat(new String(payload, 9, payload.length - 9, StandardCharsets.UTF_8)).contains("no compute node");
            assertThat(in.read()).as("closed after the error").isEqualTo(-1);
        }
    }
}
