package io.cairn.mysql.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProxyLoginTest {
    private static final byte[] SECRET = "a-cluster-secret-of-some-length".getBytes(StandardCharsets.UTF_8);

    @Test
    void aLoginMadeWithTheSecretForThisGreetingAndUserVerifies() {
        byte[] nonce = AuthPlugins.nonce();
        byte[] salt = AuthPlugins.nonce();
        byte[] data = ProxyLogin.encode(SECRET, nonce, "alice", ProxyLogin.Mode.VERIFY, "caching_sha2_password",
                salt, new byte[] {1, 2, 3});
        ProxyLogin.Claim claim = ProxyLogin.verify(SECRET, nonce, "alice", data);
        assertThat(claim).isNotNull();
        assertThat(claim.mode()).isEqualTo(ProxyLogin.Mode.VERIFY);
        assertThat(claim.salt()).isEqualTo(salt);
        assertThat(claim.clientAuth()).containsExactly(1, 2, 3);
        assertThat(claim.clientAddress()).isEmpty();
    }

    @Test
    void theClientsAddressTravelsUnderTheMac() {
        byte[] nonce = AuthPlugins.nonce();
        byte[] data = ProxyLogin.encode(SECRET, nonce, "alice", ProxyLogin.Mode.ASSERT, "", new byte[0], new byte[0],
                "10.1.2.3");
        assertThat(ProxyLogin.verify(SECRET, nonce, "alice", data).clientAddress()).isEqualTo("10.1.2.3");
        int at = new String(data, StandardCharsets.ISO_8859_1).indexOf("10.1.2.3");
        data[at + 7] = '4'; // 10.1.2.4
        assertThat(ProxyLogin.verify(SECRET, nonce, "alice", data)).isNull();
    }

    @Test
    void anyOtherSecretGreetingUserOrByteIsRefused() {
        byte[] nonce = AuthPlugins.nonce();
        byte[] data = ProxyLogin.encode(SECRET, nonce, "alice", ProxyLogin.Mode.ASSERT, "", new byte[0], new byte[0]);
        assertThat(ProxyLogin.verify("another-secret-of-some-length".getBytes(StandardCharsets.UTF_8), nonce,
                "alice", data)).isNull();
        assertThat(ProxyLogin.verify(SECRET, AuthPlugins.nonce(), "alice", data)).isNull(); // replayed
        assertThat(ProxyLogin.verify(SECRET, nonce, "root", data)).isNull();
        assertThat(ProxyLogin.verify(null, nonce, "alice", data)).isNull(); // server without a proxy secret
        data[1] ^= 3; // ASSERT -> VERIFY
        assertThat(ProxyLogin.verify(SECRET, nonce, "alice", data)).isNull();
        assertThat(ProxyLogin.verify(SECRET, nonce, "alice", new byte[5])).isNull();
    }

    @Test
    void theClientsTlsFlagAndTheProxysCountsTravelUnderTheMac() {
        byte[] nonce = AuthPlugins.nonce();
        byte[] data = ProxyLogin.encode(SECRET, nonce, "alice", ProxyLogin.Mode.VERIFY, "caching_sha2_password",
                AuthPlugins.nonce(), new byte[] {1}, new ProxyLogin.Client("10.1.2.3", true, 200, 7));
        ProxyLogin.Claim claim = ProxyLogin.verify(SECRET, nonce, "alice", data);
        assertThat(claim.clientTls()).isTrue();
        assertThat(claim.connections()).isEqualTo(200);
        assertThat(claim.userConnections()).isEqualTo(7);
        int flags = data.length - 32 - 2 - 1; // flags, the two counts (one byte each below 251), the MAC
        assertThat(data[flags]).isEqualTo((byte) 1);
        data[flags] = 0; // a proxy's client without TLS claimed as plain: refused
        assertThat(ProxyLogin.verify(SECRET, nonce, "alice", data)).isNull();
    }

    @Test
    void aVersion2LoginHasNeitherTlsNorCounts() {
        byte[] nonce = AuthPlugins.nonce();
        byte[] body = new PacketBuilder(64).u8(2).u8(2).lenencString("").lenencBytes(new byte[0])
                .lenencBytes(new byte[0]).lenencString("10.0.0.9").toByteArray();
        byte[] mac;
        try {
            javax.crypto.Mac m = javax.crypto.Mac.getInstance("HmacSHA256");
            m.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
            m.update("cairn_proxy".getBytes(StandardCharsets.US_ASCII));
            m.update((byte) 0);
            m.update(nonce);
            m.update("alice".getBytes(StandardCharsets.UTF_8));
            m.update((byte) 0);
            mac = m.doFinal(body);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
        byte[] data = new PacketBuilder(body.length + 32).bytes(body).bytes(mac).toByteArray();
        ProxyLogin.Claim claim = ProxyLogin.verify(SECRET, nonce, "alice", data);
        assertThat(claim.clientAddress()).isEqualTo("10.0.0.9");
        assertThat(claim.clientTls()).isFalse();
        assertThat(claim.connections()).isZero();
    }
}
