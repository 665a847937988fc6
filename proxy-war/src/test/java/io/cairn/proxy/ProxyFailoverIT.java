package io.cairn.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.data.testing.InProcessCluster;
import io.cairn.node.testing.Wait;
import io.cairn.sql.it.SqlCluster;
import java.nio.charset.StandardCharsets;
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
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Bank transfers through the proxy, over two compute nodes with the real SQL engine, two TNs and a 3-peer
 * Ratis log ({@link SqlCluster} over cn-data's {@link InProcessCluster}), while in turn the active TN dies,
 * a compute node dies (its sessions move to the other one) and the log leader dies. Each transfer also writes
 * a ledger row in its transaction. At the end: every acknowledged transfer is in the ledger (nothing lost),
 * every account's balance is what the ledger says (nothing half-written), and the total never changed.
 */
class ProxyFailoverIT {
    private static final byte[] SECRET = "proxy-failover-it-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final int ACCOUNTS = 20;
    private static final long INITIAL = 1_000;
    private static final int CLIENTS = 8;

    @Test
    void transfersThroughTheProxyLoseNothingWhenATnACnAndTheLogLeaderDie() throws Exception {
        try (SqlCluster sql = SqlCluster.builder().cns(2).proxySecret(SECRET)
                .underneath(c -> c.logPeers(3).tns(2)).build()) {
            InProcessCluster cluster = sql.cluster();
            List<ComputeNodes.Cn> members = List.of(
                    new ComputeNodes.Cn("cn0", "127.0.0.1:" + sql.port(0), "default", false, true),
                    new ComputeNodes.Cn("cn1", "127.0.0.1:" + sql.port(1), "default", false, true));
            ProxySettings settings = ProxySettings.load("127.0.0.1", 0, new String(SECRET, StandardCharsets.UTF_8),
                    null, null, key -> Optional.empty());
            try (ProxyServer proxy = new ProxyServer(settings, new ComputeNodes(() -> members,
                    new CircuitBreaker(System::nanoTime)), ProxyServer.LocalCn.NONE).start()) {
                String url = "jdbc:mysql://127.0.0.1:" + proxy.port() + "/bank?sslMode=DISABLED&connectTimeout=5000"
                        + "&socketTimeout=30000";
                try (Connection c = DriverManager.getConnection(url.replace("/bank?", "/?"), "root", "");
                        Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE bank");
                    s.execute("CREATE TABLE bank.account (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
                    s.execute("CREATE TABLE bank.ledger (id VARCHAR(40) PRIMARY KEY, src INT NOT NULL, dst INT NOT NULL,"
                            + " amount BIGINT NOT NULL)");
                    StringBuilder insert = new StringBuilder("INSERT INTO bank.account VALUES ");
                    for (int i = 0; i < ACCOUNTS; i++) {
                        insert.append(i == 0 ? "" : ",").append("(").append(i).append(",").append(INITIAL).append(")");
                    }
                    s.execute(insert.toString());
                }

                Set<String> acknowledged = ConcurrentHashMap.newKeySet();
                AtomicLong unknown = new AtomicLong();
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
                List<Future<?>> workers = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    Random random = new Random(c);
                    String client = "c" + c;
                    workers.add(clients.submit(() -> {
                        runClient(url, client, random, stop, acknowledged, unknown);
                        return null;
                    }));
                }

                awaitMore(acknowledged, 20);
                cluster.killTn(cluster.waitForActiveTn());
                awaitMore(acknowledged, 20);
                sql.killCn(1); // its sessions move to cn0
                awaitMore(acknowledged, 20);
                int leader = cluster.waitForLeader();
                cluster.killLogPeer(leader);
                awaitMore(acknowledged, 20);
                cluster.restartLogPeer(leader, true);
                awaitMore(acknowledged, 20);
                stop.set(true);
                for (Future<?> worker : workers) {
                    worker.get();
                }
                clients.shutdown();

                try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement()) {
                    Map<Integer, Long> byLedger = new HashMap<>();
                    for (int i = 0; i < ACCOUNTS; i++) {
                        byLedger.put(i, INITIAL);
                    }
                    Set<String> ledgerIds = ConcurrentHashMap.newKeySet();
                    try (ResultSet r = s.executeQuery("SELECT id, src, dst, amount FROM ledger")) {
                        while (r.next()) {
                            ledgerIds.add(r.getString(1));
                            byLedger.merge(r.getInt(2), -r.getLong(4), Long::sum);
                            byLedger.merge(r.getInt(3), r.getLong(4), Long::sum);
                        }
                    }
                    assertThat(ledgerIds).as("every acknowledged transfer is in the ledger").containsAll(acknowledged);
                    assertThat(ledgerIds.size() - acknowledged.size()).as("ledger rows not acknowledged")
                            .isLessThanOrEqualTo((int) unknown.get());
                    Map<Integer, Long> balances = new HashMap<>();
                    try (ResultSet r = s.executeQuery("SELECT id, balance FROM account")) {
                        while (r.next()) {
                            balances.put(r.getInt(1), r.getLong(2));
                        }
                    }
                    assertThat(balances).as("every balance is what the ledger says").isEqualTo(byLedger);
                    assertThat(balances.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(ACCOUNTS * INITIAL);
                }
            }
        }
    }

    /**
     * One client: transfers in explicit transactions until told to stop. A transfer is acknowledged when its
     * COMMIT answered OK; 1213/40001 (deadlock, conflict, a session moved mid-transaction) means nothing was
     * written and it is tried again; a lost connection or an unknown outcome (1105) is counted, and the
     * client connects again.
     */
    private static void runClient(String url, String client, Random random, AtomicBoolean stop,
            Set<String> acknowledged, AtomicLong unknown) {
        long n = 0;
        while (!stop.get()) {
            try (Connection c = DriverManager.getConnection(url, "root", "")) {
                c.setAutoCommit(false);
                while (!stop.get()) {
                    String id = client + "-" + n++;
                    int from = random.nextInt(ACCOUNTS);
                    int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                    long amount = 1 + random.nextInt(10);
                    try {
                        transfer(c, id, from, to, amount);
                        acknowledged.add(id);
                    } catch (SQLException e) {
                        if (e.getErrorCode() == 1213 || "40001".equals(e.getSQLState())) {
                            rollbackQuietly(c);
                            continue;
                        }
                        throw e;
                    }
                }
            } catch (SQLException e) {
                unknown.incrementAndGet(); // the outcome of the statement in flight is unknown: connect again
            }
        }
    }

    /** Both balances in one statement, the ledger row in a second, then COMMIT. */
    private static void transfer(Connection c, String id, int from, int to, long amount) throws SQLException {
        try (PreparedStatement move = c.prepareStatement(
                "UPDATE account SET balance = balance + CASE WHEN id = ? THEN ? ELSE ? END WHERE id IN (?, ?)");
                PreparedStatement entry = c.prepareStatement("INSERT INTO ledger (id, src, dst, amount) VALUES (?, ?, ?, ?)")) {
            Object[] moveArgs = {from, -amount, amount, from, to};
            Object[] entryArgs = {id, from, to, amount};
            bind(move, moveArgs).executeUpdate();
            bind(entry, entryArgs).executeUpdate();
            c.commit();
        }
    }

    private static PreparedStatement bind(PreparedStatement statement, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
        return statement;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // the session moved or its connection broke: the next statement says which
        }
    }

    private static void awaitMore(Set<String> acknowledged, int more) {
        int target = acknowledged.size() + more;
        Wait.until(more + " more acknowledged transfers", Duration.ofSeconds(60), () -> acknowledged.size() >= target);
    }
}
