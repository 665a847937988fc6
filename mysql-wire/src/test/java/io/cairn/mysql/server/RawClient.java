package io.cairn.mysql.server;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Test helper: a hand-driven protocol client on a plain socket, for sending what real drivers never send. */
final class RawClient implements AutoCloseable {
    private final Socket socket = new Socket();
    private final DataInputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Reads the greeting and logs in as root with the empty password; returns the greeting payload. */
    byte[] login() throws IOException {
        byte[] greeting = readPacket();
        PacketBuilder p = new PacketBuilder()
                .i32(Capabilities.PROTOCOL_41 | Capabilities.SECURE_CONNECTION | Capabilities.PLUGIN_AUTH
                        | Capabilities.PLUGIN_AUTH_LENENC_CLIENT_DATA | Capabilities.DEPRECATE_EOF
                        | Capabilities.TRANSACTIONS)
                .i32(1 << 24).u8(255).zeros(23).nulString("root").lenenc(0).nulString("caching_sha2_password");
        writePacket(1, p.toByteArray());
        byte[] ok = readPacket();
        if (ok[0] != 0) {
            throw new IOException("login failed: " + new String(ok, StandardCharsets.UTF_8));
        }
        return greeting;
    }

    void writePacket(int seq, byte[] payload) throws IOException {
        writeRaw(header(payload.length, seq));
        writeRaw(payload);
    }

    static byte[] header(int length, int seq) {
        return new byte[] {(byte) length, (byte) (length >>> 8), (byte) (length >>> 16), (byte) seq};
    }

    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one packet's payload. */
    byte[] readPacket() throws IOException {
        byte[] h = new byte[4];
        in.readFully(h);
        int len = (h[0] & 0xFF) | (h[1] & 0xFF) << 8 | (h[2] & 0xFF) << 16;
        byte[] payload = new byte[len];
        in.readFully(payload);
        return payload;
    }

    /** Error code of an ERR payload. */
    static int errorCode(byte[] payload) {
        if ((payload[0] & 0xFF) != 0xFF) {
            throw new AssertionError("not an ERR packet: first byte " + (payload[0] & 0xFF));
        }
        return (payload[1] & 0xFF) | (payload[2] & 0xFF) << 8;
    }

    /** Reads until the server closes the connection; true when it did (EOF or reset) within the timeout. */
    boolean closedByServer() throws IOException {
        InputStream raw = socket.getInputStream();
        byte[] buf = new byte[4096];
        try {
            while (raw.read(buf) >= 0) {
                // drain whatever the server sent before closing
            }
            return true;
        } catch (EOFException | java.net.SocketException e) {
            return true; // reset counts as closed
        }
    }

    /** True when nothing arrives (and the server does not close) for {@code millis}. */
    boolean quietFor(long millis) throws IOException {
        socket.setSoTimeout((int) millis);
        try {
            return socket.getInputStream().read() < -1; // any byte or EOF: not quiet
        } catch (java.net.SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
