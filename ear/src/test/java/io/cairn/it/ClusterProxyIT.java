package io.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.node.testing.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The proxy in the shared 3-server cluster ({@link LocalCluster}), with JDBC clients on s1's proxy: s3's compute node is put into group {@code reporting} through the admin API,
 * s1 and s2 stay in {@code default}. One cluster for all tests, which run in order: groups and
 * balance, drain, multi-host clients on s2's proxy, then kill -9 of s2 (its compute node and its
 * proxy) and what that did to the sessions of both proxies. It leaves s2 dead, so it runs after the other
 * cluster ITs (classes run in alphabetical order: {@code ClusterMembershipIT} first).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(LocalCluster.class)
class ClusterProxyIT {
    private static final Path VAR = LocalCluster.VAR;
    private static final int OFFSET = LocalCluster.OFFSET;
    private static final List<Connection> DEFAULT_SESSIONS = new ArrayList<>();
    /** Connector/J failover to the next host for a new connection after a failure, writable there too. */
    private static final String MULTI_HOST_URL = "jdbc:mysql://127.0.0.1:" + (6002 + OFFSET) + ",127.0.0.1:"
            + (6001 + OFFSET) + "/pit?sslMode=DISABLED&failOverReadOnly=false&connectTimeout=2000&socketTimeout=30000";
    /** Sessions through s2's proxy (first host of {@link #MULTI_HOST_URL}); the last is inside a transaction. */
    private static final List<Connection> MULTI_HOST_SESSIONS = new ArrayList<>();

    @BeforeAll
    static void reportingGroupAndTestTable() throws Exception {
        cairn(Duration.ofSeconds(30), "cn", "group", "s3", "reporting");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            rows.append(i == 0 ? "" : ", ").append("(").append(i).append(", ").append(i * 10).append(")");
        }
        // a fresh cluster may still be settling its TN lease: statements are repeated until they pass
        Wait.until("the test table to be created", Duration.ofSeconds(90), () -> setUp(
                "CREATE DATABASE IF NOT EXISTS pit", "CREATE TABLE IF NOT EXISTS pit.t (id INT PRIMARY KEY, v INT)",
                "DELETE FROM pit.t", "INSERT INTO pit.t VALUES " + rows));
    }

    private static boolean setUp(String... statements) {
        try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + (6001 + OFFSET)
                + "/?sslMode=DISABLED", "root", ""); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    @AfterAll
    static void closeSessions() throws Exception {
        for (Connection c : DEFAULT_SESSIONS) {
            c.close();
        }
        for (Connection c : MULTI_HOST_SESSIONS) {
            c.close();
        }
    }

    private static Connection connect(String user) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + (6001 + OFFSET)
                + "/pit?sslMode=DISABLED&useServerPrepStmts=true", user, "");
    }

    private static String cn(int server) {
        return "127.0.0.1:" + (6100 + server + OFFSET);
    }

    @Test
    @Order(1)
    void sessionsLandOnlyInTheirGroupsCnsSpreadEvenly() throws Exception {
        for (int i = 0; i < 16; i++) {
            Connection c = connect("root");
            DEFAULT_SESSIONS.add(c);
            try (Statement s = c.createStatement()) {
                s.execute("SET @v = " + i);
            }
        }
        List<Connection> reporting = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                reporting.add(connect("root?group=reporting"));
            }
            Map<String, Integer> sessions = proxySessions();
            assertThat(sessions.get(cn(1))).isBetween(8, 8 + 1);
            assertThat(sessions.get(cn(2))).isBetween(8 - 1, 8);
            assertThat(sessions.get(cn(3))).isEqualTo(3);
            assertThat(query(reporting.get(0), "SELECT v FROM t WHERE id = 3")).isEqualTo("30");
        } finally {
            for (Connection c : reporting) {
                c.close();
            }
        }
    }

    @Test
    @Order(2)
    void drainingACnMovesAllItsSessionsWithinTenSecondsWithoutErrors() throws Exception {
        cairn(Duration.ofSeconds(30), "cn", "drain", "s1");
        try {
            Wait.until("s1's CN to have no proxy sessions", Duration.ofSeconds(10),
                    () -> proxySessions().get(cn(1)) == 0);
            assertThat(proxySessions().get(cn(2))).isEqualTo(16);
            for (int i = 0; i < DEFAULT_SESSIONS.size(); i++) {
                assertThat(query(DEFAULT_SESSIONS.get(i), "SELECT @v")).isEqualTo(String.valueOf(i));
            }
        } finally {
            cairn(Duration.ofSeconds(30), "cn", "undrain", "s1");
        }
        // s1's CN is back with none of the 16: the rebalance moves half of them there, idle as they are
        Wait.until("the sessions to rebalance onto s1's CN", Duration.ofSeconds(10),
                () -> proxySessions().get(cn(1)) >= 7);
        // and then stops: two more rounds (one a second) move nothing; nothing outside the proxy tells when a
        // round ran, so this is time for the rebalance to (wrongly) move more, not a wait for something
        Thread.sleep(2500);
        assertThat(proxySessions().get(cn(1))).isBetween(7, 9);
        assertThat(proxySessions().get(cn(2))).isBetween(7, 9);
        for (int i = 0; i < DEFAULT_SESSIONS.size(); i++) {
            assertThat(query(DEFAULT_SESSIONS.get(i), "SELECT @v")).isEqualTo(String.valueOf(i));
        }
    }

    @Test
    @Order(3)
    void multiHostClientsConnectThroughTheirFirstHostsProxy() throws Exception {
        for (int i = 0; i < 4; i++) {
            Connection c = DriverManager.getConnection(MULTI_HOST_URL, "root", "");
            MULTI_HOST_SESSIONS.add(c);
            assertThat(query(c, "SELECT v FROM t WHERE id = " + i)).isEqualTo(String.valueOf(i * 10));
        }
        Connection inTransaction = MULTI_HOST_SESSIONS.get(3);
        inTransaction.setAutoCommit(false);
        try (Statement s = inTransaction.createStatement()) {
            assertThat(s.executeUpdate("UPDATE t SET v = 30 WHERE id = 3")).isEqualTo(1);
        }
        assertThat(proxySessions(2).values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(4);
    }

    /**
     * 16 sessions on s1's and s2's CNs, idle between statements, each with a user variable and a
     * server-side prepared statement; four inside a transaction. s2 is killed with SIGKILL: the idle
     * ones go on on s1 without an exception; those inside a transaction on s2 get one ERR 1213 and then
     * work, those on s1 go on with their transaction.
     */
    @Test
    @Order(4)
    void killingACnsServerMovesIdleSessionsAndFailsOpenTransactionsOnce() throws Exception {
        List<String> cnOf = computeNodesOf(DEFAULT_SESSIONS);
        assertThat(cnOf).containsOnly(cn(1), cn(2));
        java.util.Set<Integer> inTransaction = new java.util.HashSet<>(); // two on each CN
        for (int server = 1; server <= 2; server++) {
            String at = cn(server);
            java.util.stream.IntStream.range(0, cnOf.size()).filter(i -> cnOf.get(i).equals(at)).limit(2)
                    .forEach(inTransaction::add);
        }
        assertThat(inTransaction).hasSize(4);
        List<PreparedStatement> statements = new ArrayList<>();
        for (int i = 0; i < DEFAULT_SESSIONS.size(); i++) {
            Connection c = DEFAULT_SESSIONS.get(i);
            PreparedStatement ps = c.prepareStatement("SELECT v FROM t WHERE id = ?");
            statements.add(ps);
            assertThat(execute(ps, i)).isEqualTo(String.valueOf(i * 10));
            if (inTransaction.contains(i)) {
                c.setAutoCommit(false);
                assertThat(execute(ps, i)).isEqualTo(String.valueOf(i * 10)); // inside a transaction now
            }
        }
        assertThat(computeNodesOf(DEFAULT_SESSIONS)).as("nothing moved meanwhile").isEqualTo(cnOf);
        cairn(Duration.ofSeconds(30), "cluster", "kill", "s2");
        // the sessions stay idle while the log and, if s2 held it, the TN lease fail over
        Wait.until("an active TN on s1 or s3", Duration.ofSeconds(90),
                () -> "active".equals(tnState(1)) || "active".equals(tnState(3)));

        for (int i = 0; i < DEFAULT_SESSIONS.size(); i++) {
            Connection c = DEFAULT_SESSIONS.get(i);
            PreparedStatement ps = statements.get(i);
            if (inTransaction.contains(i) && cnOf.get(i).equals(cn(2))) {
                int id = i;
                assertThatThrownBy(() -> execute(ps, id)).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(1213));
                c.rollback();
                c.setAutoCommit(true);
            } else if (inTransaction.contains(i)) {
                assertThat(execute(ps, i)).as("a transaction on s1 goes on").isEqualTo(String.valueOf(i * 10));
                c.commit();
                c.setAutoCommit(true);
            }
            assertThat(execute(ps, i)).isEqualTo(String.valueOf(i * 10));
            assertThat(query(c, "SELECT @v")).isEqualTo(String.valueOf(i));
        }
        assertThat(proxySessions().get(cn(1))).isEqualTo(16);
    }

    /**
     * s2's proxy died with s2: each multi-host session fails once with a communications error (the
     * driver has then switched to s1's proxy), and its next statements work there, writes included;
     * the one inside a transaction runs it again. New connections go to s1's proxy.
     */
    @Test
    @Order(5)
    void multiHostClientsOfTheKilledServersProxyContinueThroughTheOtherProxy() throws Exception {
        for (int i = 0; i < MULTI_HOST_SESSIONS.size(); i++) {
            Connection c = MULTI_HOST_SESSIONS.get(i);
            int id = i;
            assertThatThrownBy(() -> query(c, "SELECT v FROM t WHERE id = " + id))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).startsWith("08"));
            if (!c.getAutoCommit()) {
                c.rollback(); // the transaction died with s2: the application runs it again
            }
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("UPDATE t SET v = " + i * 10 + " WHERE id = " + i)).isEqualTo(1);
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
            assertThat(query(c, "SELECT v FROM t WHERE id = " + i)).isEqualTo(String.valueOf(i * 10));
        }
        try (Connection fresh = DriverManager.getConnection(MULTI_HOST_URL, "root", "")) {
            assertThat(query(fresh, "SELECT v FROM t WHERE id = 5")).isEqualTo("50");
            // s1's proxy holds its 16 sessions, the four that failed over and this one
            assertThat(proxySessions().get(cn(1))).isEqualTo(16 + MULTI_HOST_SESSIONS.size() + 1);
        }
    }

    private static String execute(PreparedStatement ps, int id) throws SQLException {
        ps.setInt(1, id);
        try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    /** s1's proxy's sessions per compute node endpoint. */
    private static Map<String, Integer> proxySessions() {
        return proxySessions(1);
    }

    /** The compute node endpoint each of {@code sessions} (connected through s1's proxy) is on. */
    private static List<String> computeNodesOf(List<Connection> sessions) throws SQLException {
        Http.Answer answer = Http.get(admin(), adminBase(1) + "/api/cluster/proxy/connections", "admin", password());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        Map<Long, String> placement = new java.util.HashMap<>();
        for (jakarta.json.JsonValue v : answer.json().asJsonArray()) {
            jakarta.json.JsonObject session = v.asJsonObject();
            placement.put(session.getJsonNumber("id").longValue(), session.getString("computeNode", null));
        }
        List<String> at = new ArrayList<>();
        for (Connection c : sessions) {
            at.add(placement.get(c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).getId()));
        }
        return at;
    }

    /** Server {@code sI}'s proxy's sessions per compute node endpoint. */
    private static Map<String, Integer> proxySessions(int server) {
        Http.Answer answer = Http.get(admin(), adminBase(server) + "/api/cluster/proxy/sessions", "admin", password());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        Map<String, Integer> sessions = new java.util.HashMap<>();
        answer.json().asJsonObject().forEach((k, v) -> sessions.put(k, Integer.parseInt(v.toString())));
        return sessions;
    }

    /** The state of server {@code sI}'s TN as its readiness check reports it, or null. */
    private static String tnState(int server) {
        Http.Answer answer = Http.get("http://127.0.0.1:" + (9079 + server + OFFSET) + "/health/ready");
        if (answer.status() != 200 && answer.status() != 503) {
            return null;
        }
        return answer.json().asJsonObject().getJsonArray("checks").stream().map(c -> c.asJsonObject())
                .filter(c -> c.getString("name").equals("tn") && c.containsKey("data"))
                .map(c -> c.getJsonObject("data").getString("state", null)).findFirst().orElse(null);
    }

    /** Server sI's admin API: its HTTPS port (9442 + I), as in every cluster. */
    private static String adminBase(int server) {
        return "https://127.0.0.1:" + (9442 + server + OFFSET);
    }

    /** A client trusting the servers' certificates, which bin/cairn exported when the cluster started. */
    private static java.net.http.HttpClient admin() {
        if (admin == null) {
            admin = Http.trusting(VAR.resolve("https/admin-certificates.pem"));
        }
        return admin;
    }

    private static java.net.http.HttpClient admin;

    private static String password() {
        try {
            return Files.readString(VAR.resolve("admin-password")).trim();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void cairn(Duration timeout, String... args) throws Exception {
        LocalCluster.cairn(timeout, args);
    }
}
