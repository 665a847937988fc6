package io.cairn.mysql.fuzz;

import io.cairn.mysql.server.Capabilities;
import io.cairn.mysql.server.Commands;
import io.cairn.mysql.server.Handshake;
import io.cairn.mysql.server.MalformedPacketException;
import io.cairn.mysql.server.PacketBuilder;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A hand-driven MySQL client on a plain socket, for sending what real drivers never send: it writes
 * raw packets and bytes, and reads answers with a deadline, telling an answer, a close and silence
 * apart ({@link Answer}). Not thread-safe.
 */
public final class WireClient implements AutoCloseable {
    /** Capabilities every login of this client announces. */
    public static final int BASE_CAPABILITIES = Capabilities.PROTOCOL_41 | Capabilities.SECURE_CONNECTION
            | Capabilities.PLUGIN_AUTH | Capabilities.PLUGIN_AUTH_LENENC_CLIENT_DATA | Capabilities.TRANSACTIONS
            | Capabilities.LONG_PASSWORD | Capabilities.MULTI_RESULTS;

    /** What the server did about a command, or about the connection. */
    public enum Outcome { OK, ERR, ROWS, EOF, OTHER, CLOSED, SILENT }

    /**
     * One answer: an OK, an ERR (code, SQLSTATE, message), a whole result set, an EOF, another single
     * packet (OTHER, e.g. the COM_STATISTICS string or an auth switch), the connection closed, or
     * nothing within the deadline (SILENT).
     */
    public record Answer(Outcome outcome, int code, String sqlState, String message, byte[] first) {
        static Answer of(Outcome outcome) {
            return new Answer(outcome, 0, "", "", new byte[0]);
        }

        @Override
        public String toString() {
            return outcome == Outcome.ERR ? "ERR " + code + " (" + sqlState + ") " + message : outcome.name();
        }
    }

    /** The shape of the answer a command gets, so that it is read whole. */
    public enum Shape { RESULT, PREPARE, FIELD_LIST, SINGLE }

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final String host;
    private final int port;
    private boolean deprecateEof;
    private int lastSeq;
    /** Status flags of the last OK or EOF read. */
    private int lastStatus;

    private WireClient(Socket socket, String host, int port) throws IOException {
        this.socket = socket;
        this.host = host;
        this.port = port;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects within {@code timeoutMillis}. */
    public static WireClient connect(String host, int port, int timeoutMillis) throws IOException {
        return connect(host, port, timeoutMillis, 0);
    }

    /**
     * Connects within {@code timeoutMillis} with a receive buffer of {@code receiveBufferBytes} (0: the system's,
     * which Linux may grow to {@code net.ipv4.tcp_rmem}'s maximum, 32 MiB on some machines).
     */
    public static WireClient connect(String host, int port, int timeoutMillis, int receiveBufferBytes) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            if (receiveBufferBytes > 0) {
                s.setReceiveBufferSize(receiveBufferBytes); // before connect: it sets the window offered
            }
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return new WireClient(s, host, port);
    }

    public Socket socket() {
        return socket;
    }

    /** The sequence id of the last packet read. */
    public int lastSeq() {
        return lastSeq;
    }

    /** Whether result sets end with an OK (CLIENT_DEPRECATE_EOF was announced at login). */
    public void deprecateEof(boolean v) {
        deprecateEof = v;
    }

    // ---- writing ----

    public void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void writeRaw(byte[] bytes, int off, int len) throws IOException {
        out.write(bytes, off, len);
        out.flush();
    }

    /** One physical packet: the payload must be shorter than 0xFFFFFF bytes. */
    public void writePacket(int seq, byte[] payload) throws IOException {
        writeRaw(packet(seq, payload));
    }

    /** A packet with its 4-byte header. */
    public static byte[] packet(int seq, byte[] payload) {
        byte[] b = new byte[payload.length + 4];
        System.arraycopy(header(payload.length, seq), 0, b, 0, 4);
        System.arraycopy(payload, 0, b, 4, payload.length);
        return b;
    }

    public static byte[] header(int length, int seq) {
        return new byte[] {(byte) length, (byte) (length >>> 8), (byte) (length >>> 16), (byte) seq};
    }

    /** A command packet: sequence id 0, the command byte, then {@code body}. */
    public void command(int cmd, byte[] body) throws IOException {
        writePacket(0, commandPayload(cmd, body));
    }

    /** The command byte followed by {@code body}. */
    public static byte[] commandPayload(int cmd, byte[] body) {
        byte[] p = new byte[body.length + 1];
        p[0] = (byte) cmd;
        System.arraycopy(body, 0, p, 1, body.length);
        return p;
    }

    public void query(String sql) throws IOException {
        command(Commands.QUERY, sql.getBytes(StandardCharsets.UTF_8));
    }

    /** Ends the sending direction (TCP FIN); the client may still read. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Closes with a reset instead of a FIN (SO_LINGER 0). */
    public void abort() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // closing anyway
        }
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    // ---- reading ----

    /**
     * Reads one logical packet's payload (physical packets of 0xFFFFFF bytes joined).
     *
     * @throws EOFException           the server closed the connection (also on a reset)
     * @throws SocketTimeoutException nothing within {@code timeoutMillis}
     */
    public byte[] readPacket(long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        ByteArrayOutputStream whole = null;
        while (true) {
            byte[] h = readFully(4, deadline);
            int len = (h[0] & 0xFF) | (h[1] & 0xFF) << 8 | (h[2] & 0xFF) << 16;
            lastSeq = h[3] & 0xFF;
            byte[] payload = readFully(len, deadline);
            if (len < 0xFFFFFF && whole == null) {
                return payload;
            }
            if (whole == null) {
                whole = new ByteArrayOutputStream();
            }
            whole.write(payload);
            if (len < 0xFFFFFF) {
                return whole.toByteArray();
            }
        }
    }

    private byte[] readFully(int n, long deadline) throws IOException {
        byte[] b = new byte[n];
        int at = 0;
        while (at < n) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("no data within the deadline");
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            int r;
            try {
                r = in.read(b, at, n - at);
            } catch (SocketException e) {
                if (socket.isClosed()) {
                    throw e; // closed on our side
                }
                throw new EOFException("reset: " + e.getMessage());
            }
            if (r < 0) {
                throw new EOFException("closed by the server");
            }
            at += r;
        }
        return b;
    }

    /**
     * Reads a whole answer of the given shape (all results of a multi-result answer), or says that the
     * connection was closed or that nothing came within {@code timeoutMillis}.
     */
    public Answer read(Shape shape, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        try {
            while (true) {
                byte[] p = readPacket(left(deadline));
                Answer a = readOne(shape, p, deadline);
                boolean more = (a.outcome() == Outcome.ROWS || a.outcome() == Outcome.OK)
                        && (lastStatus & 0x0008) != 0; // SERVER_MORE_RESULTS_EXISTS
                if (!more) {
                    return a;
                }
            }
        } catch (SocketTimeoutException e) {
            return Answer.of(Outcome.SILENT);
        } catch (EOFException e) {
            return Answer.of(Outcome.CLOSED);
        }
    }

    private static long left(long deadline) {
        return Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
    }

    private Answer readOne(Shape shape, byte[] p, long deadline) throws IOException {
        lastStatus = 0;
        if (p.length == 0) {
            return new Answer(Outcome.OTHER, 0, "", "empty packet", p);
        }
        int h = p[0] & 0xFF;
        if (h == 0xFF) {
            return err(p);
        }
        switch (shape) {
            case SINGLE -> {
                if (h == 0x00 && p.length >= 7) {
                    lastStatus = okStatus(p);
                    return new Answer(Outcome.OK, 0, "", "", p);
                }
                if (h == 0xFE && p.length < 9) {
                    return new Answer(Outcome.EOF, 0, "", "", p);
                }
                return new Answer(Outcome.OTHER, 0, "", "", p);
            }
            case PREPARE -> {
                if (h != 0x00 || p.length < 12) {
                    return new Answer(Outcome.OTHER, 0, "", "bad prepare answer", p);
                }
                int columns = (p[5] & 0xFF) | (p[6] & 0xFF) << 8;
                int params = (p[7] & 0xFF) | (p[8] & 0xFF) << 8;
                skipDefinitions(params, deadline);
                skipDefinitions(columns, deadline);
                return new Answer(Outcome.OK, 0, "", "", p);
            }
            case FIELD_LIST -> {
                byte[] q = p;
                while (!((q[0] & 0xFF) == 0xFE && q.length < 0xFFFFFF)) {
                    if ((q[0] & 0xFF) == 0xFF) {
                        return err(q);
                    }
                    q = readPacket(left(deadline));
                    if (q.length == 0) {
                        return new Answer(Outcome.OTHER, 0, "", "empty packet in a field list", q);
                    }
                }
                return new Answer(Outcome.EOF, 0, "", "", p);
            }
            default -> {
                if (h == 0x00) {
                    lastStatus = okStatus(p);
                    return new Answer(Outcome.OK, 0, "", "", p);
                }
                if (h == 0xFB || h == 0xFE) {
                    return new Answer(Outcome.OTHER, 0, "", "unexpected result header " + h, p);
                }
                long columns = lenenc(p, 0);
                if ((skipColumns(columns, deadline) & 0x0040) != 0) {
                    // SERVER_STATUS_CURSOR_EXISTS: an execute with a cursor flag opened a cursor, rows wait for COM_STMT_FETCH
                    lastStatus = 0x0040;
                    return new Answer(Outcome.ROWS, 0, "", "", p);
                }
                while (true) {
                    byte[] row = readPacket(left(deadline));
                    if (row.length > 0 && (row[0] & 0xFF) == 0xFF) {
                        return err(row);
                    }
                    if (row.length > 0 && (row[0] & 0xFF) == 0xFE && row.length < 0xFFFFFF) {
                        lastStatus = deprecateEof ? okStatus(row) : eofStatus(row);
                        return new Answer(Outcome.ROWS, 0, "", "", p);
                    }
                }
            }
        }
    }

    /** Skips column definitions and the EOF after them (if not deprecated); returns that EOF's status flags, else 0. */
    private int skipColumns(long n, long deadline) throws IOException {
        for (long i = 0; i < n; i++) {
            readPacket(left(deadline));
        }
        if (!deprecateEof) {
            byte[] eof = readPacket(left(deadline));
            return eof.length >= 5 && (eof[0] & 0xFF) == 0xFE ? eofStatus(eof) : 0;
        }
        return 0;
    }

    private void skipDefinitions(int n, long deadline) throws IOException {
        if (n > 0) {
            skipColumns(n, deadline);
        }
    }

    private static Answer err(byte[] p) {
        int code = p.length >= 3 ? (p[1] & 0xFF) | (p[2] & 0xFF) << 8 : -1;
        String state = "";
        int text = 3;
        if (p.length >= 9 && p[3] == '#') {
            state = new String(p, 4, 5, StandardCharsets.US_ASCII);
            text = 9;
        }
        String message = p.length > text ? new String(p, text, p.length - text, StandardCharsets.UTF_8) : "";
        return new Answer(Outcome.ERR, code, state, message, p);
    }

    private static int okStatus(byte[] p) {
        int at = skipLenenc(p, skipLenenc(p, 1));
        return at + 1 < p.length ? (p[at] & 0xFF) | (p[at + 1] & 0xFF) << 8 : 0;
    }

    private static int eofStatus(byte[] p) {
        return p.length >= 5 ? (p[3] & 0xFF) | (p[4] & 0xFF) << 8 : 0;
    }

    private static int skipLenenc(byte[] p, int at) {
        if (at >= p.length) {
            return at;
        }
        int f = p[at] & 0xFF;
        return at + (f < 0xFB ? 1 : f == 0xFC ? 3 : f == 0xFD ? 4 : 9);
    }

    private static long lenenc(byte[] p, int at) {
        int f = p[at] & 0xFF;
        if (f < 0xFB) {
            return f;
        }
        long v = 0;
        int n = f == 0xFC ? 2 : f == 0xFD ? 3 : 8;
        for (int i = n; i >= 1; i--) {
            v = v << 8 | (at + i < p.length ? p[at + i] & 0xFF : 0);
        }
        return v;
    }

    /**
     * Reads until the server closes the connection: true when it did within {@code timeoutMillis}
     * (whatever it sent before is dropped), false when it was still open then.
     */
    public boolean awaitClose(long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        byte[] buf = new byte[64 * 1024];
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) left);
                if (in.read(buf) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // a reset is a close
        }
    }

    // ---- handshake ----

    /** Reads the greeting; an ERR instead (1040) comes back as the exception's message. */
    public Handshake.Greeting readGreeting(long timeoutMillis) throws IOException {
        byte[] p = readPacket(timeoutMillis);
        if (p.length > 0 && (p[0] & 0xFF) == 0xFF) {
            throw new IOException("greeting was an error: " + err(p));
        }
        try {
            return Handshake.parseGreeting(p);
        } catch (MalformedPacketException e) {
            throw new IOException("bad greeting: " + e.getMessage(), e);
        }
    }

    /**
     * A HandshakeResponse41 payload as a client builds it.
     *
     * @param authForm 0: lenenc auth data (needs PLUGIN_AUTH_LENENC_CLIENT_DATA), 1: one length byte,
     *                 2: NUL-terminated; the capability bits are set to match
     */
    public static byte[] handshakeResponse(int capabilities, String user, byte[] auth, String database,
            String plugin, Map<String, String> attributes, int authForm) {
        int caps = capabilities & ~(Capabilities.PLUGIN_AUTH_LENENC_CLIENT_DATA | Capabilities.SECURE_CONNECTION);
        caps |= authForm == 0 ? Capabilities.PLUGIN_AUTH_LENENC_CLIENT_DATA | Capabilities.SECURE_CONNECTION
                : authForm == 1 ? Capabilities.SECURE_CONNECTION : 0;
        if (database != null) {
            caps |= Capabilities.CONNECT_WITH_DB;
        }
        if (plugin != null) {
            caps |= Capabilities.PLUGIN_AUTH;
        }
        if (attributes != null) {
            caps |= Capabilities.CONNECT_ATTRS;
        }
        PacketBuilder p = new PacketBuilder(128).i32(caps).i32(1 << 24).u8(255).zeros(23).nulString(user);
        switch (authForm) {
            case 0 -> p.lenencBytes(auth);
            case 1 -> p.u8(auth.length).bytes(auth);
            default -> p.bytes(auth).u8(0);
        }
        if (database != null) {
            p.nulString(database);
        }
        if (plugin != null) {
            p.nulString(plugin);
        }
        if (attributes != null) {
            PacketBuilder a = new PacketBuilder();
            attributes.forEach((k, v) -> a.lenencString(k).lenencString(v));
            p.lenenc(a.length()).bytes(a.array(), 0, a.length());
        }
        return p.toByteArray();
    }

    /** The scramble a client sends for {@code password} and {@code nonce} with {@code plugin}. */
    public static byte[] scramble(String plugin, String password, byte[] nonce) {
        if (password.isEmpty()) {
            return new byte[0];
        }
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        if ("mysql_native_password".equals(plugin)) {
            byte[] h1 = digest("SHA-1", pw);
            byte[] h2 = digest("SHA-1", h1);
            return xor(h1, digest("SHA-1", nonce, h2));
        }
        byte[] h1 = digest("SHA-256", pw);
        byte[] h2 = digest("SHA-256", h1);
        return xor(h1, digest("SHA-256", h2, nonce));
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] r = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (byte) (a[i] ^ b[i]);
        }
        return r;
    }

    private static byte[] digest(String algorithm, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            for (byte[] part : parts) {
                md.update(part);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Logs in (answering an auth switch and caching_sha2's fast-auth result) and returns the final
     * answer: OK when logged in.
     */
    public Answer login(Handshake.Greeting greeting, int capabilities, String user, String password, String database,
            int firstSeq, long timeoutMillis) throws IOException {
        String plugin = "caching_sha2_password";
        deprecateEof = (capabilities & Capabilities.DEPRECATE_EOF) != 0;
        writePacket(firstSeq, handshakeResponse(capabilities, user, scramble(plugin, password, greeting.nonce()),
                database, plugin, null, 0));
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        try {
            while (true) {
                byte[] p = readPacket(left(deadline));
                int h = p.length == 0 ? -1 : p[0] & 0xFF;
                if (h == 0x00 || h == 0xFF) {
                    return h == 0 ? new Answer(Outcome.OK, 0, "", "", p) : err(p);
                }
                if (h == 0x01) {
                    continue; // fast-auth result; the OK follows
                }
                if (h == 0xFE) { // auth switch: plugin name, nonce
                    int nul = indexOf(p, 1, (byte) 0);
                    String switchTo = new String(p, 1, nul - 1, StandardCharsets.US_ASCII);
                    byte[] nonce = java.util.Arrays.copyOfRange(p, nul + 1, Math.max(nul + 1, p.length - 1));
                    writePacket(lastSeq + 1, scramble(switchTo, password, nonce));
                    continue;
                }
                return new Answer(Outcome.OTHER, 0, "", "unexpected login packet", p);
            }
        } catch (SocketTimeoutException e) {
            return Answer.of(Outcome.SILENT);
        } catch (EOFException e) {
            return Answer.of(Outcome.CLOSED);
        }
    }

    static int indexOf(byte[] b, int from, byte v) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return b.length;
    }

    /** Switches to TLS after an SSLRequest (any certificate is trusted: a test client). */
    public void startTls(long timeoutMillis) throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
            SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(socket, host, port, true);
            tls.setSoTimeout((int) timeoutMillis);
            tls.startHandshake();
            socket = tls;
            in = tls.getInputStream();
            out = tls.getOutputStream();
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
