package io.cairn.node.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.node.ConfigException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterTlsTest {
    @TempDir
    static Path temp;
    private static TestPki pki;
    private static Map<String, String> good;

    @BeforeAll
    static void createPki() throws Exception {
        pki = TestPki.create(temp.resolve("cluster"));
        good = pki.settings(pki.issue("s1"));
    }

    private static Optional<ClusterTls> load(Map<String, String> values) {
        return ClusterTls.load(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void noSettingMeansPlainInternalTraffic() {
        assertThat(load(Map.of())).isEmpty();
    }

    @Test
    void trustsItsOwnCaAndNoOther() throws Exception {
        TestPki foreign = TestPki.create(temp.resolve("foreign"));
        ClusterTls tls = load(good).orElseThrow();
        X509Certificate[] peer = chain(pki.clusterTls("s2"));
        X509Certificate[] stranger = chain(foreign.clusterTls("s2"));

        assertThat(tls.material().trustedCertificates()).hasSize(1);
        tls.material().trustManager().checkClientTrusted(peer, "EC");
        tls.material().trustManager().checkServerTrusted(peer, "ECDHE_ECDSA");
        assertThatThrownBy(() -> tls.material().trustManager().checkClientTrusted(stranger, "EC"))
                .isInstanceOf(CertificateException.class);
        assertThat(tls.material().sslContext().getProtocol()).isEqualTo("TLS");
    }

    @Test
    void partialOrWrongSettingsNameTheProperty() throws Exception {
        Map<String, String> noPassword = new HashMap<>(good);
        noPassword.remove(ClusterTls.PASSWORD);
        assertThatThrownBy(() -> load(noPassword)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(ClusterTls.PASSWORD + ": must be set");

        Map<String, String> noTrust = new HashMap<>(good);
        noTrust.remove(ClusterTls.TRUST_STORE);
        assertThatThrownBy(() -> load(noTrust)).hasMessageStartingWith(ClusterTls.TRUST_STORE + ": must be set");

        Map<String, String> missing = new HashMap<>(good);
        missing.put(ClusterTls.KEY_STORE, temp.resolve("absent.p12").toString());
        assertThatThrownBy(() -> load(missing)).hasMessageStartingWith(ClusterTls.KEY_STORE + ": cannot read");

        Map<String, String> wrongPassword = new HashMap<>(good);
        wrongPassword.put(ClusterTls.PASSWORD, "not-it");
        assertThatThrownBy(() -> load(wrongPassword)).hasMessageStartingWith(ClusterTls.KEY_STORE + ": cannot load");

        Map<String, String> trustAsKeys = new HashMap<>(good);
        trustAsKeys.put(ClusterTls.KEY_STORE, pki.trustStore().toString());
        assertThatThrownBy(() -> load(trustAsKeys)).hasMessageContaining("holds no private key entry");
    }

    private static X509Certificate[] chain(ClusterTls tls) {
        var keys = tls.material().keyManager();
        String alias = keys.getClientAliases("EC", null)[0];
        return keys.getCertificateChain(alias);
    }
}
