package io.cairn.mysql.fuzz;

import io.cairn.mysql.fuzz.FuzzCase.Category;
import io.cairn.mysql.fuzz.WireClient.Answer;
import io.cairn.mysql.fuzz.WireClient.Outcome;
import io.cairn.mysql.fuzz.WireClient.Shape;
import io.cairn.mysql.server.Capabilities;
import io.cairn.mysql.server.Commands;
import io.cairn.mysql.server.PacketBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Cases of the connection phase: the handshake response, TLS, auth switch, stalled logins. */
final class HandshakeCases {
    /** No handshake packet needs more (a server refuses bigger ones before authentication). */
    static final int HANDSHAKE_LIMIT = 64 * 1024;

    /** Byte sequences that are not UTF-8: a lone continuation, overlong NUL, a surrogate, cut sequences. */
    static final byte[][] INVALID_UTF8 = {
        {(byte) 0x80}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82},
        {(byte) 0xFF, (byte) 0xFE}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        {(byte) 0xC3, (byte) 0x28}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};

    private HandshakeCases() {
    }

    /** A well-formed handshake response logging in as the target's user. */
    static byte[] validResponse(FuzzCase c, int authForm) {
        Map<String, String> attrs = null;
        if (c.rnd.nextBoolean()) {
            attrs = new LinkedHashMap<>();
            attrs.put("_client_name", "cairn-fuzz");
            attrs.put("_seed", Long.toString(c.seed));
        }
        byte[] auth = WireClient.scramble("caching_sha2_password", c.target.password(), c.greeting().nonce());
        return WireClient.handshakeResponse(c.capabilities(), c.target.user(), auth,
                c.rnd.nextBoolean() ? c.target.database() : null, "caching_sha2_password", attrs, authForm);
    }

    static byte[] invalidUtf8(FuzzCase c, String around) {
        byte[] bad = INVALID_UTF8[c.rnd.nextInt(INVALID_UTF8.length)];
        byte[] text = around.getBytes(StandardCharsets.UTF_8);
        int at = c.rnd.nextInt(text.length + 1);
        byte[] out = new byte[text.length + bad.length];
        System.arraycopy(text, 0, out, 0, at);
        System.arraycopy(bad, 0, out, at, bad.length);
        System.arraycopy(text, at, out, at + bad.length, text.length - at);
        return out;
    }

    /** Connects and sends nothing (or the first bytes of a header): the server must end it in time. */
    static void loginStall(FuzzCase c) throws IOException {
        WireClient w = c.connect();
        if (c.rnd.nextBoolean()) {
            w.readGreeting(FuzzCase.ANSWER_MILLIS);
            int n = c.rnd.nextInt(4);
            if (n > 0) {
                w.writeRaw(Arrays.copyOf(WireClient.header(100, 1), n));
            }
        }
        c.watchClose(w, c.target.handshakeTimeout(), true);
    }

    /** Part of a handshake response, then nothing. */
    static void stallMidPacket(FuzzCase c) throws IOException {
        WireClient w = c.greeted();
        byte[] resp = validResponse(c, 0);
        w.writeRaw(WireClient.header(resp.length, 1));
        w.writeRaw(resp, 0, c.rnd.nextInt(resp.length));
        c.watchClose(w, c.target.handshakeTimeout(), true);
    }

    /** A handshake response cut short (its header says so): an error, or a login if what is left parses. */
    static void truncated(FuzzCase c) throws IOException {
        WireClient w = c.greeted();
        byte[] resp = validResponse(c, c.rnd.nextInt(3));
        byte[] cut = Arrays.copyOf(resp, 1 + c.rnd.nextInt(resp.length - 1));
        w.writePacket(1, cut);
        // what is left may parse: a login (OK), an unknown database, an auth switch (no plugin name left)
        c.expect("truncated handshake response (" + cut.length + " of " + resp.length + " bytes)", w,
                c.read(w, Shape.SINGLE), Expect.err(1835, 1045, 1049).orOk().orOther().orClosed());
    }

    /** Random bytes as the handshake response. */
    static void garbage(FuzzCase c) throws IOException {
        WireClient w = c.greeted();
        byte[] junk = c.bytes(c.between(1, 300));
        if (junk.length > 1) {
            junk[1] &= ~(Capabilities.SSL >>> 8); // not an SSLRequest: that is a case of its own
        }
        w.writePacket(1, junk);
        c.expect("garbage handshake response", w, c.read(w, Shape.SINGLE),
                Expect.err(1835, 1045, 1049).orOther().orClosed());
    }

    /** Length-encoded integers with 0xFB/0xFC/0xFD/0xFE/0xFF prefixes in the auth data or the attributes. */
    static void badLenenc(FuzzCase c) throws IOException {
        WireClient w = c.greeted();
        int caps = c.capabilities() | Capabilities.CONNECT_ATTRS | Capabilities.CONNECT_WITH_DB;
        PacketBuilder p = new PacketBuilder(128).i32(caps).i32(1 << 24).u8(255).zeros(23).nulString(c.target.user());
        int site = c.rnd.nextInt(3);
        if (site == 0) {
            p.bytes(badLenencBytes(c));
        } else {
            p.lenenc(0);
        }
        p.nulString(c.target.database()).nulString("caching_sha2_password");
        if (site == 1) {
            p.bytes(badLenencBytes(c));
        } else if (site == 2) {
            byte[] attr = new PacketBuilder().bytes(badLenencBytes(c)).lenencString("v").toByteArray();
            p.lenenc(attr.length).bytes(attr);
        }
        w.writePacket(1, p.toByteArray());
        c.expect("handshake response with a bad length-encoded integer (site " + site + ")", w,
                c.read(w, Shape.SINGLE), Expect.err(1835, 1045, 1049).orOk().orOther().orClosed());
    }

    /** A length-encoded integer that is invalid or claims more bytes than follow. */
    static byte[] badLenencBytes(FuzzCase c) {
        return switch (c.rnd.nextInt(6)) {
            case 0 -> new byte[] {(byte) 0xFB};
            case 1 -> new byte[] {(byte) 0xFF, (byte) 0xFF};
            case 2 -> new byte[] {(byte) 0xFE, -1, -1, -1, -1, -1, -1, -1, -1};
            case 3 -> new byte[] {(byte) 0xFE, 0, 0, 0, 0x10, 0, 0, 0, 0};
            case 4 -> new byte[] {(byte) 0xFD, -1, -1, 0x7F};
            default -> new byte[] {(byte) 0xFC, -1, 0x7F};
        };
    }

    /** A valid handshake response with the wrong sequence id. */
    static void badSequence(FuzzCase c) throws IOException {
        WireClient w = c.greeted();
        int seq = c.rnd.nextBoolean() ? 0 : c.between(2, 255);
        w.writePacket(seq, validResponse(c, 0));
        c.expect("handshake response with sequence id " + seq, w, c.read(w, Shape.SINGLE),
                Expect.err(1156).orClosed());
    }

    /** A handshake packet beyond what any login needs, whole (a huge attribute) or only announced. */
    static void oversized(FuzzCase c) throws IOException {
        WireClient w = c.greeted();
        int length;
        if (c.rnd.nextBoolean()) {
            Map<String, String> attrs = Map.of("big", "x".repeat(c.between(HANDSHAKE_LIMIT, 4 * HANDSHAKE_LIMIT)));
            byte[] resp = WireClient.handshakeResponse(c.capabilities(), c.target.user(), new byte[0], null,
                    "caching_sha2_password", attrs, 0);
            length = resp.length;
            w.writePacket(1, resp);
        } else {
            length = c.rnd.nextInt(4) == 0 ? c.between(HANDSHAKE_LIMIT + 1, 0xFFFFFE)
                    : c.between(HANDSHAKE_LIMIT + 1, (int) Math.min(0xFFFFFE, c.target.maxAllowedPacket()));
            w.writeRaw(WireClient.header(length, 1));
            w.writeRaw(c.bytes(c.rnd.nextInt(HANDSHAKE_LIMIT)));
        }
        c.expect("handshake packet of " + length + " bytes", w, c.read(w, Shape.SINGLE), Expect.err(1153).orClosed());
    }

    /** An empty handshake response. */
    static void zeroLength(FuzzCase c) throws IOException {
        WireClient w = c.greeted();
        w.writePacket(1, new byte[0]);
        c.expect("empty handshake response", w, c.read(w, Shape.SINGLE), Expect.err(1835).orClosed());
    }

    /** Invalid UTF-8 in the user name, the database, an attribute or the plugin name. */
    static void invalidUtf8(FuzzCase c) throws IOException {
        WireClient w = c.greeted();
        int site = c.rnd.nextInt(4);
        byte[] user = site == 0 ? invalidUtf8(c, c.target.user()) : c.target.user().getBytes(StandardCharsets.UTF_8);
        byte[] db = site == 1 ? invalidUtf8(c, c.target.database()) : c.target.database().getBytes(StandardCharsets.UTF_8);
        byte[] plugin = site == 3 ? invalidUtf8(c, "caching_sha2_password")
                : "caching_sha2_password".getBytes(StandardCharsets.UTF_8);
        byte[] auth = WireClient.scramble("caching_sha2_password", c.target.password(), c.greeting().nonce());
        int caps = c.capabilities() | Capabilities.CONNECT_WITH_DB | Capabilities.CONNECT_ATTRS;
        PacketBuilder p = new PacketBuilder(128).i32(caps).i32(1 << 24).u8(255).zeros(23)
                .bytes(user).u8(0).lenencBytes(auth).bytes(db).u8(0).bytes(plugin).u8(0);
        byte[] value = site == 2 ? invalidUtf8(c, "value") : "value".getBytes(StandardCharsets.UTF_8);
        byte[] attrs = new PacketBuilder().lenencString("key").lenencBytes(value).toByteArray();
        p.lenenc(attrs.length).bytes(attrs);
        w.writePacket(1, p.toByteArray());
        Answer a = c.read(w, Shape.SINGLE);
        // an unknown user, an unknown database (a server may also accept the name), an auth switch
        // away from a plugin it does not know, or (attribute) a login
        c.expect("handshake with invalid UTF-8 (site " + site + ")", w, a,
                Expect.err(1045, 1049).orOk().orOther().orClosed());
    }

    /** SSLRequest, then garbage, a stall, a TLS record header promising more, or another SSLRequest. */
    static void sslGarbage(FuzzCase c) throws IOException {
        WireClient w = c.greeted();
        int caps = c.capabilities();
        w.writePacket(1, FuzzCase.sslRequest(caps));
        switch (c.rnd.nextInt(4)) {
            case 0 -> w.writeRaw(c.bytes(c.between(1, 2000)));
            case 1 -> w.writeRaw(new byte[] {0x16, 0x03, 0x01, (byte) 0xFF, (byte) 0xF0, 0x01});
            case 2 -> w.writePacket(2, FuzzCase.sslRequest(caps));
            default -> {
                // nothing: a client that asked for TLS and never starts it
            }
        }
        // TLS offered: the TLS layer fails or the login times out; not offered: ERR 1835 and close
        c.watchClose(w, c.target.handshakeTimeout(), true);
    }

    /** A real TLS handshake, then a bad handshake response inside it. */
    static void tlsThenGarbage(FuzzCase c) throws IOException {
        if (!c.target.tls()) {
            sslGarbage(c);
            return;
        }
        WireClient w = c.greeted();
        w.writePacket(1, FuzzCase.sslRequest(c.capabilities()));
        w.startTls(FuzzCase.ANSWER_MILLIS);
        if (c.rnd.nextBoolean()) {
            int seq = c.pick(0, 1, 3, 200);
            w.writePacket(seq, validResponse(c, 0));
            c.expect("handshake response over TLS with sequence id " + seq, w, c.read(w, Shape.SINGLE),
                    Expect.err(1156).orClosed());
        } else {
            w.writePacket(2, c.bytes(c.between(0, 200)));
            c.expect("garbage handshake response over TLS", w, c.read(w, Shape.SINGLE),
                    Expect.err(1835, 1045, 1049).orOther().orClosed());
        }
    }

    /**
     * CLIENT_COMPRESS asked for (the server does not offer it): the connection must still speak the plain
     * protocol; a compressed-looking frame is just a packet (an unknown command, here).
     */
    static void compress(FuzzCase c) throws IOException {
        WireClient w = c.loggedIn(c.capabilities() | Capabilities.COMPRESS);
        c.closeAllowed = false;
        if (c.rnd.nextBoolean()) {
            w.query("SELECT 1");
            if (c.expect("SELECT 1 after asking for compression", w, c.read(w, Shape.RESULT), Expect.err().orRows())) {
                c.expectUsable("after SELECT 1", w);
            }
            return;
        }
        byte[] inner = WireClient.packet(0, WireClient.commandPayload(Commands.QUERY,
                "SELECT 1".getBytes(StandardCharsets.UTF_8)));
        // compressed protocol header: compressed length, sequence id, uncompressed length (0: not compressed);
        // read as a plain packet, the payload starts with that 0: COM_SLEEP, which clients may not send
        PacketBuilder frame = new PacketBuilder().u24(inner.length + 3).u8(0).u24(0).bytes(inner);
        w.writeRaw(frame.toByteArray());
        if (c.expect("a compressed-protocol frame", w, c.read(w, Shape.SINGLE), Expect.err(1047))) {
            c.expectUsable("after the compressed frame", w);
        }
    }

    /**
     * A login that gets an auth switch (the user's plugin is mysql_native_password, the client used
     * caching_sha2_password), answered with garbage, the wrong sequence id, too much, nothing, or right.
     */
    static void authSwitchGarbage(FuzzCase c) throws IOException {
        WireClient w = c.greeted();
        String plugin = "caching_sha2_password";
        w.writePacket(1, WireClient.handshakeResponse(c.capabilities(), c.target.nativeUser(),
                WireClient.scramble(plugin, c.target.nativePassword(), c.greeting().nonce()), null, plugin, null, 0));
        Answer sw = c.read(w, Shape.SINGLE);
        if (sw.outcome() != Outcome.OTHER || (sw.first()[0] & 0xFF) != 0xFE) {
            c.report(sw.outcome() == Outcome.SILENT ? Category.HANG : Category.WRONG_ANSWER,
                    "login of " + c.target.nativeUser() + " with " + plugin + " should get an auth switch, got " + sw);
            return;
        }
        int seq = w.lastSeq() + 1;
        byte[] p = sw.first();
        int nul = WireClient.indexOf(p, 1, (byte) 0);
        byte[] nonce = Arrays.copyOfRange(p, nul + 1, Math.max(nul + 1, p.length - 1));
        switch (c.rnd.nextInt(6)) {
            case 0 -> {
                w.writePacket(seq, c.bytes(c.between(0, 300)));
                c.expect("garbage answer to an auth switch", w, c.read(w, Shape.SINGLE), Expect.err(1045).orClosed());
            }
            case 1 -> {
                int wrong = (seq + c.between(1, 254)) & 0xFF;
                w.writePacket(wrong, WireClient.scramble("mysql_native_password", c.target.nativePassword(), nonce));
                c.expect("auth switch answer with sequence id " + wrong, w, c.read(w, Shape.SINGLE),
                        Expect.err(1156).orClosed());
            }
            case 2 -> {
                w.writePacket(seq, c.bytes(c.between(HANDSHAKE_LIMIT + 1, 4 * HANDSHAKE_LIMIT)));
                c.expect("oversized auth switch answer", w, c.read(w, Shape.SINGLE), Expect.err(1153).orClosed());
            }
            case 3 -> c.watchClose(w, c.target.handshakeTimeout(), true); // never answered
            case 4 -> {
                byte[] two = new byte[0];
                for (int i = 0; i < c.between(2, 5); i++) {
                    byte[] one = WireClient.packet(seq + i, c.bytes(c.between(1, 40)));
                    byte[] both = Arrays.copyOf(two, two.length + one.length);
                    System.arraycopy(one, 0, both, two.length, one.length);
                    two = both;
                }
                w.writeRaw(two);
                c.expect("several packets answering an auth switch", w, c.read(w, Shape.SINGLE),
                        Expect.err(1045).orClosed());
            }
            default -> {
                w.writePacket(seq, WireClient.scramble("mysql_native_password", c.target.nativePassword(), nonce));
                if (c.expect("right answer to an auth switch", w, c.read(w, Shape.SINGLE), Expect.ok())) {
                    c.expectUsable("after the auth switch", w);
                }
            }
        }
    }
}
