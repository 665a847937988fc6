package io.cairn.mysql.server;

import io.cairn.mysql.Charsets;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The connection phase's packets: the server greeting (HandshakeV10) and the client's HandshakeResponse41,
 * both ways: a server writes the greeting and reads the response; the proxy, a client of the compute
 * nodes, also reads greetings and writes responses.
 */
public final class Handshake {
    private Handshake() {
    }

    /** What the client answered to the greeting. */
    public record Response(int capabilities, long maxPacket, int charset, String user, byte[] authResponse,
                    String database, String plugin, Map<String, String> attributes) {
    }

    /** What a server's greeting says; {@code nonce} is the 20-byte scramble. */
    public record Greeting(long connectionId, byte[] nonce, int capabilities, String plugin) {
    }

    /** Protocol::HandshakeV10 with a 20-byte nonce. */
    public static PacketBuilder greeting(String serverVersion, long connectionId, byte[] nonce, int capabilities,
                                  int status, String plugin) {
        PacketBuilder p = new PacketBuilder(128);
        p.u8(10).nulString(serverVersion).i32((int) connectionId)
                .bytes(nonce, 0, 8).u8(0)
                .u16(capabilities & 0xFFFF).u8(Charsets.UTF8MB4).u16(status).u16(capabilities >>> 16)
                .u8(nonce.length + 1).zeros(10)
                .bytes(nonce, 8, nonce.length - 8).u8(0)
                .nulString(plugin);
        return p;
    }

    /**
     * Protocol::SSLRequest as a client writes it (the first 32 bytes of a HandshakeResponse41, with
     * CLIENT_SSL), after which it starts TLS and sends the full response with sequence id 2.
     */
    public static PacketBuilder sslRequest(int capabilities, long maxPacket, int charset) {
        return new PacketBuilder(32).i32(capabilities | Capabilities.SSL).i32((int) maxPacket).u8(charset).zeros(23);
    }

    /** True when the payload is an SSLRequest (the short response asking to switch to TLS). */
    public static boolean isSslRequest(byte[] payload) throws MalformedPacketException {
        if (payload.length < 32) {
            throw new MalformedPacketException("handshake response too short: " + payload.length);
        }
        int caps = new PacketReader(payload).i32();
        return payload.length == 32 && (caps & Capabilities.SSL) != 0;
    }

    /** Parses HandshakeResponse41; clients without CLIENT_PROTOCOL_41 are refused as malformed. */
    public static Response parseResponse(byte[] payload) throws MalformedPacketException {
        PacketReader in = new PacketReader(payload);
        int caps = in.i32();
        if ((caps & Capabilities.PROTOCOL_41) == 0) {
            throw new MalformedPacketException("client without CLIENT_PROTOCOL_41");
        }
        long maxPacket = Integer.toUnsignedLong(in.i32());
        int charset = in.u8();
        in.skip(23);
        String user = in.nulString();
        byte[] auth;
        if ((caps & Capabilities.PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0) {
            auth = in.lenencBytes();
        } else if ((caps & Capabilities.SECURE_CONNECTION) != 0) {
            auth = in.bytes(in.u8());
        } else {
            auth = in.nulBytes();
        }
        String database = null;
        if ((caps & Capabilities.CONNECT_WITH_DB) != 0 && in.remaining() > 0) {
            database = in.nulString();
            if (database.isEmpty()) {
                database = null;
            }
        }
        String plugin = null;
        if ((caps & Capabilities.PLUGIN_AUTH) != 0 && in.remaining() > 0) {
            plugin = in.nulString();
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        if ((caps & Capabilities.CONNECT_ATTRS) != 0 && in.remaining() > 0) {
            long total = in.lenenc();
            if (total > in.remaining()) {
                throw new MalformedPacketException("connection attributes overrun the packet");
            }
            int end = in.position() + (int) total;
            while (in.position() < end) {
                String key = in.lenencString();
                String value = in.lenencString();
                attrs.put(key, value);
            }
            if (in.position() != end) {
                throw new MalformedPacketException("connection attributes overrun their length");
            }
        }
        return new Response(caps, maxPacket, charset, user, auth, database, plugin, attrs);
    }

    /** Parses Protocol::HandshakeV10 (an ERR packet instead of a greeting is the caller's to check first). */
    public static Greeting parseGreeting(byte[] payload) throws MalformedPacketException {
        PacketReader in = new PacketReader(payload);
        if (in.u8() != 10) {
            throw new MalformedPacketException("not a protocol v10 greeting");
        }
        in.nulBytes(); // server version
        long connectionId = Integer.toUnsignedLong(in.i32());
        byte[] first = in.bytes(8);
        in.skip(1);
        int caps = in.u16();
        in.skip(1 + 2); // charset, status
        caps |= in.u16() << 16;
        int nonceLength = in.u8();
        in.skip(10);
        if (nonceLength != AuthPlugins.NONCE_LENGTH + 1) {
            throw new MalformedPacketException("greeting with a " + nonceLength + "-byte scramble");
        }
        byte[] rest = in.bytes(AuthPlugins.NONCE_LENGTH - 8);
        in.skip(1);
        String plugin = (caps & Capabilities.PLUGIN_AUTH) != 0 && in.remaining() > 0 ? in.nulString() : null;
        byte[] nonce = new byte[AuthPlugins.NONCE_LENGTH];
        System.arraycopy(first, 0, nonce, 0, 8);
        System.arraycopy(rest, 0, nonce, 8, rest.length);
        return new Greeting(connectionId, nonce, caps, plugin);
    }

    /**
     * Protocol::HandshakeResponse41 as a client writes it; the capabilities must include PROTOCOL_41,
     * PLUGIN_AUTH_LENENC_CLIENT_DATA and PLUGIN_AUTH (a plugin name is always sent).
     */
    public static PacketBuilder response(Response r) {
        PacketBuilder p = new PacketBuilder(128 + r.authResponse().length);
        int caps = r.capabilities();
        if (r.database() != null) {
            caps |= Capabilities.CONNECT_WITH_DB;
        }
        p.i32(caps).i32((int) r.maxPacket()).u8(r.charset()).zeros(23)
                .nulString(r.user()).lenencBytes(r.authResponse());
        if ((caps & Capabilities.CONNECT_WITH_DB) != 0) {
            p.nulString(r.database() == null ? "" : r.database());
        }
        p.nulString(r.plugin());
        if ((caps & Capabilities.CONNECT_ATTRS) != 0) {
            PacketBuilder attrs = new PacketBuilder(64);
            r.attributes().forEach((k, v) -> attrs.lenencString(k).lenencString(v));
            p.lenenc(attrs.length()).bytes(attrs.array(), 0, attrs.length());
        }
        return p;
    }
}
