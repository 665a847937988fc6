package io.cairn.mysql.fuzz;

import io.cairn.mysql.fuzz.WireClient.Shape;
import io.cairn.mysql.server.Commands;
import io.cairn.mysql.server.PacketBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;

/** Cases of text-protocol commands with bad or absurd contents. */
final class CommandCases {
    /**
     * Command bytes a server answers with ERR 1047: the obsolete, replication-only and unassigned ones
     * (including COM_SHUTDOWN, which must never stop the server).
     */
    static final int[] UNKNOWN_COMMANDS = IntStream.concat(
            IntStream.of(0x00, 0x05, 0x06, 0x07, 0x08, 0x0a, 0x0b, 0x0d, 0x0f, 0x10, 0x12, 0x13, 0x14, 0x15, 0x1d, 0x1e),
            IntStream.rangeClosed(0x20, 0xff)).toArray();

    private CommandCases() {
    }

    static void unknownCommand(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        c.closeAllowed = false;
        int cmd = c.pick(UNKNOWN_COMMANDS);
        w.command(cmd, c.bytes(c.between(0, 100)));
        if (c.expect("command 0x" + Integer.toHexString(cmd), w, c.read(w, Shape.SINGLE), Expect.err(1047))) {
            c.expectUsable("after an unknown command", w);
        }
    }

    /** COM_CHANGE_USER (not supported: ERR 1047) with random or plausible contents. */
    static void changeUser(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        c.closeAllowed = false;
        byte[] body = c.rnd.nextBoolean() ? c.bytes(c.between(0, 200))
                : new PacketBuilder().nulString(c.target.user()).u8(0).nulString(c.target.database()).u16(255)
                        .nulString("caching_sha2_password").bytes(c.bytes(c.rnd.nextInt(20))).toByteArray();
        w.command(0x11, body);
        if (c.expect("COM_CHANGE_USER", w, c.read(w, Shape.SINGLE), Expect.err(1047))) {
            c.expectUsable("after COM_CHANGE_USER", w);
        }
    }

    /** COM_FIELD_LIST with a table name with or without its NUL, and a random wildcard. */
    static void fieldList(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        byte[] body = switch (c.rnd.nextInt(4)) {
            case 0 -> new PacketBuilder().nulString("types").bytes(c.bytes(c.rnd.nextInt(10))).toByteArray();
            case 1 -> new PacketBuilder().bytes(c.bytes(c.rnd.nextInt(30))).u8(0).toByteArray();
            case 2 -> new byte[0];
            default -> "no-terminator".getBytes(StandardCharsets.UTF_8);
        };
        for (int i = 0; i < body.length - 1 && body.length > 0 && c.rnd.nextBoolean(); i++) {
            if (body[i] == 0) {
                body[i] = 'x';
            }
        }
        w.command(Commands.FIELD_LIST, body);
        if (c.expect("COM_FIELD_LIST", w, c.read(w, Shape.FIELD_LIST), Expect.err(1835, 1146, 1047, 1046).orEof())) {
            c.expectUsable("after COM_FIELD_LIST", w);
        }
    }

    /** Invalid UTF-8 in a query, a COM_INIT_DB or a statement to prepare. */
    static void invalidUtf8(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        c.closeAllowed = false;
        switch (c.rnd.nextInt(3)) {
            case 0 -> {
                w.command(Commands.QUERY, HandshakeCases.invalidUtf8(c, "SELECT 'text'"));
                if (!c.expect("query with invalid UTF-8", w, c.read(w, Shape.RESULT),
                        Expect.err(Expect.STATEMENT_ERRORS).orOk().orRows())) {
                    return;
                }
            }
            case 1 -> {
                w.command(Commands.INIT_DB, HandshakeCases.invalidUtf8(c, c.target.database()));
                if (!c.expect("COM_INIT_DB with invalid UTF-8", w, c.read(w, Shape.SINGLE), Expect.err(1049).orOk())) {
                    return;
                }
            }
            default -> {
                w.command(Commands.STMT_PREPARE, HandshakeCases.invalidUtf8(c, "SELECT ?"));
                if (!c.expect("prepare with invalid UTF-8", w, c.read(w, Shape.PREPARE),
                        Expect.err(Expect.STATEMENT_ERRORS).orOk())) {
                    return;
                }
            }
        }
        c.expectUsable("after invalid UTF-8", w);
    }

    /**
     * Query texts up to a few MB that are cheap for a server and costly for careless text scanning:
     * runs of ';', white space after KILL or USE, nested executable comments, long literals, long SET lists.
     */
    static void hugeQueryText(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        c.closeAllowed = false;
        int n = c.between(16 * 1024, (int) Math.min(c.target.maxAllowedPacket() / 2, 2 * 1024 * 1024));
        String text = switch (c.rnd.nextInt(10)) {
            case 0 -> ";".repeat(n);
            case 1 -> "SELECT 1" + ";".repeat(n) + "x";
            case 2 -> "KILL 1" + " ".repeat(n) + "x";
            case 3 -> "USE a" + " ".repeat(n) + "x";
            case 4 -> "/*!".repeat(n / 4) + "x" + "*/".repeat(n / 4);
            case 5 -> "SET @a = '" + "\\'".repeat(n / 2) + "'";
            case 6 -> "SET @a = 1" + ", @b = 'x'".repeat(n / 10);
            case 7 -> "SELECT " + "(".repeat(n);
            case 8 -> "/* */".repeat(n / 5) + "SELECT 1";
            default -> "-- x\n".repeat(n / 5) + "SELECT 1";
        };
        w.query(text);
        if (c.expect("query of " + text.length() + " chars (" + FuzzCase.abbreviate(text) + ")", w,
                c.read(w, Shape.RESULT), Expect.err(Expect.STATEMENT_ERRORS).orOk().orRows())) {
            c.expectUsable("after a huge query", w);
        }
    }

    /** COM_SET_OPTION with a short body, or an option other than 0 and 1. */
    static void setOption(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        int length = c.rnd.nextInt(4);
        byte[] body = c.bytes(length);
        int option = length >= 2 ? (body[0] & 0xFF) | (body[1] & 0xFF) << 8 : -1;
        if (length >= 2 && c.rnd.nextBoolean()) {
            option = c.rnd.nextInt(2);
            body[0] = (byte) option;
            body[1] = 0;
        }
        w.command(Commands.SET_OPTION, body);
        Expect e = length < 2 ? Expect.err(1835).orClosed() : option <= 1 ? Expect.err().orEof() : Expect.err(1047);
        if (c.expect("COM_SET_OPTION " + option + " (" + length + " bytes)", w, c.read(w, Shape.SINGLE), e)) {
            c.expectUsable("after COM_SET_OPTION", w);
        }
    }

    /** COM_PROCESS_KILL and KILL of ids nobody has, and a COM_PROCESS_KILL without an id. */
    static void kill(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        long id = 0xF0000000L + c.rnd.nextInt(0x0FFFFFFF);
        Expect e;
        String what;
        switch (c.rnd.nextInt(3)) {
            case 0 -> {
                int length = c.rnd.nextInt(4);
                w.command(Commands.PROCESS_KILL, c.bytes(length));
                e = Expect.err(1835).orClosed();
                what = "COM_PROCESS_KILL with " + length + " bytes";
            }
            case 1 -> {
                w.command(Commands.PROCESS_KILL, new PacketBuilder().i32((int) id).toByteArray());
                e = Expect.err(1094);
                what = "COM_PROCESS_KILL " + id;
            }
            default -> {
                w.query((c.rnd.nextBoolean() ? "KILL QUERY " : "KILL ") + id);
                e = Expect.err(1094);
                what = "KILL " + id;
            }
        }
        if (c.expect(what, w, c.read(w, Shape.SINGLE), e)) {
            c.expectUsable("after " + what, w);
        }
    }

    /** COM_RESET_CONNECTION with trailing bytes, COM_STMT_RESET and COM_STMT_CLOSE without a full id. */
    static void reset(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        switch (c.rnd.nextInt(3)) {
            case 0 -> {
                w.command(Commands.RESET_CONNECTION, c.bytes(c.rnd.nextInt(20)));
                // 1235: an engine without session reset
                if (c.expect("COM_RESET_CONNECTION with trailing bytes", w, c.read(w, Shape.SINGLE),
                        Expect.err(1235).orOk())) {
                    c.expectUsable("after COM_RESET_CONNECTION", w);
                }
            }
            case 1 -> {
                w.command(Commands.STMT_RESET, c.bytes(c.rnd.nextInt(4)));
                c.expect("COM_STMT_RESET without a full id", w, c.read(w, Shape.SINGLE), Expect.err(1835).orClosed());
            }
            default -> {
                w.command(Commands.STMT_CLOSE, c.bytes(c.rnd.nextInt(4)));
                c.expectStatistics("COM_STMT_CLOSE without a full id", w, Expect.err(1835).orClosed());
            }
        }
    }
}
