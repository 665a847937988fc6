package io.cairn.mysql.server;

import io.cairn.mysql.Charsets;

import java.util.LinkedHashMap;
import java.util.Map;

/** The connection phase's packets: the server greeting (HandshakeV10) and the client's HandshakeResponse41. */
final class Handshake {
    private Handshake() {
    }

    /** What the client answered to the greeting. */
    record Response(int capabilities, long maxPacket, int charset, String user, byte[] authResponse,
                    String database, String plugin, Map<String, String> attributes) {
    }

    /** Protocol::HandshakeV10 with a 20-byte nonce. */
    static PacketBuilder greeting(String serverVersion, long connectionId, byte[] nonce, int capabilities,
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

    /** True when the payload is an SSLRequest (the short response asking to switch to TLS). */
    static boolean isSslRequest(byte[] payload) throws MalformedPacketException {
        if (payload.length < 32) {
            throw new MalformedPacketException("handshake response too short: " + payload.length);
        }
        int caps = new PacketReader(payload).i32();
        return payload.length == 32 && (caps & Capabilities.SSL) != 0;
    }

    /** Parses HandshakeResponse41; clients without CLIENT_PROTOCOL_41 are refused as malformed. */
    static Response parseResponse(byte[] payload) throws MalformedPacketException {
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
}
