package io.cairn.mysql.server;

import io.cairn.mysql.AuthPlugin;
import io.cairn.mysql.Credential;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import static org.assertj.core.api.Assertions.assertThat;

/** Scrambles computed here the way clients compute them, verified by the server side. */
class AuthPluginsTest {

    private static byte[] sha(String alg, byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance(alg);
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] r = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (byte) (a[i] ^ b[i]);
        }
        return r;
    }

    @Test
    void nativePasswordScramble() throws Exception {
        byte[] pw = "secret".getBytes(StandardCharsets.UTF_8);
        byte[] nonce = AuthPlugins.nonce();
        byte[] stage1 = sha("SHA-1", pw);
        byte[] scramble = xor(stage1, sha("SHA-1", nonce, sha("SHA-1", stage1)));
        Credential c = Credential.forPassword(AuthPlugin.MYSQL_NATIVE_PASSWORD, "secret");
        assertThat(AuthPlugins.verify(c, nonce, scramble)).isTrue();
        scramble[0] ^= 1;
        assertThat(AuthPlugins.verify(c, nonce, scramble)).isFalse();
    }

    @Test
    void cachingSha2Scramble() throws Exception {
        byte[] pw = "secret".getBytes(StandardCharsets.UTF_8);
        byte[] nonce = AuthPlugins.nonce();
        byte[] stage1 = sha("SHA-256", pw);
        byte[] scramble = xor(stage1, sha("SHA-256", sha("SHA-256", stage1), nonce));
        Credential c = Credential.forPassword(AuthPlugin.CACHING_SHA2_PASSWORD, "secret");
        assertThat(AuthPlugins.verify(c, nonce, scramble)).isTrue();
        assertThat(AuthPlugins.verify(c, AuthPlugins.nonce(), scramble)).isFalse();
        assertThat(AuthPlugins.verify(c, nonce, new byte[0])).isFalse();
    }

    @Test
    void emptyPasswordAcceptsOnlyAnEmptyResponse() {
        Credential c = Credential.forPassword(AuthPlugin.CACHING_SHA2_PASSWORD, "");
        assertThat(AuthPlugins.verify(c, AuthPlugins.nonce(), new byte[0])).isTrue();
        assertThat(AuthPlugins.verify(c, AuthPlugins.nonce(), new byte[] {0})).isTrue();
        assertThat(AuthPlugins.verify(c, AuthPlugins.nonce(), new byte[32])).isFalse();
    }

    @Test
    void noncesArePrintableWithoutNul() {
        for (byte b : AuthPlugins.nonce()) {
            assertThat(b).isBetween((byte) 0x21, (byte) 0x7e);
        }
    }
}
