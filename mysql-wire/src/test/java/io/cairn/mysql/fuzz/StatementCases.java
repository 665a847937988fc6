package io.cairn.mysql.fuzz;

import io.cairn.mysql.fuzz.FuzzCase.Category;
import io.cairn.mysql.fuzz.WireClient.Answer;
import io.cairn.mysql.fuzz.WireClient.Outcome;
import io.cairn.mysql.fuzz.WireClient.Shape;
import io.cairn.mysql.server.Commands;
import io.cairn.mysql.server.PacketBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Cases of the binary protocol: COM_STMT_PREPARE/EXECUTE/SEND_LONG_DATA/RESET/CLOSE/FETCH gone wrong. */
final class StatementCases {
    /** Parameter type codes of the binary protocol. */
    private static final int[] TYPES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 245, 246, 247, 248, 249,
        250, 251, 252, 253, 254, 255};
    private static final int BLOB = 252;
    private static final int VAR_STRING = 253;
    private static final int NEWDECIMAL = 246;

    private StatementCases() {
    }

    /** Random bytes, statements with more than 65535 placeholders, long texts to prepare. */
    static void prepareGarbage(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        c.closeAllowed = false;
        byte[] text = switch (c.rnd.nextInt(3)) {
            case 0 -> c.bytes(c.rnd.nextInt(4096));
            case 1 -> {
                int n = c.pick(0, 1, 7, 65535, 65536, 70000);
                yield (c.target.echoPrefix() + "?, ".repeat(n) + "1").getBytes(StandardCharsets.UTF_8);
            }
            default -> ("SELECT '" + "x".repeat(c.between(1000, 200_000)) + "'").getBytes(StandardCharsets.UTF_8);
        };
        w.command(Commands.STMT_PREPARE, text);
        // 1390: more than 65535 placeholders; 1461: too many statements
        if (c.expect("prepare of " + text.length + " bytes", w, c.read(w, Shape.PREPARE),
                Expect.err(Expect.STATEMENT_ERRORS).or(1390, 1461).orOk())) {
            c.expectUsable("after a bad prepare", w);
        }
    }

    /**
     * COM_STMT_EXECUTE of an echo statement with its parameter block mangled: cut short, wrong null bitmap,
     * wrong or unknown types, a wrong number of types, bad new-params-bound flag, bad date/time lengths,
     * absurd decimals, random cursor flags and iteration counts, bytes flipped, trailing garbage.
     */
    static void executeBadParams(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        int n = c.between(1, 6);
        int id = c.prepare(w, c.echo(n));
        for (int round = c.between(1, 3); round > 0; round--) {
            int[] types = new int[n];
            for (int i = 0; i < n; i++) {
                types[i] = c.pick(TYPES);
            }
            Mutation m = new Mutation(execute(c, id, types, true), "valid");
            if (c.rnd.nextInt(5) != 0) {
                m = mutate(c, m.payload(), types, id);
            }
            byte[] payload = m.payload();
            String how = m.how();
            w.command(Commands.STMT_EXECUTE, Arrays.copyOfRange(payload, 1, payload.length));
            Answer a = c.read(w, Shape.RESULT);
            if (!c.expect("execute with " + n + " parameters, " + how, w, a,
                    Expect.err(1835, 1210).or(Expect.STATEMENT_ERRORS).orRows().orOk().orClosed())) {
                return;
            }
        }
        c.expectUsable("after bad executes", w);
    }

    /** A changed COM_STMT_EXECUTE payload and what was changed. */
    private record Mutation(byte[] payload, String how) {
    }

    /** A COM_STMT_EXECUTE payload (command byte included) with types bound and a value per parameter. */
    static byte[] execute(FuzzCase c, int id, int[] types, boolean bindTypes) {
        int n = types.length;
        PacketBuilder p = new PacketBuilder().u8(Commands.STMT_EXECUTE).i32(id).u8(0).i32(1);
        byte[] bitmap = new byte[(n + 7) / 8];
        for (int i = 0; i < n; i++) {
            if (c.rnd.nextInt(6) == 0) {
                bitmap[i / 8] |= (byte) (1 << (i % 8));
            }
        }
        p.bytes(bitmap).u8(bindTypes ? 1 : 0);
        if (bindTypes) {
            for (int t : types) {
                p.u8(t).u8(c.rnd.nextInt(4) == 0 ? 0x80 : 0);
            }
        }
        for (int i = 0; i < n; i++) {
            if ((bitmap[i / 8] & (1 << (i % 8))) == 0) {
                value(c, p, types[i]);
            }
        }
        return p.toByteArray();
    }

    private static void value(FuzzCase c, PacketBuilder p, int type) {
        switch (type) {
            case 1 -> p.u8(c.rnd.nextInt(256));
            case 2, 13 -> p.u16(c.rnd.nextInt(65536));
            case 3, 9 -> p.i32(c.rnd.nextInt());
            case 4 -> p.i32(Float.floatToIntBits(c.rnd.nextFloat()));
            case 5 -> p.i64(Double.doubleToLongBits(c.rnd.nextGaussian() * 1e6));
            case 8 -> p.i64(c.rnd.nextLong());
            case 6 -> {
                // NULL type: no value
            }
            case 7, 10, 12 -> {
                int len = c.pick(0, 4, 7, 11);
                p.u8(len);
                if (len > 0) {
                    p.u16(c.between(0, 9999)).u8(c.between(0, 13)).u8(c.between(0, 32));
                }
                if (len > 4) {
                    p.u8(c.between(0, 24)).u8(c.between(0, 60)).u8(c.between(0, 60));
                }
                if (len > 7) {
                    p.i32(c.between(0, 1_000_000));
                }
            }
            case 11 -> {
                int len = c.pick(0, 8, 12);
                p.u8(len);
                if (len > 0) {
                    p.u8(c.rnd.nextInt(2)).i32(c.rnd.nextInt(40)).u8(c.between(0, 23)).u8(c.between(0, 59))
                            .u8(c.between(0, 59));
                }
                if (len > 8) {
                    p.i32(c.between(0, 999_999));
                }
            }
            case NEWDECIMAL, 0 -> p.lenencString(c.pick(java.util.List.of("1.5", "-0.0001", "12345678901234567890.123",
                    "abc", "", "1e5", "NaN")));
            default -> p.lenencBytes(c.bytes(c.rnd.nextInt(40)));
        }
    }

    /** {@code payload} changed in one way. */
    private static Mutation mutate(FuzzCase c, byte[] payload, int[] types, int id) {
        int n = types.length;
        int bitmapAt = 10;
        int flagAt = bitmapAt + (n + 7) / 8;
        byte[] m = payload.clone();
        String how;
        switch (c.rnd.nextInt(12)) {
            case 0 -> {
                int cut = 1 + c.rnd.nextInt(m.length - 1);
                m = Arrays.copyOf(m, cut);
                how = "cut to " + cut + " bytes";
            }
            case 1 -> {
                int k = c.between(1, 4);
                for (int i = 0; i < k; i++) {
                    m[c.between(10, m.length - 1)] = (byte) c.rnd.nextInt(256);
                }
                how = k + " bytes changed";
            }
            case 2 -> {
                m[flagAt] = (byte) c.between(2, 255);
                how = "new-params-bound flag " + (m[flagAt] & 0xFF);
            }
            case 3 -> {
                for (int i = bitmapAt; i < flagAt; i++) {
                    m[i] = (byte) c.rnd.nextInt(256);
                }
                how = "random null bitmap";
            }
            case 4 -> {
                int[] other = Arrays.copyOf(types, Math.max(0, n + (c.rnd.nextBoolean() ? 1 : -1)));
                for (int i = n; i < other.length; i++) {
                    other[i] = c.pick(TYPES);
                }
                m = execute(c, id, other, true);
                how = other.length + " types for " + n + " parameters";
            }
            case 5 -> {
                int at = flagAt + 1 + 2 * c.rnd.nextInt(n);
                m[at] = (byte) c.pick(0x14, 0x20, 0x80, 0xF0, 0x11, 0x0E);
                how = "type code " + (m[at] & 0xFF);
            }
            case 6 -> {
                m[flagAt] = 0;
                how = "no types bound (first execute)";
            }
            case 7 -> {
                int[] dates = new int[n];
                Arrays.fill(dates, c.pick(7, 10, 11, 12));
                m = execute(c, id, dates, true);
                // the first date/time value's length byte: an invalid one
                int at = flagAt + 1 + 2 * n;
                while (at < m.length && (m[at] & 0xFF) == 0) {
                    at++;
                }
                if (at < m.length) {
                    m[at] = (byte) c.pick(1, 2, 3, 5, 6, 9, 10, 13, 255);
                }
                how = "bad date/time length";
            }
            case 8 -> {
                int[] decimals = new int[n];
                Arrays.fill(decimals, NEWDECIMAL);
                PacketBuilder p = new PacketBuilder().u8(Commands.STMT_EXECUTE).i32(id).u8(0).i32(1)
                        .bytes(new byte[(n + 7) / 8]).u8(1);
                for (int i = 0; i < n; i++) {
                    p.u8(NEWDECIMAL).u8(0);
                }
                String text = c.pick(java.util.List.of("1e999999999", "-1E-999999999", "9".repeat(70000), "1e2147483647",
                        "0." + "0".repeat(5000) + "1", "1e-2147483648"));
                for (int i = 0; i < n; i++) {
                    p.lenencString(text);
                }
                m = p.toByteArray();
                how = "decimal " + FuzzCase.abbreviate(text);
            }
            case 9 -> {
                m[5] = (byte) c.rnd.nextInt(256);
                m[6] = (byte) c.rnd.nextInt(256);
                m[9] = (byte) c.rnd.nextInt(256);
                how = "cursor flags " + (m[5] & 0xFF) + ", iteration count changed";
            }
            case 10 -> {
                m = Arrays.copyOf(m, m.length + c.between(1, 100));
                for (int i = payload.length; i < m.length; i++) {
                    m[i] = (byte) c.rnd.nextInt(256);
                }
                how = "trailing garbage";
            }
            default -> {
                m = Arrays.copyOf(m, flagAt);
                how = "nothing after the null bitmap";
            }
        }
        return new Mutation(m, how);
    }

    /** A string parameter whose length-encoded length is invalid or overruns the packet. */
    static void lenencBadPrefix(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        int id = c.prepare(w, c.echo(1));
        int type = c.pick(VAR_STRING, BLOB, NEWDECIMAL, 254, 15);
        byte[] bad = HandshakeCases.badLenencBytes(c);
        byte[] payload = new PacketBuilder().i32(id).u8(0).i32(1).u8(0).u8(1).u8(type).u8(0).bytes(bad)
                .bytes(c.bytes(c.rnd.nextInt(8))).toByteArray();
        w.command(Commands.STMT_EXECUTE, payload);
        c.expect("execute with a parameter length 0x" + Integer.toHexString(bad[0] & 0xFF) + "…", w,
                c.read(w, Shape.RESULT), Expect.err(1835).orClosed());
    }

    /** Statement commands naming statements that do not exist. */
    static void unknownId(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        c.closeAllowed = false;
        boolean prepared = c.rnd.nextBoolean();
        if (prepared) {
            c.prepare(w, c.echo(1));
        }
        int id = prepared || c.rnd.nextBoolean() ? c.pick(0, 1_000_000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE)
                : -1; // -1: "the last prepared", when there is none
        switch (c.rnd.nextInt(4)) {
            case 0 -> {
                w.command(Commands.STMT_EXECUTE, new PacketBuilder().i32(id).u8(0).i32(1)
                        .bytes(c.bytes(c.rnd.nextInt(20))).toByteArray());
                if (!c.expect("execute of statement " + id, w, c.read(w, Shape.RESULT), Expect.err(1243))) {
                    return;
                }
            }
            case 1 -> {
                w.command(Commands.STMT_RESET, new PacketBuilder().i32(id).toByteArray());
                if (!c.expect("reset of statement " + id, w, c.read(w, Shape.SINGLE), Expect.err(1243))) {
                    return;
                }
            }
            case 2 -> {
                w.command(0x1c, new PacketBuilder().i32(id).i32(c.between(1, 100)).toByteArray()); // COM_STMT_FETCH
                if (!c.expect("fetch from statement " + id, w, c.read(w, Shape.SINGLE), Expect.err(1243, 1047))) {
                    return;
                }
            }
            default -> {
                w.command(Commands.STMT_CLOSE, new PacketBuilder().i32(id).toByteArray());
                c.expectStatistics("close of statement " + id, w, Expect.err());
            }
        }
        c.expectUsable("after a statement command for an unknown statement", w);
    }

    /**
     * COM_STMT_SEND_LONG_DATA past max_allowed_packet: to one statement, or spread over several so that
     * each stays below it while the connection's total does not.
     */
    static void longDataHuge(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        c.closeAllowed = false;
        long max = c.target.maxAllowedPacket();
        if (max > 16L * 1024 * 1024) {
            max = 16L * 1024 * 1024; // a server with a larger limit would make this case send too much; it is still
                                    // a lot of long data, answered or refused
        }
        int statements = c.between(1, 3);
        int[] ids = new int[statements];
        int[] params = new int[statements];
        for (int s = 0; s < statements; s++) {
            params[s] = c.between(1, 2);
            ids[s] = c.prepare(w, c.echo(params[s]));
        }
        long each = max / statements + c.between(1, 256 * 1024);
        for (int s = 0; s < statements; s++) {
            int param = 0;
            for (long sent = 0; sent < each; param = (param + 1) % params[s]) { // every parameter gets some
                int chunk = (int) Math.min(each - sent, c.between(16 * 1024, 512 * 1024));
                byte[] data = new byte[chunk];
                Arrays.fill(data, (byte) 'x');
                w.command(Commands.STMT_SEND_LONG_DATA, new PacketBuilder(chunk + 8).i32(ids[s]).u16(param)
                        .bytes(data).toByteArray());
                sent += chunk;
            }
        }
        boolean refused = false;
        for (int s = 0; s < statements; s++) {
            int type = c.rnd.nextBoolean() ? BLOB : VAR_STRING;
            PacketBuilder execute = new PacketBuilder().i32(ids[s]).u8(0).i32(1).zeros((params[s] + 7) / 8).u8(1);
            for (int i = 0; i < params[s]; i++) {
                execute.u8(type).u8(0); // no values: the long data is the values
            }
            w.command(Commands.STMT_EXECUTE, execute.toByteArray());
            Answer a = w.read(Shape.RESULT, 4 * FuzzCase.ANSWER_MILLIS);
            refused |= a.outcome() == Outcome.ERR;
            if (!c.expect("execute after " + each + " bytes of long data (statement " + (s + 1) + " of " + statements
                    + ", max_allowed_packet " + c.target.maxAllowedPacket() + ")", w, a, Expect.err(1105, 1153).orRows())) {
                return;
            }
        }
        if (!refused && each * statements > c.target.maxAllowedPacket()) {
            c.report(Category.WRONG_ANSWER, "the connection buffered " + each * statements + " bytes of long data "
                    + "(max_allowed_packet " + c.target.maxAllowedPacket() + ") and no execute was refused");
        }
        c.expectUsable("after huge long data", w);
    }

    /** COM_STMT_SEND_LONG_DATA to an unknown statement, a parameter out of range, or without a full header. */
    static void longDataBadTarget(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn();
        int params = c.between(1, 3);
        int id = c.prepare(w, c.echo(params));
        byte[] body;
        Expect before = Expect.err();
        String what;
        switch (c.rnd.nextInt(4)) {
            case 0 -> {
                body = new PacketBuilder().i32(id + c.between(1, 1000)).u16(0).bytes(c.bytes(c.rnd.nextInt(100)))
                        .toByteArray();
                what = "long data for an unknown statement";
            }
            case 1 -> {
                body = new PacketBuilder().i32(id).u16(c.between(params, 0xFFFF)).bytes(c.bytes(c.rnd.nextInt(100)))
                        .toByteArray();
                what = "long data for a parameter out of range";
            }
            case 2 -> {
                body = new PacketBuilder().i32(id).bytes(c.bytes(c.rnd.nextInt(2))).toByteArray();
                before = Expect.err(1835).orClosed();
                what = "long data without a parameter number";
            }
            default -> {
                body = c.bytes(c.rnd.nextInt(4));
                before = Expect.err(1835).orClosed();
                what = "long data without a statement id";
            }
        }
        w.command(Commands.STMT_SEND_LONG_DATA, body);
        c.expectStatistics(what, w, before);
    }
}
