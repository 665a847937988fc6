package io.cairn.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.mysql.server.ClusterCertificates;
import io.cairn.node.tls.ClusterTls;
import io.cairn.node.tls.TestPki;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's login to a compute node with cluster TLS configured on the compute node: it works over
 * TLS with the proxy's cluster certificate, and the {@code cairn_proxy} assertion is refused (1045)
 * over plain TCP, over TLS without a client certificate, and with a certificate of another CA, even
 * with the right cluster secret. Real Connector/J clients, real sockets.
 */
class ProxyClusterTlsIT {
    private static final byte[] SECRET = "cluster-tls-it-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path temp;
    private static TestPki pki;
    private static TestComputeNode cn;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(temp.resolve("cluster-ca"));
        ClusterCertificates cnCertificates = certificates(pki.clusterTls("cn"));
        cn = new TestComputeNode("t1", SECRET, b -> b.clusterCertificates(cnCertificates));
    }

    @AfterAll
    static void stop() {
        if (cn != null) {
            cn.close();
        }
    }

    private static ClusterCertificates certificates(ClusterTls tls) {
        return new ClusterCertificates(tls.material().keyManager(), tls.material().trustManager());
    }

    /** A proxy logging in to {@link #cn} with {@code certificates} (null: plain TCP). */
    private static ProxyServer proxy(ClusterCertificates certificates) throws InterruptedException {
        ProxySettings settings = ProxySettings.load("127.0.0.1", 0, new String(SECRET, StandardCharsets.UTF_8),
                null, key -> Optional.empty());
        if (certificates != null) {
            settings = settings.withClusterTls(certificates);
        }
        List<ComputeNodes.Cn> members = List.of(new ComputeNodes.Cn("t1", cn.endpoint(), "default", false, true));
        return new ProxyServer(settings, new ComputeNodes(() -> members, new CircuitBreaker(System::nanoTime)),
                ProxyServer.LocalCn.NONE).start();
    }

    private static Connection connect(ProxyServer proxy) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + proxy.port() + "/test?sslMode=DISABLED"
                + "&connectTimeout=10000", "root", "");
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void theProxyLogsInOverTlsWithItsClusterCertificate() throws Exception {
        try (ProxyServer proxy = proxy(certificates(pki.clusterTls("proxy"))); Connection c = connect(proxy)) {
            assertThat(query(c, "SELECT CN")).isEqualTo("t1");
            int rows = 0;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT ROWS 200 SIZE 4000")) {
                while (rs.next()) {
                    rows++;
                }
            }
            assertThat(rows).as("a result of ~1 MB relayed over TLS").isEqualTo(200);
        }
    }

    @Test
    void anAssertionOverPlainTcpIsRefusedEvenWithTheSecret() throws Exception {
        try (ProxyServer proxy = proxy(null)) {
            assertThatThrownBy(() -> connect(proxy).close()).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(1045));
        }
    }

    @Test
    void anAssertionOverTlsWithoutAClientCertificateIsRefused() throws Exception {
        ClusterCertificates real = certificates(pki.clusterTls("proxy-without-cert"));
        ClusterCertificates noCertificate = new ClusterCertificates(new NoClientCertificate(real.keys()), real.trust());
        try (ProxyServer proxy = proxy(noCertificate)) {
            assertThatThrownBy(() -> connect(proxy).close()).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(1045));
        }
    }

    @Test
    void aProxyWithACertificateOfAnotherCaCannotLogIn() throws Exception {
        ClusterTls foreign = TestPki.create(temp.resolve("foreign-ca")).clusterTls("intruder");
        try (ProxyServer proxy = proxy(certificates(foreign))) {
            // neither side trusts the other: the TLS handshake fails and the login never reaches the CN
            assertThatThrownBy(() -> connect(proxy).close()).isInstanceOf(SQLException.class);
        }
    }

    /** Presents no certificate when the server asks for one, as a client without the cluster key would. */
    private record NoClientCertificate(X509KeyManager delegate) implements X509KeyManager {
        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }
}
