package io.cairn.mysql.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code cairn_proxy} authentication plugin: how a Cairn proxy logs in to a compute node on a
 * client's behalf. Only holders of the cluster secret can use it; a server without a proxy secret
 * refuses it like a wrong password.
 *
 * <p>The auth data of the HandshakeResponse is {@code u8 version, u8 mode, lenenc client plugin,
 * lenenc proxy salt, lenenc client auth response, [version 2+: lenenc client address,] [version 3: u8
 * flags (1: the client uses TLS), lenenc the proxy's client connections, lenenc those of this user,]
 * 32-byte HMAC-SHA256}. The HMAC, keyed with the secret, covers the server's nonce (so a captured login cannot
 * be replayed against another greeting), the user name and every byte before it. The client address
 * (an IP literal, or empty when unknown) is the address of the proxy's client: the compute node
 * matches accounts' host parts ({@code 'bob'@'10.0.%'}) against it, not against the proxy. The TLS flag
 * lets the compute node apply {@code require_secure_transport} and {@code REQUIRE SSL} to the client's
 * own connection, and the counts let it apply connection limits per proxy (see {@link Client}).
 * <ul>
 *   <li>{@link Mode#VERIFY} (a client's first login): the server checks the client's auth response
 *       against the user's stored hash exactly as for a direct client, with the proxy's salt as the
 *       nonce; an auth switch, if the user's plugin differs, also uses the proxy's salt.</li>
 *   <li>{@link Mode#ASSERT} (the same session moved to another compute node): the proxy has verified
 *       the user before; the server only checks that the user exists.</li>
 * </ul>
 */
public final class ProxyLogin {
    /** The plugin name in the HandshakeResponse. */
    public static final String PLUGIN = "cairn_proxy";

    /** Version 1 had no client address, version 2 no TLS flag and counts; both are still accepted. */
    private static final int VERSION_1 = 1;
    private static final int VERSION_2 = 2;
    private static final int VERSION = 3;
    private static final int FLAG_TLS = 1;
    private static final int MAC_LENGTH = 32;
    private static final int MAX_FIELD = 256;
    private static final int MAX_ADDRESS = 64;
    private static final long MAX_COUNT = 10_000_000;

    /** What the proxy asks of the compute node. */
    public enum Mode {
        VERIFY(1), ASSERT(2);

        private final int wire;

        Mode(int wire) {
            this.wire = wire;
        }
    }

    /**
     * A decoded, authenticated login.
     *
     * @param clientPlugin the plugin the client's auth response was made with (VERIFY), else empty
     * @param salt         the nonce the proxy gave the client (VERIFY), else empty
     * @param clientAuth   the client's auth response to {@code salt} (VERIFY), else empty
     * @param clientAddress the IP address of the proxy's client, or empty when the proxy did not say
     */
    public record Claim(Mode mode, String clientPlugin, byte[] salt, byte[] clientAuth, String clientAddress,
            boolean clientTls, int connections, int userConnections) {
    }

    /**
     * What the proxy says about its client.
     *
     * @param address         the client's IP address (literal), or "" when unknown
     * @param tls             whether the client's connection to the proxy uses TLS
     * @param connections     the proxy's client connections, this one included (0: not counted)
     * @param userConnections the proxy's client connections of this user name, this one included (0: not counted)
     */
    public record Client(String address, boolean tls, int connections, int userConnections) {
        public Client {
            address = address == null ? "" : address;
        }
    }

    private ProxyLogin() {
    }

    /** The auth data for a login to a server that greeted with {@code serverNonce}, without a client address. */
    public static byte[] encode(byte[] secret, byte[] serverNonce, String user, Mode mode, String clientPlugin,
            byte[] salt, byte[] clientAuth) {
        return encode(secret, serverNonce, user, mode, clientPlugin, salt, clientAuth, "");
    }

    /**
     * The auth data for a login to a server that greeted with {@code serverNonce}.
     *
     * @param clientAddress the IP address (literal) of the proxy's client, or "" when unknown
     */
    public static byte[] encode(byte[] secret, byte[] serverNonce, String user, Mode mode, String clientPlugin,
            byte[] salt, byte[] clientAuth, String clientAddress) {
        return encode(secret, serverNonce, user, mode, clientPlugin, salt, clientAuth, new Client(clientAddress, false, 0, 0));
    }

    /** The auth data for a login to a server that greeted with {@code serverNonce}, on behalf of {@code client}. */
    public static byte[] encode(byte[] secret, byte[] serverNonce, String user, Mode mode, String clientPlugin,
            byte[] salt, byte[] clientAuth, Client client) {
        PacketBuilder p = new PacketBuilder(112 + salt.length + clientAuth.length);
        p.u8(VERSION).u8(mode.wire).lenencString(clientPlugin).lenencBytes(salt).lenencBytes(clientAuth)
                .lenencString(client.address()).u8(client.tls() ? FLAG_TLS : 0)
                .lenenc(Math.max(0, client.connections())).lenenc(Math.max(0, client.userConnections()));
        byte[] body = p.toByteArray();
        return new PacketBuilder(body.length + MAC_LENGTH).bytes(body).bytes(mac(secret, serverNonce, user, body))
                .toByteArray();
    }

    /**
     * Checks and decodes auth data sent with plugin {@link #PLUGIN}.
     *
     * @return the claim, or null when the data is malformed or not made with {@code secret} for this
     *         greeting and user (the caller answers access denied either way)
     */
    public static Claim verify(byte[] secret, byte[] serverNonce, String user, byte[] authData) {
        if (secret == null || authData.length < 2 + MAC_LENGTH || authData.length > 4 * MAX_FIELD) {
            return null;
        }
        int bodyLength = authData.length - MAC_LENGTH;
        byte[] body = java.util.Arrays.copyOf(authData, bodyLength);
        byte[] given = java.util.Arrays.copyOfRange(authData, bodyLength, authData.length);
        if (!MessageDigest.isEqual(given, mac(secret, serverNonce, user, body))) {
            return null;
        }
        try {
            PacketReader in = new PacketReader(body);
            int version = in.u8();
            if (version != VERSION && version != VERSION_2 && version != VERSION_1) {
                return null;
            }
            int wireMode = in.u8();
            Mode mode = wireMode == Mode.VERIFY.wire ? Mode.VERIFY : wireMode == Mode.ASSERT.wire ? Mode.ASSERT : null;
            String plugin = in.lenencString();
            byte[] salt = in.lenencBytes();
            byte[] auth = in.lenencBytes();
            String address = version == VERSION_1 ? "" : in.lenencString();
            int flags = 0;
            long connections = 0;
            long userConnections = 0;
            if (version == VERSION) {
                flags = in.u8();
                connections = in.lenenc();
                userConnections = in.lenenc();
            }
            if (mode == null || in.remaining() != 0 || salt.length > MAX_FIELD || auth.length > MAX_FIELD
                    || address.length() > MAX_ADDRESS || connections < 0 || connections > MAX_COUNT
                    || userConnections < 0 || userConnections > MAX_COUNT) {
                return null;
            }
            return new Claim(mode, plugin, salt, auth, address, (flags & FLAG_TLS) != 0, (int) connections,
                    (int) userConnections);
        } catch (MalformedPacketException e) {
            return null;
        }
    }

    private static byte[] mac(byte[] secret, byte[] serverNonce, String user, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(PLUGIN.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 0);
            mac.update(serverNonce);
            mac.update(user.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK without HmacSHA256", e);
        }
    }
}
