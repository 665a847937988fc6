package io.cairn.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.data.DataNode;
import io.cairn.mysql.fuzz.WireClient;
import io.cairn.mysql.server.MysqlServer;
import io.cairn.mysql.server.MysqlServerConfig;
import io.cairn.mysql.server.TlsUpgrader;
import io.cairn.node.testing.Wait;
import io.cairn.sql.session.SqlEngine;
import io.cairn.txn.node.TransactionNode;
import io.cairn.txn.testing.InMemoryLog;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client-facing security through real clients (Connector/J, the {@code mariadb} CLI, {@code openssl
 * s_client -starttls mysql}) on both client ports: the proxy's and the compute node's. One compute node
 * with the real SQL engine (in-memory log, real TN) and a proxy in front of it, both serving TLS from
 * one key store, as a Cairn server does: require_secure_transport (3159), REQUIRE SSL accounts (1045),
 * TLS versions and ciphers, certificate reload, max_connections (1040), MAX_USER_CONNECTIONS (1226),
 * max_user_connections (1203) and wait_timeout (4031, locks released).
 */
class ClientSecurityIT {
    private static final byte[] SECRET = "client-security-it-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final String PASSWORD = "changeit";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Path keyStore;
    private Path keyStoreA;
    private Path keyStoreB;
    private InMemoryLog log;
    private TransactionNode tn;
    private DataNode data;
    private MysqlServer cn;
    private ProxyServer proxy;
    private final List<Connection> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        keyStoreA = generateKeyStore("cairn-a");
        keyStoreB = generateKeyStore("cairn-b");
        keyStore = dir.resolve("server.p12");
        Files.copy(keyStoreA, keyStore);
        TlsUpgrader tls = TlsUpgrader.fromKeyStore(keyStore, PASSWORD.toCharArray());
        log = new InMemoryLog();
        tn = new TransactionNode(log, Clock.systemUTC(), new TransactionNode.Settings("tn", "local",
                Duration.ofMillis(600), Duration.ofSeconds(60), Duration.ofSeconds(2)));
        tn.start();
        Wait.until("the TN takes its lease", WAIT, () -> tn.state() == TransactionNode.State.ACTIVE);
        data = new DataNode(log, () -> tn, new DataNode.Settings("cn", Duration.ofSeconds(5), Duration.ofSeconds(5)));
        data.start();
        SqlEngine engine = new SqlEngine(data, "");
        cn = new MysqlServer(MysqlServerConfig.builder().port(0).handlerThreads(4).proxySecret(SECRET).tls(tls).build(),
                engine.authenticator(), engine).start();
        engine.setConnectionKiller(id -> cn.kill(id, false));
        engine.setTlsReloader(tls::reload);
        ProxySettings settings = ProxySettings.load("127.0.0.1", 0, new String(SECRET, StandardCharsets.UTF_8), null,
                tls, key -> Optional.empty());
        List<ComputeNodes.Cn> members = List.of(new ComputeNodes.Cn("cn", "127.0.0.1:" + cn.port(), "default", false, true));
        proxy = new ProxyServer(settings, new ComputeNodes(() -> members, new CircuitBreaker(System::nanoTime)),
                ProxyServer.LocalCn.NONE).start();
    }

    @AfterEach
    void stop() {
        for (Connection c : open) {
            try {
                c.close();
            } catch (SQLException e) {
                // already closed by the server
            }
        }
        if (proxy != null) {
            proxy.close();
        }
        if (cn != null) {
            cn.close();
        }
        if (data != null) {
            data.close();
        }
        if (tn != null) {
            tn.close();
        }
    }

    // ---- require_secure_transport and REQUIRE SSL ----

    @Test
    void requireSecureTransportRefusesPlainClientsOnBothPortsWith3159() throws Exception {
        Connection admin = tls(cn.port(), "root", "");
        exec(admin, "SET GLOBAL require_secure_transport = ON");
        assertThat(query(admin, "SELECT @@global.require_secure_transport")).isEqualTo("1");
        for (int port : List.of(proxy.port(), cn.port())) {
            assertThatThrownBy(() -> plain(port, "root", ""))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(3159);
                        assertThat(e.getSQLState()).isEqualTo("HY000");
                        assertThat(e.getMessage()).isEqualTo("Connections using insecure transport are prohibited "
                                + "while --require_secure_transport=ON.");
                    });
            assertThat(query(tls(port, "root", ""), "SELECT 1")).isEqualTo("1");
            CliResult skipSsl = mariadb(port, "--skip-ssl", "-e", "SELECT 1");
            assertThat(skipSsl.exit()).isNotZero();
            assertThat(skipSsl.output()).contains("ERROR 3159 (HY000)");
            CliResult ssl = mariadb(port, "--ssl", "-N", "-e", "SELECT 42");
            assertThat(ssl.output()).contains("42");
            assertThat(ssl.exit()).isZero();
        }
        // KILL through the proxy logs in to the CN for the victim's user: admitted before, not refused now
        Connection victim = tls(proxy.port(), "root", "");
        long victimId = victim.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).getId();
        exec(tls(proxy.port(), "root", ""), "KILL " + victimId);
        Wait.until("the killed session is closed", WAIT, Wait.checked(() -> !victim.isValid(2)));
        assertThatThrownBy(() -> exec(admin, "SET SESSION require_secure_transport = OFF"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1229));
        exec(admin, "SET GLOBAL require_secure_transport = OFF");
        assertThat(query(plain(proxy.port(), "root", ""), "SELECT 1")).isEqualTo("1");
    }

    @Test
    void requireSslAccountsNeedTlsAndGetAPlain1045Without() throws Exception {
        Connection admin = tls(cn.port(), "root", "");
        exec(admin, "CREATE USER 'sec'@'%' IDENTIFIED BY 'pw' REQUIRE SSL");
        for (int port : List.of(proxy.port(), cn.port())) {
            assertThatThrownBy(() -> plain(port, "sec", "pw"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1045);
                        assertThat(e.getSQLState()).isEqualTo("28000");
                        assertThat(e.getMessage()).isEqualTo("Access denied for user 'sec'@'localhost' (using password: YES)");
                    });
            assertThat(query(tls(port, "sec", "pw"), "SELECT 1")).isEqualTo("1");
        }
        exec(admin, "ALTER USER 'sec'@'%' REQUIRE NONE");
        assertThat(query(plain(proxy.port(), "sec", "pw"), "SELECT 1")).isEqualTo("1");
        assertThatThrownBy(() -> exec(admin, "ALTER USER 'sec'@'%' REQUIRE X509"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1235));
    }

    // ---- protocols, ciphers, reload ----

    @Test
    void onlyTls12And13WithForwardSecretAeadCiphersAreOffered() throws Exception {
        for (int port : List.of(proxy.port(), cn.port())) {
            assertThat(sClient(port, "-tls1_3").output()).contains("New, TLSv1.3");
            assertThat(sClient(port, "-tls1_2").output()).containsPattern("New, TLSv1.2, Cipher is ECDHE-RSA-(AES\\d+-GCM|CHACHA20)");
            // the client would take them (security level 0); the server refuses
            assertThat(sClient(port, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0").output()).doesNotContain("New, TLSv1.1");
            assertThat(sClient(port, "-tls1_2", "-cipher", "AES128-GCM-SHA256").output()).as("RSA key exchange")
                    .doesNotContain("New, TLSv1.2");
            assertThat(sClient(port, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA").output()).as("CBC with SHA-1")
                    .doesNotContain("New, TLSv1.2");
            for (String version : List.of("TLSv1.2", "TLSv1.3")) {
                try (Connection c = DriverManager.getConnection(url(port, "sslMode=REQUIRED&tlsVersions=" + version),
                        "root", "")) {
                    assertThat(query(c, "SELECT 1")).isEqualTo("1");
                }
            }
        }
    }

    @Test
    void aReplacedKeyStoreServesNewConnectionsWhileOldOnesGoOn() throws Exception {
        Connection before = tls(proxy.port(), "root", "");
        Connection beforeDirect = tls(cn.port(), "root", "");
        for (int port : List.of(proxy.port(), cn.port())) {
            assertThat(sClient(port, "-tls1_3").output()).contains("CN = cairn-a");
        }
        replaceKeyStore(keyStoreB); // noticed by the periodic check
        for (int port : List.of(proxy.port(), cn.port())) {
            Wait.until("port " + port + " serves the new certificate", WAIT,
                    Wait.checked(() -> sClient(port, "-tls1_3").output().contains("CN = cairn-b")));
        }
        assertThat(query(before, "SELECT 1")).isEqualTo("1");
        assertThat(query(beforeDirect, "SELECT 1")).isEqualTo("1");

        // ALTER INSTANCE RELOAD TLS takes effect before it answers; a broken file keeps the last certificate
        replaceKeyStore(keyStoreA);
        exec(beforeDirect, "ALTER INSTANCE RELOAD TLS");
        assertThat(sClient(cn.port(), "-tls1_3").output()).contains("CN = cairn-a");
        Files.writeString(dir.resolve("broken"), "not a key store");
        replaceKeyStore(dir.resolve("broken"));
        assertThatThrownBy(() -> exec(before, "ALTER INSTANCE RELOAD TLS"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(3888));
        assertThat(sClient(proxy.port(), "-tls1_3").output()).contains("CN = cairn-a");
        exec(before, "CREATE USER 'plain'@'%' IDENTIFIED BY 'pw'");
        assertThatThrownBy(() -> exec(tls(cn.port(), "plain", "pw"), "ALTER INSTANCE RELOAD TLS"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1227));
    }

    // ---- limits ----

    @Test
    void maxConnectionsCountsPerProxyAndPerComputeNodePort() throws Exception {
        Connection admin = plain(cn.port(), "root", "");
        exec(admin, "SET GLOBAL max_connections = 2");
        plain(cn.port(), "root", ""); // the second direct one
        assertThatThrownBy(() -> plain(cn.port(), "root", ""))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1040);
                    assertThat(e.getMessage()).isEqualTo("Too many connections");
                });
        plain(proxy.port(), "root", "");
        plain(proxy.port(), "root", "");
        assertThatThrownBy(() -> plain(proxy.port(), "root", ""))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1040));
    }

    @Test
    void accountAndGlobalUserConnectionLimits() throws Exception {
        Connection admin = plain(cn.port(), "root", "");
        exec(admin, "CREATE USER 'lim'@'%' IDENTIFIED BY 'pw' WITH MAX_USER_CONNECTIONS 2");
        exec(admin, "CREATE USER 'other'@'%' IDENTIFIED BY 'pw'");
        exec(admin, "SET GLOBAL max_user_connections = 1");
        for (int port : List.of(proxy.port(), cn.port())) {
            plain(port, "lim", "pw");
            plain(port, "lim", "pw"); // the account's own limit (2) stands above the global one (1)
            assertThatThrownBy(() -> plain(port, "lim", "pw"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1226);
                        assertThat(e.getSQLState()).isEqualTo("42000");
                        assertThat(e.getMessage()).isEqualTo(
                                "User 'lim' has exceeded the 'max_user_connections' resource (current value: 2)");
                    });
            plain(port, "other", "pw");
            assertThatThrownBy(() -> plain(port, "other", "pw"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1203);
                        assertThat(e.getMessage()).isEqualTo(
                                "User other already has more than 'max_user_connections' active connections");
                    });
        }
    }

    /**
     * The idle session is a hand-driven client ({@link WireClient}) because Connector/J cannot show 4031: it
     * discards unread input before it sends a command, so it reports a communications failure instead, as
     * it does with MySQL.
     */
    @Test
    void anIdleSessionPastWaitTimeoutGets4031AndItsLocksAreReleased() throws Exception {
        Connection admin = plain(cn.port(), "root", "");
        exec(admin, "CREATE DATABASE app");
        exec(admin, "CREATE TABLE app.t (id INT PRIMARY KEY, v INT)");
        exec(admin, "INSERT INTO app.t VALUES (1, 0), (2, 0)");
        int row = 1;
        for (int port : List.of(proxy.port(), cn.port())) {
            try (WireClient idle = WireClient.connect("127.0.0.1", port, 10_000)) {
                assertThat(idle.login(idle.readGreeting(10_000), WireClient.BASE_CAPABILITIES, "root", "", null, 1,
                        10_000).outcome()).isEqualTo(WireClient.Outcome.OK);
                for (String sql : List.of("SET SESSION wait_timeout = 2", "BEGIN",
                        "UPDATE app.t SET v = 1 WHERE id = " + row)) {
                    idle.query(sql);
                    assertThat(idle.read(WireClient.Shape.RESULT, 10_000).outcome()).as(sql).isEqualTo(WireClient.Outcome.OK);
                }
                // another session waits for the row lock until the idle one is closed and rolled back
                Connection writer = plain(port, "root", "");
                exec(writer, "SET SESSION innodb_lock_wait_timeout = 30");
                int rowToUpdate = row;
                CompletableFuture<Integer> update = CompletableFuture.supplyAsync(() -> {
                    try (Statement st = writer.createStatement()) {
                        return st.executeUpdate("UPDATE app.t SET v = 2 WHERE id = " + rowToUpdate);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                WireClient.Answer unasked = idle.read(WireClient.Shape.SINGLE, 20_000);
                assertThat(unasked.outcome()).isEqualTo(WireClient.Outcome.ERR);
                assertThat(unasked.code()).isEqualTo(4031);
                assertThat(unasked.sqlState()).isEqualTo("HY000");
                assertThat(unasked.message()).isEqualTo("The client was disconnected by the server because of inactivity.");
                assertThat(idle.lastSeq()).isZero();
                assertThat(idle.awaitClose(10_000)).isTrue();
                assertThat(update.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            }
            assertThat(query(admin, "SELECT v FROM app.t WHERE id = " + row)).isEqualTo("2");
            row++;
        }
        // interactive clients (CLIENT_INTERACTIVE) start from interactive_timeout
        exec(admin, "SET GLOBAL interactive_timeout = 7");
        for (int port : List.of(proxy.port(), cn.port())) {
            Connection interactive = remember(DriverManager.getConnection(
                    url(port, "sslMode=DISABLED&interactiveClient=true"), "root", ""));
            assertThat(query(interactive, "SELECT @@wait_timeout")).isEqualTo("7");
            assertThat(query(plain(port, "root", ""), "SELECT @@wait_timeout")).isEqualTo("28800");
        }
    }

    // ---- helpers ----

    private Path generateKeyStore(String cn) throws Exception {
        Path file = dir.resolve(cn + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        CliResult r = run(List.of(keytool, "-genkeypair", "-alias", "cairn", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=" + cn, "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        assertThat(r.exit()).as(r.output()).isZero();
        return file;
    }

    /** Replaces the key store as an operator would: a new file moved over the old one in one step. */
    private void replaceKeyStore(Path from) throws Exception {
        Path tmp = dir.resolve("server.p12.new");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, keyStore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String url(int port, String options) {
        return "jdbc:mysql://127.0.0.1:" + port + "/?connectTimeout=10000&socketTimeout=60000&" + options;
    }

    private Connection plain(int port, String user, String password) throws SQLException {
        return remember(DriverManager.getConnection(url(port, "sslMode=DISABLED&allowPublicKeyRetrieval=true"),
                user, password));
    }

    private Connection tls(int port, String user, String password) throws SQLException {
        return remember(DriverManager.getConnection(url(port, "sslMode=REQUIRED"), user, password));
    }

    private Connection remember(Connection c) {
        open.add(c);
        return c;
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private record CliResult(int exit, String output) {
    }

    private CliResult mariadb(int port, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("mariadb", "-h127.0.0.1", "-P" + port, "-uroot",
                "--connect-timeout=10"));
        command.addAll(List.of(args));
        return run(command);
    }

    /** A TLS handshake by OpenSSL after MySQL's SSLRequest; prints the protocol, cipher and certificate. */
    private CliResult sClient(int port, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-starttls", "mysql", "-connect",
                "127.0.0.1:" + port));
        command.addAll(List.of(args));
        return run(command);
    }

    private static CliResult run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new CliResult(p.exitValue(), new String(out.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    }
}
