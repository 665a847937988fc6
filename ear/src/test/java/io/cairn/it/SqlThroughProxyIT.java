package io.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SQL with unmodified clients through the proxy port of the EAR on Liberty: Connector/J (text and
 * prepared statements, a transaction) and a {@code mariadb} command-line session.
 */
@ExtendWith(ArquillianExtension.class)
class SqlThroughProxyIT {
    private static final String BASE = "http://127.0.0.1:" + System.getProperty("cairn.it.http.port", "9180");
    private static final int PROXY_PORT = Integer.getInteger("cairn.it.proxy.port", 6091);
    private static final String URL = "jdbc:mysql://127.0.0.1:" + PROXY_PORT + "/?sslMode=DISABLED&connectTimeout=5000";

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("cairn.ear")));
    }

    @BeforeEach
    void serverIsReady() {
        Wait.until("/health/ready to answer UP", Duration.ofSeconds(120),
                () -> Http.get(BASE + "/health/ready").status() == 200);
    }

    @Test
    void connectorJThroughTheProxy() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "root", "")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE IF NOT EXISTS proxy_it");
                s.execute("USE proxy_it");
                s.execute("DROP TABLE IF EXISTS accounts");
                s.execute("CREATE TABLE accounts (id INT PRIMARY KEY, owner VARCHAR(30) NOT NULL, balance BIGINT)");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO accounts VALUES (?, ?, ?)")) {
                for (int i = 1; i <= 5; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, "owner-" + i);
                    insert.setLong(3, 100L * i);
                    insert.addBatch();
                }
                assertThat(insert.executeBatch()).hasSize(5);
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE accounts SET balance = balance - 50 WHERE id = 1");
                s.executeUpdate("UPDATE accounts SET balance = balance + 50 WHERE id = 2");
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT SUM(balance), COUNT(*) FROM accounts")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(1500);
                assertThat(rs.getInt(2)).isEqualTo(5);
            }
            try (PreparedStatement q = c.prepareStatement("SELECT owner, balance FROM accounts WHERE id = ?")) {
                q.setInt(1, 2);
                try (ResultSet rs = q.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("owner-2");
                    assertThat(rs.getLong(2)).isEqualTo(250);
                }
            }
            assertThatThrownBy(() -> c.createStatement().executeUpdate("INSERT INTO accounts VALUES (1, 'dup', 0)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1062));
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM accounts")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("the connection stays usable after an error").isEqualTo(5);
            }
        }
    }

    @Test
    void aMariadbCommandLineSession() throws Exception {
        Path mariadb = Path.of("/usr/bin/mariadb");
        assertThat(mariadb).as("the mariadb client (Debian package mariadb-client, installed by .ci/run)").exists();
        String script = String.join("\n", List.of(
                "CREATE DATABASE IF NOT EXISTS cli_it;",
                "USE cli_it;",
                "DROP TABLE IF EXISTS notes;",
                "CREATE TABLE notes (id INT PRIMARY KEY AUTO_INCREMENT, body VARCHAR(100));",
                "INSERT INTO notes (body) VALUES ('first'), ('second');",
                "SELECT id, body FROM notes ORDER BY id;"));
        Process p = new ProcessBuilder(mariadb.toString(), "-h127.0.0.1", "-P" + PROXY_PORT, "-uroot", "--batch",
                "--skip-ssl").redirectErrorStream(true).start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output.lines().toList()).containsSequence("id\tbody", "1\tfirst", "2\tsecond");
    }
}
