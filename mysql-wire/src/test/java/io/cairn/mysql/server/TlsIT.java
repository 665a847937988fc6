package io.cairn.mysql.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** TLS via the SSLRequest upgrade, with a self-signed PKCS12 key store made by the JDK's keytool. */
class TlsIT {
    private static final char[] PASSWORD = "changeit".toCharArray();
    @TempDir
    static Path dir;
    private static FakeEngine engine;

    @BeforeAll
    static void start() throws Exception {
        Path ks = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "cairn", "-keyalg", "RSA", "-keysize",
                "2048", "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                ks.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(output).isZero();
        engine = FakeEngine.start(b -> b.tls(ks, PASSWORD));
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"mysql, sslMode=REQUIRED", "mysql, sslMode=DISABLED", "mariadb, sslMode=trust"})
    void queriesWorkOverTls(String scheme, String options) throws SQLException {
        try (Connection c = DriverManager.getConnection(
                "jdbc:" + scheme + "://127.0.0.1:" + engine.port() + "/test?" + options,
                FakeEngine.SHA2_USER, FakeEngine.PASSWORD);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM types")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("vc")).isEqualTo("héllo wörld ✓ 日本");
        }
    }
}
