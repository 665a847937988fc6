package io.cairn.sql.it;

import io.cairn.data.DataNode;
import io.cairn.mysql.server.MysqlServer;
import io.cairn.mysql.server.MysqlServerConfig;
import io.cairn.sql.session.SqlEngine;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.node.CheckpointSettings;
import io.cairn.txn.node.TransactionNode;
import io.cairn.txn.testing.InMemoryLog;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * In-process SQL cluster for tests: an in-memory log, one transaction node, N compute nodes, each a
 * {@link DataNode} + {@link SqlEngine} + {@link MysqlServer} on a free loopback port. Build with
 * {@code SqlCluster.builder().cns(2).build()}; close to stop everything.
 */
public final class SqlCluster implements AutoCloseable {
    private final InMemoryLog log = new InMemoryLog();
    private final TransactionNode tn;
    private final List<DataNode> dataNodes = new ArrayList<>();
    private final List<SqlEngine> engines = new ArrayList<>();
    private final List<MysqlServer> servers = new ArrayList<>();
    private final String rootPassword;
    private final CheckpointStore checkpoints;
    private final DataNode.CacheSettings cacheSettings;
    private final long maxWriteSetBytes;
    private final long maxOperatorMemory;

    /** Builder. */
    public static final class Builder {
        private int cns = 1;
        private String rootPassword = "";
        private CheckpointStore checkpoints;
        private CheckpointSettings checkpointSettings;
        private DataNode.CacheSettings cacheSettings;
        private long maxWriteSetBytes = DataNode.MAX_WRITE_SET_BYTES;
        private long maxOperatorMemory = SqlEngine.DEFAULT_MAX_OPERATOR_MEMORY;

        /** cairn.txn.max-size of every CN. */
        public Builder maxWriteSetBytes(long bytes) {
            maxWriteSetBytes = bytes;
            return this;
        }

        /** cairn.sql.max-operator-memory of every CN. */
        public Builder maxOperatorMemory(long bytes) {
            maxOperatorMemory = bytes;
            return this;
        }

        public Builder cns(int n) {
            cns = n;
            return this;
        }

        public Builder rootPassword(String p) {
            rootPassword = p;
            return this;
        }

        /** The TN checkpoints into {@code store}; CNs start from and follow its checkpoints. */
        public Builder checkpoints(CheckpointStore store, CheckpointSettings settings, DataNode.CacheSettings cache) {
            checkpoints = store;
            checkpointSettings = settings;
            cacheSettings = cache;
            return this;
        }

        public SqlCluster build() throws InterruptedException {
            return new SqlCluster(this);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private SqlCluster(Builder b) throws InterruptedException {
        this.rootPassword = b.rootPassword;
        this.checkpoints = b.checkpoints;
        this.cacheSettings = b.cacheSettings;
        this.maxWriteSetBytes = b.maxWriteSetBytes;
        this.maxOperatorMemory = b.maxOperatorMemory;
        tn = new TransactionNode(log, Clock.systemUTC(), new TransactionNode.Settings("tn", "local",
                Duration.ofMillis(600), Duration.ofSeconds(60), Duration.ofSeconds(2)));
        if (b.checkpoints != null) {
            tn.enableCheckpoints(b.checkpoints, b.checkpointSettings);
        }
        tn.start();
        waitForActiveTn();
        for (int i = 0; i < b.cns; i++) {
            addCn();
        }
    }

    /** Starts another compute node (from the latest checkpoint when checkpoints are on); its index. */
    public int addCn() throws InterruptedException {
        int i = dataNodes.size();
        DataNode.Settings settings = new DataNode.Settings("cn" + i, Duration.ofSeconds(5), Duration.ofSeconds(5),
                maxWriteSetBytes);
        // each CN its own disk tier folder, as each server has its own data directory
        DataNode.CacheSettings cache = cacheSettings == null || cacheSettings.diskDir() == null ? cacheSettings
                : new DataNode.CacheSettings(cacheSettings.blockCacheBytes(), cacheSettings.followEvery(),
                        cacheSettings.diskDir().resolve("cn" + i), cacheSettings.diskBytes());
        DataNode dn = checkpoints == null ? new DataNode(log, () -> tn, settings)
                : new DataNode(log, () -> tn, settings, checkpoints, cache);
        dn.start();
        dataNodes.add(dn);
        SqlEngine engine = new SqlEngine(dn, rootPassword, Clock.systemUTC(), java.util.Map.of(), maxOperatorMemory);
        engines.add(engine);
        MysqlServer server = new MysqlServer(MysqlServerConfig.builder().host("127.0.0.1").port(0)
                .handlerThreads(4).build(), engine.authenticator(), engine).start();
        engine.setConnectionKiller(id -> server.kill(id, false));
        servers.add(server);
        return i;
    }

    /** Waits (bounded) for the TN to take its lease: a condition, not a fixed sleep. */
    private void waitForActiveTn() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (tn.state() != TransactionNode.State.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("transaction node did not become active");
            }
            Thread.onSpinWait();
            Thread.sleep(5); // polling a condition with a deadline
        }
    }

    public int port(int cn) {
        return servers.get(cn).port();
    }

    public DataNode dataNode(int cn) {
        return dataNodes.get(cn);
    }

    public SqlEngine engine(int cn) {
        return engines.get(cn);
    }

    public TransactionNode transactionNode() {
        return tn;
    }

    /** Stops compute node {@code cn} as a crash would: its port closes, its sessions and lock keep-alives end. */
    public void killCn(int cn) {
        dataNodes.get(cn).close(); // first: a crashed CN releases nothing, its sessions' rollbacks included
        servers.get(cn).close();
    }

    /** A Connector/J URL of CN {@code cn} with {@code database} (may be ""). */
    public String mysqlUrl(int cn, String database) {
        return "jdbc:mysql://127.0.0.1:" + port(cn) + "/" + database
                + "?sslMode=DISABLED&allowPublicKeyRetrieval=true&connectTimeout=5000&socketTimeout=60000";
    }

    public String mariadbUrl(int cn, String database) {
        return "jdbc:mariadb://127.0.0.1:" + port(cn) + "/" + database + "?connectTimeout=5000&socketTimeout=60000";
    }

    /** A Connector/J connection as root. */
    public Connection connect(int cn, String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "root");
        p.setProperty("password", "");
        return DriverManager.getConnection(mysqlUrl(cn, database), p);
    }

    @Override
    public void close() {
        servers.forEach(MysqlServer::close); // closing twice (after killCn) is harmless
        dataNodes.forEach(DataNode::close);
        tn.close();
    }
}
