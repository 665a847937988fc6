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
}
