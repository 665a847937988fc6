package io.cairn.sql.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.mysql.AuthPlugin;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Account rows written before REQUIRE SSL and MAX_USER_CONNECTIONS existed still decode. */
class AccountStoreTest {
    private static final byte[] KEY = "app\0%".getBytes(StandardCharsets.UTF_8);
    private static final byte[] HASH = new byte[32];

    static {
        HASH[0] = 9;
        HASH[31] = 6;
    }

    private static byte[] row(int flags, Integer maxUserConnections) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(2);
            out.writeByte(AuthPlugin.CACHING_SHA2_PASSWORD.ordinal());
            out.writeByte(flags);
            out.writeInt(3);
            out.writeInt(1);
            out.writeLong(42);
            out.writeByte(HASH.length);
            out.write(HASH);
            if (maxUserConnections != null) {
                out.writeInt(maxUserConnections);
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void anOlderRowHasNoTlsRequirementAndNoConnectionLimit() throws IOException {
        Account a = AccountStore.decodeAccount(KEY, row(1, null));
        assertThat(a.user()).isEqualTo("app");
        assertThat(a.locked()).isTrue();
        assertThat(a.failedLoginAttempts()).isEqualTo(3);
        assertThat(a.credential().storedHash()).isEqualTo(HASH);
        assertThat(a.requireSsl()).isFalse();
        assertThat(a.maxUserConnections()).isZero();
    }

    @Test
    void aNewerRowCarriesRequireSslAndMaxUserConnections() throws IOException {
        Account a = AccountStore.decodeAccount(KEY, row(4, 5));
        assertThat(a.locked()).isFalse();
        assertThat(a.requireSsl()).isTrue();
        assertThat(a.maxUserConnections()).isEqualTo(5);
        assertThat(a.revision()).isEqualTo(42);
    }
}
