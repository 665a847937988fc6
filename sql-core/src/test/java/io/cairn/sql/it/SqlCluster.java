package io.cairn.sql.it;

import io.cairn.data.DataNode;
import io.cairn.data.testing.InProcessCluster;
import io.cairn.mysql.server.MysqlServer;
import io.cairn.mysql.server.MysqlServerConfig;
import io.cairn.sql.session.SqlEngine;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.node.CheckpointSettings;
import io.cairn.txn.node.TransactionNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * In-process SQL cluster for tests: cn-data's {@link InProcessCluster} (by default the in-memory log and one
 * transaction node) with, on each compute node, a {@link SqlEngine} and a {@link MysqlServer} on a free
 * loopback port. Build with {@code SqlCluster.builder().cns(2).build()}; close to stop everything.
 */
public final class SqlCluster implements AutoCloseable {
    private final InProcessCluster cluster;
    private final List<SqlEngine> engines = new ArrayList<>();
    private final List<MysqlServer> servers = new ArrayList<>();
    private final String rootPassword;
    private final long maxOperatorMemory;
    private final byte[] proxySecret;

    /** Builder. */
    public static final class Builder {
        private int cns = 1;
        private Consumer<InProcessCluster.Builder> underneath = b -> { };
        private String rootPassword = "";
        private CheckpointStore checkpoints;
        private CheckpointSettings checkpointSettings;
        private DataNode.CacheSettings cacheSettings;
        private long maxWriteSetBytes = DataNode.MAX_WRITE_SET_BYTES;
        private long maxOperatorMemory = SqlEngine.DEFAULT_MAX_OPERATOR_MEMORY;
        private byte[] proxySecret;

        /** Lets proxies that know {@code secret} log in on their clients' behalf ({@code cairn_proxy}). */
        public Builder proxySecret(byte[] secret) {
            proxySecret = secret;
            return this;
        }

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

        /**
         * Changes the cluster under the SQL layer, e.g. {@code c -> c.logPeers(3).tns(2)}; by default the in-memory
         * log and one TN with a 600 ms lease.
         */
        public Builder underneath(Consumer<InProcessCluster.Builder> settings) {
            underneath = settings;
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
        this.maxOperatorMemory = b.maxOperatorMemory;
        this.proxySecret = b.proxySecret;
        InProcessCluster.Builder cb = InProcessCluster.builder().logPeers(0).tns(1).cns(0)
                .lease(Duration.ofMillis(600)).tnCommitTimeout(Duration.ofSeconds(2))
                .cnSettings(new DataNode.Settings("cn", Duration.ofSeconds(5), Duration.ofSeconds(5), b.maxWriteSetBytes));
        if (b.checkpoints != null) {
            DataNode.CacheSettings cache = b.cacheSettings;
            // each CN its own disk tier folder, as each server has its own data directory
            cb.checkpoints(b.checkpoints).checkpointSettings(b.checkpointSettings)
                    .cacheSettings(i -> cache == null || cache.diskDir() == null ? cache
                            : new DataNode.CacheSettings(cache.blockCacheBytes(), cache.followEvery(),
                                    cache.diskDir().resolve("cn" + i), cache.diskBytes()));
        }
        b.underneath.accept(cb);
        cluster = cb.build();
        for (int i = 0; i < b.cns; i++) {
            addCn();
        }
    }

    /** Starts another compute node (from the latest checkpoint when checkpoints are on); its index. */
    public int addCn() throws InterruptedException {
        int i = cluster.addCn();
        DataNode dn = cluster.cn(i);
        SqlEngine engine = new SqlEngine(dn, rootPassword, Clock.systemUTC(), java.util.Map.of(), maxOperatorMemory);
        engines.add(engine);
        MysqlServer server = new MysqlServer(MysqlServerConfig.builder().host("127.0.0.1").port(0)
                .handlerThreads(4).proxySecret(proxySecret).build(), engine.authenticator(), engine).start();
        engine.setConnectionKiller(id -> server.kill(id, false));
        servers.add(server);
        return i;
    }

    /** The parts under the SQL layer: log, TNs, data layers, storage, to stop and start. */
    public InProcessCluster cluster() {
        return cluster;
    }

    public int port(int cn) {
        return servers.get(cn).port();
    }

    public DataNode dataNode(int cn) {
        return cluster.cn(cn);
    }

    public SqlEngine engine(int cn) {
        return engines.get(cn);
    }

    /** The active transaction node. */
    public TransactionNode transactionNode() {
        return cluster.tn(cluster.waitForActiveTn());
    }

    /** Stops compute node {@code cn} as a crash would: its port closes, its sessions and lock keep-alives end. */
    public void killCn(int cn) {
        cluster.killCn(cn); // first: a crashed CN releases nothing, its sessions' rollbacks included
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
        cluster.close();
    }
}
