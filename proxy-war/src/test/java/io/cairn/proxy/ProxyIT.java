package io.cairn.proxy;

import io.cairn.node.testing.Wait;
import io.cairn.server.ClientTls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy between real drivers (Connector/J, MariaDB Connector/J) and real MySQL servers
 * ({@link TestComputeNode}) over loopback sockets: handshake termination, groups, balancing,
 * failover, drain, KILL and stopping the proxy.
 */
class ProxyIT {
    private static final byte[] SECRET = "proxy-it-cluster-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    private final Map<String, TestComputeNode> cns = new HashMap<>();
    private final List<ComputeNodes.Cn> members = new CopyOnWriteArrayList<>();
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        addCn("a1", "default");
        addCn("a2", "default");
        addCn("r1", "reporting");
        proxy = startProxy(SECRET, "carol:reporting");
    }

    private ProxyServer startProxy(byte[] secret, String rules) throws InterruptedException {
        return startProxy(secret, Map.of(ProxySettings.USER_GROUPS, rules));
    }

    private ProxyServer startProxy(byte[] secret, Map<String, String> properties) throws InterruptedException {
        ProxySettings settings = ProxySettings.load("127.0.0.1", 0, new String(secret, StandardCharsets.UTF_8),
                null, key -> Optional.ofNullable(properties.get(key)));
        return new ProxyServer(settings, new ComputeNodes(() -> List.copyOf(members),
                new CircuitBreaker(System::nanoTime)), ProxyServer.LocalCn.NONE).start();
    }

    @Test
    void withoutAClusterSecretTheProxyUsesTheCnOfItsOwnJvmInProcess() throws Exception {
        TestComputeNode local = cns.get("a2");
        ProxySettings settings = ProxySettings.load("127.0.0.1", 0, null, SECRET, key -> Optional.empty());
        ProxyServer.LocalCn localCn = new ProxyServer.LocalCn(local.endpoint(), () -> local.server().localAddress(),
                () -> local.server().eventLoops());
        try (ProxyServer inJvm = new ProxyServer(settings, new ComputeNodes(() -> List.copyOf(members),
                new CircuitBreaker(System::nanoTime)), localCn).start()) {
            for (int i = 0; i < 3; i++) { // a1 refuses a proxy without the cluster secret: a2 takes them all
                try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + inJvm.port()
                        + "/test?sslMode=DISABLED&useServerPrepStmts=true", "root", "")) {
                    assertThat(query(c, "SELECT CN")).isEqualTo("a2");
                    try (PreparedStatement ps = c.prepareStatement("SELECT ?")) {
                        ps.setString(1, "in-jvm");
                        try (ResultSet rs = ps.executeQuery()) {
                            assertThat(rs.next()).isTrue();
                            assertThat(rs.getString(1)).isEqualTo("in-jvm");
                        }
                    }
                }
            }
        }
    }

    private void addCn(String name, String group) throws InterruptedException {
        TestComputeNode cn = new TestComputeNode(name, SECRET);
        cns.put(name, cn);
        members.add(new ComputeNodes.Cn(name, cn.endpoint(), group, false, true));
    }

    @AfterEach
    void stop() {
        proxy.close();
        cns.values().forEach(TestComputeNode::close);
    }

    private Connection connect(String user, String password, String options) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + proxy.port() + "/test?sslMode=DISABLED"
                + (options.isEmpty() ? "" : "&" + options), user, password);
    }

    private Connection connect() throws SQLException {
        return connect("root", "", "");
    }

    /** Runs {@code sql} on another thread; the future holds its error, or null once it succeeded. */
    private static CompletableFuture<SQLException> executeInBackground(Connection c, String sql) {
        return CompletableFuture.supplyAsync(() -> {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
                return null;
            } catch (SQLException e) {
                return e;
            }
        });
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private void kill(String name) {
        cns.get(name).close();
    }

    private void setMember(String name, String group, boolean draining) {
        members.replaceAll(m -> m.name().equals(name) ? new ComputeNodes.Cn(name, m.endpoint(), group, draining, true) : m);
    }

    @Test
    void clientsLogInThroughTheProxyWithTheirOwnPasswordsAndTheCnsAnswer() throws Exception {
        try (Connection c = connect()) {
            assertThat(query(c, "SELECT CN")).isIn("a1", "a2");
            assertThat(query(c, "SELECT DATABASE()")).isEqualTo("test");
        }
        try (Connection c = connect("alice", TestComputeNode.PASSWORD, "")) { // caching_sha2, fast path
            assertThat(query(c, "SELECT 1")).isEqualTo("1");
        }
        try (Connection c = connect("bob", TestComputeNode.PASSWORD, "")) { // native: auth switch relayed
            assertThat(query(c, "SELECT 1")).isEqualTo("1");
        }
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + proxy.port() + "/test",
                "bob", TestComputeNode.PASSWORD)) {
            assertThat(query(c, "SELECT 1")).isEqualTo("1");
        }
        assertThatThrownBy(() -> connect("alice", "wrong", "")).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getErrorCode()).isEqualTo(1045));
        assertThatThrownBy(() -> connect("bob", "wrong", "")).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getErrorCode()).isEqualTo(1045));
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + proxy.port()
                + "/nosuchdb?sslMode=DISABLED", "root", "")).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(1049));
    }

    @Test
    void bigAnswersArriveWholeAndInOrder() throws Exception {
        // many small rows (gathered into one write), then rows bigger than the relay buffer (passed as they are)
        for (int[] shape : new int[][] {{5000, 10}, {3, 200_000}, {40, 3000}}) {
            try (Connection c = connect(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT ROWS " + shape[0] + " SIZE " + shape[1])) {
                int i = 0;
                while (rs.next()) {
                    assertThat(rs.getLong(1)).isEqualTo(i);
                    assertThat(rs.getString(2)).hasSize(shape[1] + i).matches("x*");
                    i++;
                }
                assertThat(i).isEqualTo(shape[0]);
                assertThat(query(c, "SELECT 1")).as("the session goes on after it").isEqualTo("1");
            }
        }
    }

    @Test
    void clientsThatAskForTlsGetItAndOthersStillConnect(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("proxy.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "cairn", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        try (ProxyServer tls = startProxy(SECRET, Map.of(ClientTls.KEY_STORE, keyStore.toString(),
                ClientTls.KEY_STORE_PASSWORD, "changeit"))) {
            String url = "jdbc:mysql://127.0.0.1:" + tls.port() + "/test?useServerPrepStmts=true&sslMode=";
            for (String mode : List.of("REQUIRED", "DISABLED")) {
                try (Connection c = DriverManager.getConnection(url + mode, "alice", TestComputeNode.PASSWORD)) {
                    assertThat(query(c, "SELECT CN")).isIn("a1", "a2");
                    try (PreparedStatement ps = c.prepareStatement("SELECT ?")) {
                        ps.setString(1, "x".repeat(100_000)); // many TLS records
                        try (ResultSet rs = ps.executeQuery()) {
                            assertThat(rs.next()).isTrue();
                            assertThat(rs.getString(1)).hasSize(100_000);
                        }
                    }
                }
            }
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + tls.port()
                    + "/test?sslMode=trust", "bob", TestComputeNode.PASSWORD)) {
                assertThat(query(c, "SELECT 1")).isEqualTo("1");
            }
        }
        assertThatThrownBy(() -> startProxy(SECRET, Map.of(ClientTls.KEY_STORE, keyStore.toString(),
                ClientTls.KEY_STORE_PASSWORD, "wrong"))).isInstanceOf(io.cairn.node.ConfigException.class)
                .hasMessageContaining(ClientTls.KEY_STORE).hasMessageNotContaining("wrong");
        assertThatThrownBy(() -> connect("root", "", "sslMode=REQUIRED")).as("no key, no TLS")
                .isInstanceOf(SQLException.class);
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrderBeyondTheReadAhead() throws Exception {
        // MariaDB Connector/J sends a whole batch before reading any answer: 200 commands, more than the
        // proxy queues before it stops reading (it must start again, not hang)
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + proxy.port() + "/test",
                "bob", TestComputeNode.PASSWORD); Statement s = c.createStatement()) {
            for (int i = 0; i < 200; i++) {
                s.addBatch("INSERT INTO t VALUES (" + i + ")");
            }
            int[] counts = s.executeBatch();
            assertThat(counts).hasSize(200).containsOnly(1);
            assertThat(query(c, "SELECT 1")).isEqualTo("1");
        }
    }

    @Test
    void aProxyWithoutTheClusterSecretCannotLogIn() throws Exception {
        try (ProxyServer stranger = startProxy("not-the-cluster-secret-at-all".getBytes(StandardCharsets.UTF_8), "")) {
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + stranger.port()
                    + "/test?sslMode=DISABLED", "root", "")).isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(1045));
        }
    }

    @Test
    void sessionsLandOnlyInTheirGroupSpreadEvenly() throws Exception {
        List<Connection> open = new ArrayList<>();
        try {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i < 6; i++) {
                Connection c = connect();
                open.add(c);
                counts.merge(query(c, "SELECT CN"), 1, Integer::sum);
            }
            assertThat(counts).containsEntry("a1", 3).containsEntry("a2", 3);
            try (Connection c = connect("root?group=reporting", "", "")) {
                assertThat(query(c, "SELECT CN")).isEqualTo("r1");
            }
            try (Connection c = connect("root", "", "connectionAttributes=cn_group:reporting")) {
                assertThat(query(c, "SELECT CN")).isEqualTo("r1");
            }
            try (Connection c = connect("root", "", "connectionAttributes=cn_group:default")) {
                assertThat(query(c, "SELECT CN")).isIn("a1", "a2");
            }
            // a user rule sends carol to reporting, whose CN does not know her: its refusal comes back as sent
            assertThatThrownBy(() -> connect("carol", "", "")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(1045));
            assertThat(proxy.sessionsPerComputeNode()).containsEntry(cns.get("a1").endpoint(), 3)
                    .containsEntry(cns.get("r1").endpoint(), 0);
            assertThat(proxy.sessionsByPlacement()).as("per compute node and group (the metrics' view)")
                    .containsEntry(new ProxyServer.Placement(cns.get("a1").endpoint(), "default"), 3)
                    .containsEntry(new ProxyServer.Placement(cns.get("a2").endpoint(), "default"), 3)
                    .containsEntry(new ProxyServer.Placement(cns.get("r1").endpoint(), "reporting"), 0);
            assertThatThrownBy(() -> connect("root?group=nowhere", "", "")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getMessage()).contains("group 'nowhere'"));
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
    }

    /**
     * Membership can list no CN for a moment while a Hazelcast member rebuilds its view (chaos long run
     * 3: 1105s for 1.4 s with every CN alive). A login waits for a CN up to the login timeout; a group
     * that membership does not know, while it lists other groups' CNs, is still refused at once.
     */
    @Test
    void aLoginWaitsForACnWhileMembershipListsNone() throws Exception {
        List<ComputeNodes.Cn> listed = List.copyOf(members);
        members.clear();
        CompletableFuture<String> login = CompletableFuture.supplyAsync(() -> {
            try (Connection c = connect()) {
                return query(c, "SELECT CN");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1_500); // time for the login to (wrongly) fail at once: it must still be waiting
        assertThat(login).isNotDone();
        members.addAll(listed);
        assertThat(login.get(5, TimeUnit.SECONDS)).isIn("a1", "a2");

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> connect("root?group=nowhere", "", "")).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getErrorCode()).isEqualTo(1105));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1_000);

        members.clear();
        t0 = System.nanoTime();
        assertThatThrownBy(this::connect).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getErrorCode()).isEqualTo(1105));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("login timeout 5 s").isBetween(4_500L, 7_000L);
    }

    @Test
    void anIdleSessionMovesWhenItsCnDiesWithVariablesDatabaseAndPreparedStatements() throws Exception {
        for (String url : List.of("jdbc:mysql://127.0.0.1:%d/test?sslMode=DISABLED&useServerPrepStmts=true",
                "jdbc:mysql://127.0.0.1:%d/test?sslMode=DISABLED&useServerPrepStmts=true&cachePrepStmts=true",
                "jdbc:mariadb://127.0.0.1:%d/test?useServerPrepStmts=true")) {
            try (Connection c = DriverManager.getConnection(String.format(url, proxy.port()), "root", "")) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET @x = 42");
                    s.execute("SET @name = 'cairn'");
                    s.execute("USE shop");
                }
                PreparedStatement ps = c.prepareStatement("SELECT ?, ?");
                ps.setInt(1, 7);
                ps.setString(2, "seven");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(2)).isEqualTo("seven");
                }
                String first = query(c, "SELECT CN");
                kill(first);

                assertThat(query(c, "SELECT CN")).isNotEqualTo(first).isIn("a1", "a2");
                assertThat(query(c, "SELECT @x")).isEqualTo("42");
                assertThat(query(c, "SELECT @name")).isEqualTo("cairn");
                assertThat(query(c, "SELECT DATABASE()")).isEqualTo("shop");
                ps.setInt(1, 8);
                ps.setString(2, "eight");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("8");
                    assertThat(rs.getString(2)).isEqualTo("eight");
                }
            }
            stop();
            cns.clear();
            members.clear();
            start();
        }
    }

    /** A COMMIT running on its CN ({@code COMMIT SLEEP}: answered after 30 s), and what the client got. */
    private record SleepingCommit(String cn, CompletableFuture<SQLException> answer) {
    }

    /** Writes a row in a transaction and sends its COMMIT, which waits on the CN until the test acts. */
    private SleepingCommit sleepingCommit(Connection c) throws Exception {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO t VALUES (1)");
        }
        String cn = query(c, "SELECT CN");
        CompletableFuture<SQLException> answer = executeInBackground(c, "COMMIT SLEEP");
        Wait.until("the commit runs on its CN", Duration.ofSeconds(10), () -> cns.get(cn).sleeping());
        return new SleepingCommit(cn, answer);
    }

    @Test
    void aCommitWhoseCnDiesIsReportedAsUnknownNotRolledBack() throws Exception {
        try (Connection c = connect()) {
            SleepingCommit commit = sleepingCommit(c);
            kill(commit.cn());
            SQLException e = commit.answer().get(30, TimeUnit.SECONDS);
            // It may be durable: "rolled back" (1213) would make a client redo a committed transaction.
            assertThat(e != null).as("the commit failed").isTrue();
            assertThat(e.getErrorCode()).isEqualTo(1105);
            assertThat(e.getMessage()).contains("may or may not have been committed");
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("INSERT INTO t VALUES (2)")).isEqualTo(1);
            }
            c.commit();
        }
    }

    /**
     * A paused CN keeps its connections open and answers nothing: once membership drops it, a command
     * waiting on it must end (chaos suite: clients held 9-11 s by an 8 s pause, until their own timeout).
     */
    @Test
    void aCommitWaitingOnACnThatLeftTheClusterEndsAsUnknownAndTheSessionGoesOn() throws Exception {
        try (Connection c = connect()) {
            SleepingCommit commit = sleepingCommit(c); // answers after 30 s: a CN that stopped
            String cn = commit.cn();
            long left = System.nanoTime();
            members.removeIf(m -> m.name().equals(cn)); // membership gave up on it; its socket is still open
            SQLException e = commit.answer().get(30, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - left)).as("ended by the proxy, not by the CN")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(e != null).as("the commit failed").isTrue();
            assertThat(e.getErrorCode()).isEqualTo(1105);
            assertThat(e.getMessage()).contains("may or may not have been committed");
            assertThat(query(c, "SELECT CN")).isNotEqualTo(cn);
        }
    }

    @Test
    void aSessionInsideATransactionGetsOneErrorWhenItsCnDiesThenWorks() throws Exception {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO t VALUES (1)");
            }
            kill(query(c, "SELECT CN"));
            assertThatThrownBy(() -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO t VALUES (2)");
                }
            }).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getErrorCode()).isEqualTo(1213);
                assertThat(e.getSQLState()).isEqualTo("40001");
                assertThat(e.getMessage()).contains("rolled back");
            });
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("INSERT INTO t VALUES (3)")).isEqualTo(1);
            }
            c.commit();
        }
    }

    @Test
    void withNoCnLeftInTheGroupTheClientGetsAnErrorNamingItNotAHang() throws Exception {
        try (Connection c = connect("root?group=reporting", "", "")) {
            kill("r1");
            assertThatThrownBy(() -> query(c, "SELECT 1")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getMessage()).contains("group 'reporting'"));
        }
    }

    @Test
    void drainingACnMovesItsSessionsWithinSeconds() throws Exception {
        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Connection c = connect();
                open.add(c);
                try (Statement s = c.createStatement()) {
                    s.execute("SET @i = " + i);
                }
            }
            int onA1 = proxy.sessionsPerComputeNode().get(cns.get("a1").endpoint());
            long movesBefore = proxy.sessionMoves();
            setMember("a1", "default", true);
            Wait.until("a1 has no session left", Duration.ofSeconds(10), () -> cns.get("a1").sessions.isEmpty());
            Wait.until("the proxy to count the moves", Duration.ofSeconds(10),
                    () -> proxy.sessionMoves() - movesBefore >= onA1);
            assertThat(onA1).isPositive();
            for (int i = 0; i < open.size(); i++) {
                assertThat(query(open.get(i), "SELECT CN")).isEqualTo("a2");
                assertThat(query(open.get(i), "SELECT @i")).isEqualTo(String.valueOf(i));
            }
            try (Connection c = connect()) {
                assertThat(query(c, "SELECT CN")).isEqualTo("a2");
            }
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
    }

    @Test
    void aDrainWaitsForTheEndOfATransactionWhichKeepsItsCnAndItsLocks() throws Exception {
        try (Connection c = connect()) {
            String cn = query(c, "SELECT CN");
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO t VALUES (1)"); // its row locks live as long as its transaction
            }
            setMember(cn, "default", true);
            String other = cn.equals("a1") ? "a2" : "a1";
            for (int i = 0; i < 5; i++) {
                assertThat(query(c, "SELECT CN")).as("not moved inside its transaction").isEqualTo(cn);
                Thread.sleep(300); // a drain moves idle sessions within a second: these 1.5 s are its chances to (wrongly) move this one
            }
            c.commit();
            Wait.until("the session moves off the drained " + cn, Duration.ofSeconds(10),
                    () -> cns.get(cn).sessions.isEmpty());
            assertThat(query(c, "SELECT CN")).as("moved once the transaction ended").isEqualTo(other);
            c.setAutoCommit(true);
        }
    }

    @Test
    void aCursorIsFetchedThroughTheProxyAndADrainWaitsForItsEnd() throws Exception {
        try (Connection c = connect("root", "", "useCursorFetch=true&defaultFetchSize=7")) {
            String cn = query(c, "SELECT CN");
            String other = cn.equals("a1") ? "a2" : "a1";
            try (PreparedStatement ps = c.prepareStatement("SELECT ROWS 100 SIZE 10"); ResultSet rs = ps.executeQuery()) {
                for (int i = 0; i < 50; i++) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(i);
                }
                setMember(cn, "default", true);
                for (int i = 50; i < 100; i++) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(i);
                    if (i % 7 == 0 && i < 98) {
                        // fetches of 7 rows (the one of row 98 has the last row: then the session may move); a
                        // drain moves idle sessions within a second, these 1.75 s are its chances to (wrongly)
                        // move this one with its cursor
                        Thread.sleep(250);
                        assertThat(cns.get(cn).sessions).as("not moved while its cursor is open").isNotEmpty();
                    }
                }
                assertThat(rs.next()).isFalse();
            }
            Wait.until("the session moves off the drained " + cn, Duration.ofSeconds(10),
                    () -> cns.get(cn).sessions.isEmpty());
            assertThat(query(c, "SELECT CN")).as("moved once the cursor ended").isEqualTo(other);
        }
    }

    @Test
    void aCnThatJoinsGetsItsShareOfIdleSessionsWhichKeepTheirState() throws Exception {
        setMember("a2", "default", true); // a1 takes every session
        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Connection c = connect();
                open.add(c);
                try (Statement s = c.createStatement()) {
                    s.execute("SET @i = " + i);
                }
            }
            Connection inTransaction = open.get(0);
            try (Statement s = inTransaction.createStatement()) {
                s.execute("BEGIN");
            }
            assertThat(cns.get("a1").sessions).hasSize(8);
            setMember("a2", "default", false); // joins: a1 is far above the group's average
            Wait.until("4 sessions moved to a2", Duration.ofSeconds(10), () -> cns.get("a2").sessions.size() == 4);
            // two more rounds of the rebalance (one a second): nothing more moves (4 against 4); the proxy tells
            // nobody when a round ran, so this is time for it to (wrongly) move more, not a wait for something
            Thread.sleep(2500);
            assertThat(cns.get("a1").sessions).hasSize(4);
            assertThat(cns.get("a2").sessions).hasSize(4);
            assertThat(query(inTransaction, "SELECT CN")).as("a transaction stays where it is").isEqualTo("a1");
            for (int i = 0; i < open.size(); i++) {
                assertThat(query(open.get(i), "SELECT @i")).isEqualTo(String.valueOf(i));
            }
            try (Statement s = inTransaction.createStatement()) {
                s.execute("COMMIT");
            }
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
    }

    @Test
    void killQueryThroughTheProxyReachesTheRightSession() throws Exception {
        try (Connection sleeper = connect(); Connection killer = connect()) {
            long proxyId = ((com.mysql.cj.jdbc.JdbcConnection) sleeper).getId(); // from the proxy's greeting
            assertThat(proxyId).isGreaterThanOrEqualTo(1L << 30);
            CompletableFuture<SQLException> sleeping = executeInBackground(sleeper, "SLEEP");
            Wait.until("the SLEEP runs on a CN", Duration.ofSeconds(10),
                    () -> cns.values().stream().anyMatch(TestComputeNode::sleeping));
            try (Connection alice = connect("alice", TestComputeNode.PASSWORD, "");
                    Statement s = alice.createStatement()) { // another user's session: as unknown as on a CN
                assertThatThrownBy(() -> s.execute("KILL QUERY " + proxyId)).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(1094));
            }
            try (Statement s = killer.createStatement()) {
                s.execute("KILL QUERY " + proxyId);
            }
            assertThat(sleeping.get().getErrorCode()).isEqualTo(1317);
            assertThat(query(sleeper, "SELECT 1")).isEqualTo("1");

            try (Statement s = killer.createStatement()) {
                s.execute("KILL " + proxyId);
            }
            assertThatThrownBy(() -> query(sleeper, "SELECT 1")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> {
                try (Statement s = killer.createStatement()) {
                    s.execute("KILL 12345");
                }
            }).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1094));
        }
    }

    @Test
    void stoppingTheProxyLetsOpenTransactionsFinishThenEndsSessionsWith1053() throws Exception {
        try (ProxyServer stopping = startProxy(SECRET, Map.of(ProxySettings.SHUTDOWN_GRACE, "60"));
                Connection idle = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + stopping.port()
                        + "/test?sslMode=DISABLED", "root", "");
                Connection idleMariaDb = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + stopping.port()
                        + "/test", "root", "");
                Connection inTransaction = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + stopping.port()
                        + "/test?sslMode=DISABLED", "root", "")) {
            inTransaction.setAutoCommit(false);
            try (Statement s = inTransaction.createStatement()) {
                s.executeUpdate("INSERT INTO t VALUES (1)");
            }
            int port = stopping.port();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(stopping::close);
            Wait.until("the stopping proxy ends its idle sessions at once, not the one in a transaction",
                    Duration.ofSeconds(10), () -> stopping.connections() == 1);
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port
                    + "/test?sslMode=DISABLED&connectTimeout=2000", "root", "")).isInstanceOf(SQLException.class);
            // both were sent ERR 1053 unasked, as MySQL does at shutdown; Connector/J drops unread input before
            // a command, so it sees only the closed connection
            assertThatThrownBy(() -> query(idleMariaDb, "SELECT 1")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).as(e.toString()).isEqualTo(1053));
            assertThatThrownBy(() -> query(idle, "SELECT 1")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).as(e.toString()).isEqualTo("08S01"));

            try (Statement s = inTransaction.createStatement()) { // still served: its transaction finishes
                assertThat(s.executeUpdate("INSERT INTO t VALUES (2)")).isEqualTo(1);
            }
            inTransaction.commit();
            closing.get(10, TimeUnit.SECONDS); // well within the 60 s grace: nothing was left to wait for
            assertThatThrownBy(() -> query(inTransaction, "SELECT 1")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).as(e.toString()).isEqualTo("08S01"));
        }
    }

    @Test
    void whenTheGracePeriodEndsTransactionsAndRunningStatementsAreEndedWith1053() throws Exception {
        try (ProxyServer stopping = startProxy(SECRET, Map.of(ProxySettings.SHUTDOWN_GRACE, "1"));
                Connection inTransaction = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + stopping.port()
                        + "/test?sslMode=DISABLED", "root", "");
                Connection sleeper = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + stopping.port()
                        + "/test?sslMode=DISABLED", "root", "")) {
            inTransaction.setAutoCommit(false);
            try (Statement s = inTransaction.createStatement()) {
                s.executeUpdate("INSERT INTO t VALUES (1)");
            }
            CompletableFuture<SQLException> sleeping = executeInBackground(sleeper, "SLEEP");
            Wait.until("the SLEEP runs on a CN", Duration.ofSeconds(10),
                    () -> cns.values().stream().anyMatch(TestComputeNode::sleeping));
            stopping.close(); // returns once the grace period is over and the sessions are ended
            assertThat(stopping.connections()).isZero();
            assertThat(sleeping.get(10, TimeUnit.SECONDS).getErrorCode()).isEqualTo(1053); // its statement's answer
            assertThatThrownBy(() -> query(inTransaction, "SELECT 1")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).as(e.toString()).isEqualTo("08S01"));
        } finally {
            cns.values().forEach(TestComputeNode::cancelSleeps); // the CN still runs the client's SLEEP
        }
    }
}
