package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.node.ConfigException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The client TLS settings: the new names first, the proxy's old names as a fallback, ON/OFF parsing. */
class ClientTlsTest {
    private static Function<String, Optional<String>> config(Map<String, String> values) {
        return key -> Optional.ofNullable(values.get(key));
    }

    @Test
    void noKeyStoreMeansNoTls() {
        assertThat(ClientTls.load(config(Map.of()))).isNull();
        assertThat(ClientTls.load(config(Map.of(ClientTls.KEY_STORE, "  ")))).isNull();
    }

    @Test
    void aBadKeyStoreNamesTheSettingThatNamedItAndNeverThePassword() {
        assertThatThrownBy(() -> ClientTls.load(config(Map.of(ClientTls.OLD_KEY_STORE, "/nonexistent/old.p12",
                ClientTls.OLD_KEY_STORE_PASSWORD, "secret-pw"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ClientTls.OLD_KEY_STORE)
                .hasMessageContaining("/nonexistent/old.p12").hasMessageNotContaining("secret-pw");
        // the new name wins over the old one
        assertThatThrownBy(() -> ClientTls.load(config(Map.of(ClientTls.KEY_STORE, "/nonexistent/new.p12",
                ClientTls.OLD_KEY_STORE, "/nonexistent/old.p12"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ClientTls.KEY_STORE + ":")
                .hasMessageContaining("/nonexistent/new.p12");
    }

    @Test
    void requireSecureTransportIsOnOrOff() {
        assertThat(ClientTls.requireSecureTransport(config(Map.of()))).isFalse();
        assertThat(ClientTls.requireSecureTransport(config(Map.of(ClientTls.REQUIRE_SECURE_TRANSPORT, "on")))).isTrue();
        assertThat(ClientTls.requireSecureTransport(config(Map.of(ClientTls.REQUIRE_SECURE_TRANSPORT, "0")))).isFalse();
        assertThatThrownBy(() -> ClientTls.requireSecureTransport(config(Map.of(ClientTls.REQUIRE_SECURE_TRANSPORT, "yes"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ClientTls.REQUIRE_SECURE_TRANSPORT);
    }
}
