package io.cairn.mysql.fuzz;

import io.cairn.mysql.fuzz.WireClient.Answer;
import io.cairn.mysql.fuzz.WireClient.Outcome;
import io.cairn.mysql.fuzz.WireClient.Shape;
import io.cairn.mysql.server.Capabilities;
import io.cairn.mysql.server.Commands;
import io.cairn.mysql.server.Handshake;
import io.cairn.mysql.server.PacketBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One fuzz case as its body sees it: the target, a random source seeded for this case alone, helpers
 * to connect and log in, and the checks that turn what the server did into findings. A case body
 * never asserts: it reports ({@link #report}) and goes on, or stops with {@link Abort}.
 */
public final class FuzzCase {
    /** A server answers a bad packet within this, or it hangs (generous: the machine may be loaded). */
    public static final long ANSWER_MILLIS = 5_000;
    /**
     * Extra time a server gets beyond its own timeout before a stalled connection counts as held forever. Its
     * timeout starts only once its output is stuck, which on a loaded machine comes late (3 s was too short at load 15).
     */
    static final long SLACK_MILLIS = 8_000;

    /** What a finding is. */
    public enum Category { CRASH, LIVENESS, HANG, WRONG_ANSWER, INTERNAL_ERROR }

    /** Ends a case body early (after a finding that makes going on pointless). */
    public static final class Abort extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abort(String why) {
            super(why, null, false, false);
        }
    }

    /** Where findings and watched connections go (the runner). */
    interface Sink {
        void report(FuzzKind kind, long seed, Category category, String detail);

        /** Checks, later and on another thread, that the server closes {@code client}. */
        void watchClose(FuzzKind kind, long seed, WireClient client, long serverTimeoutMillis, boolean read);
    }

    public final FuzzTarget target;
    public final FuzzKind kind;
    public final long seed;
    public final Random rnd;
    private final Sink sink;
    private final List<WireClient> open = new ArrayList<>();
    /** Whether the case's connection may end with a close the body did not ask for (e.g. a write failing). */
    boolean closeAllowed = true;
    private Handshake.Greeting greeting;
    /** The receive buffer of the connections this case opens; 0: the system's. */
    private int receiveBufferBytes;
    private int connections;

    FuzzCase(FuzzTarget target, FuzzKind kind, long seed, Sink sink) {
        this.target = target;
        this.kind = kind;
        this.seed = seed;
        this.rnd = new Random(seed);
        this.sink = sink;
    }

    /** Connections this case opened. */
    int connections() {
        return connections;
    }

    public void report(Category category, String detail) {
        sink.report(kind, seed, category, detail);
    }

    // ---- connecting ----

    public WireClient connect() throws IOException {
        WireClient w = WireClient.connect(target.host(), target.port(), (int) ANSWER_MILLIS, receiveBufferBytes);
        open.add(w);
        connections++;
        return w;
    }

    /** Connects and reads the greeting. */
    public WireClient greeted() throws IOException {
        WireClient w = connect();
        greeting = w.readGreeting(ANSWER_MILLIS);
        return w;
    }

    public Handshake.Greeting greeting() {
        return greeting;
    }

    /** Capabilities of a login: the required ones and a random choice of the rest. */
    public int capabilities() {
        int caps = WireClient.BASE_CAPABILITIES;
        int[] optional = {Capabilities.DEPRECATE_EOF, Capabilities.MULTI_STATEMENTS, Capabilities.PS_MULTI_RESULTS,
                Capabilities.FOUND_ROWS, Capabilities.IGNORE_SPACE, Capabilities.INTERACTIVE, Capabilities.LONG_FLAG,
                Capabilities.SESSION_TRACK, Capabilities.LOCAL_FILES};
        for (int o : optional) {
            if (rnd.nextBoolean()) {
                caps |= o;
            }
        }
        return caps;
    }

    /** A connection logged in as the target's user (over TLS sometimes, when the target offers it). */
    /**
     * Logged in on a connection whose receive buffer holds only {@code bytes}, for a client that stops reading:
     * with the system's buffer, which may grow to tens of MiB, a server's answers could all fit in it and the
     * server would rightly never see a client that does not read.
     */
    public WireClient loggedInWithReceiveBuffer(int bytes) throws IOException {
        receiveBufferBytes = bytes;
        try {
            return loggedIn();
        } finally {
            receiveBufferBytes = 0;
        }
    }

    public WireClient loggedIn() throws IOException {
        return loggedIn(capabilities());
    }

    public WireClient loggedIn(int caps) throws IOException {
        WireClient w = greeted();
        int seq = 1;
        if (target.tls() && rnd.nextInt(5) == 0) {
            w.writePacket(1, sslRequest(caps));
            w.startTls(ANSWER_MILLIS);
            seq = 2;
        }
        Answer a = w.login(greeting, caps, target.user(), target.password(), target.database(), seq, ANSWER_MILLIS);
        if (a.outcome() != Outcome.OK) {
            report(a.outcome() == Outcome.SILENT ? Category.HANG : Category.LIVENESS, "a fuzz client's login got " + a);
            throw new Abort("login failed");
        }
        return w;
    }

    /** An SSLRequest payload (the 32-byte handshake response with CLIENT_SSL). */
    public static byte[] sslRequest(int caps) {
        return new PacketBuilder(32).i32(caps | Capabilities.SSL).i32(1 << 24).u8(255).zeros(23).toByteArray();
    }

    /** Prepares {@code sql}; returns the statement id (aborts when the server refuses). */
    public int prepare(WireClient w, String sql) throws IOException {
        w.command(Commands.STMT_PREPARE, sql.getBytes(StandardCharsets.UTF_8));
        Answer a = read(w, Shape.PREPARE);
        if (a.outcome() != Outcome.OK) {
            report(a.outcome() == Outcome.SILENT ? Category.HANG : Category.WRONG_ANSWER,
                    "preparing '" + abbreviate(sql) + "' got " + a);
            throw new Abort("prepare failed");
        }
        byte[] p = a.first();
        return (p[1] & 0xFF) | (p[2] & 0xFF) << 8 | (p[3] & 0xFF) << 16 | (p[4] & 0xFF) << 24;
    }

    /** The target's echo statement with {@code n} parameters. */
    public String echo(int n) {
        StringBuilder b = new StringBuilder(target.echoPrefix());
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "?" : ", ?");
        }
        return b.toString();
    }

    // ---- checking ----

    public Answer read(WireClient w, Shape shape) throws IOException {
        return w.read(shape, ANSWER_MILLIS);
    }

    /**
     * Checks an answer; returns whether the connection can go on (it was neither closed nor ended by
     * a fatal error, whose close is checked here).
     */
    public boolean expect(String step, WireClient w, Answer a, Expect e) {
        if (a.outcome() == Outcome.SILENT) {
            report(Category.HANG, step + ": no answer and no close within " + ANSWER_MILLIS + " ms (expected " + e + ")");
            return false;
        }
        String problem = e.problem(a);
        if (problem != null) {
            report(Category.WRONG_ANSWER, step + ": " + problem);
        }
        if (a.outcome() == Outcome.ERR && Expect.FATAL.contains(a.code())) {
            expectClosed(step + " (after ERR " + a.code() + ")", w);
            return false;
        }
        return a.outcome() != Outcome.CLOSED && problem == null;
    }

    /** The server must close the connection soon. */
    public void expectClosed(String step, WireClient w) {
        if (!w.awaitClose(ANSWER_MILLIS)) {
            report(Category.HANG, step + ": the server did not close the connection within " + ANSWER_MILLIS + " ms");
        }
    }

    /** The connection still works: COM_PING gets its OK. */
    public void expectUsable(String step, WireClient w) throws IOException {
        w.command(Commands.PING, new byte[0]);
        Answer a = read(w, Shape.SINGLE);
        if (a.outcome() == Outcome.SILENT) {
            report(Category.HANG, step + ": COM_PING got no answer within " + ANSWER_MILLIS + " ms");
        } else if (a.outcome() != Outcome.OK) {
            report(Category.WRONG_ANSWER, step + ": the connection should still work, but COM_PING got " + a);
        }
    }

    /**
     * After commands that get no answer (or whose answer is {@code before}): COM_STATISTICS must get its
     * "Uptime" string; an answer before it must be allowed by {@code before}.
     */
    public void expectStatistics(String step, WireClient w, Expect before) throws IOException {
        w.command(Commands.STATISTICS, new byte[0]);
        Answer a = read(w, Shape.SINGLE);
        if (isStatistics(a)) {
            return;
        }
        if (!expect(step, w, a, before)) {
            return;
        }
        a = read(w, Shape.SINGLE);
        if (!isStatistics(a)) {
            report(a.outcome() == Outcome.SILENT ? Category.HANG : Category.WRONG_ANSWER,
                    step + ": COM_STATISTICS got " + a);
        }
    }

    private static boolean isStatistics(Answer a) {
        return a.outcome() == Outcome.OTHER && new String(a.first(), StandardCharsets.UTF_8).startsWith("Uptime");
    }

    /**
     * Hands {@code w} to the runner, which checks (meanwhile) that the server closes it within
     * {@code serverTimeout} (plus slack). With {@code read} false the connection is not read until then
     * (a client that stopped reading).
     */
    public void watchClose(WireClient w, Duration serverTimeout, boolean read) {
        open.remove(w);
        sink.watchClose(kind, seed, w, serverTimeout.toMillis(), read);
    }

    /** Closes what the body left open. */
    void finish() {
        for (WireClient w : open) {
            w.abort();
        }
        open.clear();
    }

    // ---- random data ----

    public byte[] bytes(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    public int between(int lo, int hi) {
        return lo + rnd.nextInt(hi - lo + 1);
    }

    public <T> T pick(List<T> choices) {
        return choices.get(rnd.nextInt(choices.size()));
    }

    public int pick(int... choices) {
        return choices[rnd.nextInt(choices.length)];
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…(" + s.length() + " chars)";
    }
}
