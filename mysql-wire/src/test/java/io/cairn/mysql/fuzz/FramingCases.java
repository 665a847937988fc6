package io.cairn.mysql.fuzz;

import io.cairn.mysql.fuzz.WireClient.Answer;
import io.cairn.mysql.fuzz.WireClient.Outcome;
import io.cairn.mysql.fuzz.WireClient.Shape;
import io.cairn.mysql.server.Commands;
import io.cairn.mysql.server.PacketBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Cases about packet framing in the command phase: lengths, sequence ids, stalls, closes, pipelining. */
final class FramingCases {
    private static final int MAX_PHYSICAL = 0xFFFFFF;
    private static final byte[] SPACES = new byte[1 << 20];

    static {
        Arrays.fill(SPACES, (byte) ' ');
    }

    private FramingCases() {
    }

    /** A header promising more than is sent, then the client goes away (FIN or reset). */
    static void wrongLengthThenClose(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        int length = c.between(5, 100_000);
        byte[] part = c.bytes(c.rnd.nextInt(length));
        if (part.length > 0) {
            part[0] = Commands.QUERY;
        }
        w.writeRaw(WireClient.header(length, 0));
        w.writeRaw(part);
        if (c.rnd.nextBoolean()) {
            w.close();
        } else {
            w.abort();
        }
    }

    /** A header announcing more than max_allowed_packet: ERR 1153 at once. */
    static void hugeLength(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        long max = c.target.maxAllowedPacket();
        if (max >= MAX_PHYSICAL) {
            multiPacketChain(c);
            return;
        }
        int length = c.between((int) max + 1, MAX_PHYSICAL - 1);
        w.writeRaw(WireClient.header(length, 0));
        w.writeRaw(c.bytes(c.rnd.nextInt(64 * 1024)));
        c.expect("packet of " + length + " bytes (max_allowed_packet " + max + ")", w, c.read(w, Shape.SINGLE),
                Expect.err(1153).orClosed());
    }

    /**
     * A payload of 0xFFFFFF bytes continued by more packets: beyond max_allowed_packet it gets ERR 1153 as
     * soon as the header shows it, the rest is read and dropped, and the connection is closed at its end.
     */
    static void multiPacketChain(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        int tail = c.rnd.nextInt(1000);
        long total = (long) MAX_PHYSICAL + tail;
        boolean tooBig = total > c.target.maxAllowedPacket();
        w.writeRaw(WireClient.header(MAX_PHYSICAL, 0));
        if (tooBig) {
            Answer a = c.read(w, Shape.SINGLE);
            c.expect("a 0xFFFFFF-byte packet (max_allowed_packet " + c.target.maxAllowedPacket() + ")", w, a,
                    Expect.err(1153).orClosed());
            if (a.outcome() != Outcome.ERR) {
                return;
            }
        }
        byte[] select = "?SELECT 1 -- ".getBytes(StandardCharsets.UTF_8); // ? becomes COM_QUERY
        select[0] = Commands.QUERY;
        try {
            w.writeRaw(select);
            for (int left = MAX_PHYSICAL - select.length; left > 0; left -= SPACES.length) {
                w.writeRaw(SPACES, 0, Math.min(left, SPACES.length));
            }
            w.writePacket(1, Arrays.copyOf(SPACES, tail));
        } catch (IOException e) {
            if (!tooBig) {
                throw e;
            }
            return; // closed while we were still sending: allowed after the ERR
        }
        if (tooBig) {
            c.expectClosed("after the rest of an oversized packet chain", w);
        } else {
            c.expect("a query in a packet chain", w, c.read(w, Shape.RESULT), Expect.err(1064).orRows());
        }
    }

    /** A command with a sequence id other than 0. */
    static void badSequence(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        int seq = c.between(1, 255);
        byte[] payload = c.rnd.nextBoolean() ? new byte[] {Commands.PING}
                : WireClient.commandPayload(Commands.QUERY, "SELECT 1".getBytes(StandardCharsets.UTF_8));
        w.writePacket(seq, payload);
        c.expect("command with sequence id " + seq, w, c.read(w, Shape.SINGLE), Expect.err(1156).orClosed());
    }

    /** An empty packet in the command phase. */
    static void zeroLength(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        w.writePacket(0, new byte[0]);
        if (c.expect("empty command packet", w, c.read(w, Shape.SINGLE), Expect.err(1835, 1047).orClosed())) {
            c.expectUsable("after an empty packet", w);
        }
    }

    /** Part of a command, then nothing: the server must give up on it after its read timeout. */
    static void stallMidCommand(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        switch (c.rnd.nextInt(3)) {
            case 0 -> w.writeRaw(Arrays.copyOf(WireClient.header(8, 0), c.between(1, 3)));
            case 1 -> {
                int length = c.between(2, 1000);
                w.writeRaw(WireClient.header(length, 0));
                byte[] part = c.bytes(c.rnd.nextInt(length));
                if (part.length > 0) {
                    part[0] = Commands.QUERY;
                }
                w.writeRaw(part);
            }
            default -> {
                // too large: the server answers 1153 and reads on to the end of the packet, which never comes
                int length = (int) Math.min(MAX_PHYSICAL - 1, c.target.maxAllowedPacket() + c.between(1, 1000));
                w.writeRaw(WireClient.header(length, 0));
                w.writeRaw(c.bytes(c.rnd.nextInt(1000)));
            }
        }
        c.watchClose(w, c.target.netReadTimeout(), true);
    }

    /** The client ends its sending side (before or after logging in, inside a packet or between two). */
    static void halfClose(FuzzCase c) throws IOException {
        WireClient w;
        if (c.rnd.nextInt(3) == 0) {
            w = c.greeted();
            if (c.rnd.nextBoolean()) {
                byte[] resp = HandshakeCases.validResponse(c, 0);
                w.writeRaw(WireClient.header(resp.length, 1));
                w.writeRaw(resp, 0, c.rnd.nextInt(resp.length + 1));
            }
        } else {
            w = c.loggedIn();
            switch (c.rnd.nextInt(4)) {
                case 0 -> w.query("SELECT 1");
                case 1 -> w.command(Commands.PING, new byte[0]);
                case 2 -> w.writeRaw(WireClient.header(50, 0));
                default -> {
                    // nothing
                }
            }
        }
        w.shutdownOutput();
        c.expectClosed("after the client half-closed its socket", w);
    }

    /** COM_QUIT followed by more commands, which must get no answer. */
    static void afterQuit(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(WireClient.packet(0, new byte[] {Commands.QUIT}));
        for (int i = 0; i < c.between(1, 10); i++) {
            byte[] next = switch (c.rnd.nextInt(3)) {
                case 0 -> WireClient.packet(0, new byte[] {Commands.PING});
                case 1 -> WireClient.packet(0, WireClient.commandPayload(Commands.QUERY,
                        "SELECT 1".getBytes(StandardCharsets.UTF_8)));
                default -> WireClient.packet(c.rnd.nextInt(256), c.bytes(c.between(0, 100)));
            };
            out.writeBytes(next);
        }
        try {
            w.writeRaw(out.toByteArray());
        } catch (IOException e) {
            return; // already closed: fine
        }
        c.expect("packets after COM_QUIT", w, c.read(w, Shape.SINGLE), Expect.err().orClosed());
    }

    /** Many commands in one write, answered in order (more than a server lets queue before it stops reading). */
    static void pipelined(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        c.closeAllowed = false;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Object[]> answers = new ArrayList<>(); // {what, shape, expect}
        int n = c.between(2, 60);
        for (int i = 0; i < n; i++) {
            switch (c.rnd.nextInt(8)) {
                case 0 -> {
                    out.writeBytes(WireClient.packet(0, new byte[] {Commands.PING}));
                    answers.add(new Object[] {"COM_PING", Shape.SINGLE, Expect.ok()});
                }
                case 1 -> {
                    out.writeBytes(WireClient.packet(0, WireClient.commandPayload(Commands.QUERY,
                            "SELECT 1".getBytes(StandardCharsets.UTF_8))));
                    answers.add(new Object[] {"SELECT 1", Shape.RESULT, Expect.err().orRows()});
                }
                case 2 -> {
                    out.writeBytes(WireClient.packet(0, WireClient.commandPayload(Commands.INIT_DB,
                            c.target.database().getBytes(StandardCharsets.UTF_8))));
                    answers.add(new Object[] {"COM_INIT_DB", Shape.SINGLE, Expect.ok()});
                }
                case 3 -> {
                    out.writeBytes(WireClient.packet(0, new byte[] {(byte) c.pick(CommandCases.UNKNOWN_COMMANDS)}));
                    answers.add(new Object[] {"unknown command", Shape.SINGLE, Expect.err(1047)});
                }
                case 4 -> out.writeBytes(WireClient.packet(0, new PacketBuilder().u8(Commands.STMT_CLOSE)
                        .i32(c.between(100_000, 200_000)).toByteArray())); // no answer
                case 5 -> out.writeBytes(WireClient.packet(0, new PacketBuilder().u8(Commands.STMT_SEND_LONG_DATA)
                        .i32(c.between(100_000, 200_000)).u16(0).bytes(c.bytes(10)).toByteArray())); // no answer
                case 6 -> {
                    out.writeBytes(WireClient.packet(0, new byte[] {Commands.STATISTICS}));
                    answers.add(new Object[] {"COM_STATISTICS", Shape.SINGLE, Expect.err().orOther()});
                }
                default -> {
                    out.writeBytes(WireClient.packet(0, new PacketBuilder().u8(Commands.SET_OPTION).u16(0).toByteArray()));
                    answers.add(new Object[] {"COM_SET_OPTION", Shape.SINGLE, Expect.err().orEof()});
                }
            }
        }
        w.writeRaw(out.toByteArray());
        for (int i = 0; i < answers.size(); i++) {
            Object[] a = answers.get(i);
            Answer got = c.read(w, (Shape) a[1]);
            if (!c.expect("pipelined command " + (i + 1) + "/" + answers.size() + " (" + a[0] + ")", w, got,
                    (Expect) a[2])) {
                return;
            }
        }
        c.expectUsable("after " + n + " pipelined commands", w);
    }
}
