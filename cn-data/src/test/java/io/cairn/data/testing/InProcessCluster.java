package io.cairn.data.testing;

import io.cairn.data.DataNode;
import io.cairn.log.LogService;
import io.cairn.log.impl.LogCluster;
import io.cairn.node.testing.Wait;
import io.cairn.server.ObjectStoreCheckpoints;
import io.cairn.storage.ObjectStoreConnection;
import io.cairn.storage.ObjectStoreConnectionFactory;
import io.cairn.storage.jca.CairnStorageResourceAdapter;
import io.cairn.storage.jca.ObjectStoreManagedConnectionFactory;
import io.cairn.storage.testing.InMemoryObjectStore;
import io.cairn.storage.testing.S3Endpoints;
import io.cairn.txn.TransactionService;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.node.CheckpointSettings;
import io.cairn.txn.node.TransactionNode;
import io.cairn.txn.testing.InMemoryLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The data path of a Cairn cluster in one JVM, for failure tests: a shared log (real Ratis peers on
 * loopback sockets with fsync, or the in-memory log), transaction nodes, compute nodes' data layers and
 * checkpoint storage (erasure-coded over real S3Proxy endpoints, or in memory). Each part can be killed and
 * restarted by index; {@link #waitForLeader}, {@link #waitForActiveTn}, {@link #waitUntilApplied} and
 * {@link Wait#until} wait on conditions, never on fixed sleeps.
 *
 * <pre>{@code
 * try (InProcessCluster cluster = InProcessCluster.builder().logPeers(3).tns(2).cns(2).storage(4, 2).build()) {
 *     cluster.killTn(cluster.waitForActiveTn());
 *     ...
 * }
 * }</pre>
 *
 * <p>It wires the roles' plain-Java cores directly: the server module's {@code ServerAssembly} builds them from
 * the EJB and web modules, which come after this module's tests in the build (the TN, CN and proxy modules
 * depend on the data layer). SQL engines and proxies are layered on top by the modules that have them
 * (sql-core's {@code SqlCluster}, proxy-war's tests).
 */
public final class InProcessCluster implements AutoCloseable {
    /** How long the waits of this fixture wait before failing the test. */
    public static final Duration WAIT = Duration.ofSeconds(60);

    private final Builder settings;
    private final LogCluster logs;
    private final InMemoryLog memoryLog;
    private final S3Endpoints endpoints;
    private final CairnStorageResourceAdapter adapter;
    private final ObjectStoreConnection connection;
    private final CheckpointStore checkpoints;
    private final List<TransactionNode> tns = new ArrayList<>();
    private final List<DataNode> cns = new ArrayList<>();

    /** What to build. */
    public static final class Builder {
        private int logPeers = 3;
        private int tns = 1;
        private int cns = 1;
        private int dataShards;
        private int parityShards;
        private boolean inMemoryStorage;
        private CheckpointStore givenStore;
        private Duration lease = Duration.ofSeconds(1);
        private Duration tnCommitTimeout = Duration.ofSeconds(5);
        private CheckpointSettings checkpointSettings = new CheckpointSettings(Duration.ofSeconds(1), 200, 8,
                Duration.ofSeconds(30));
        private IntFunction<DataNode.CacheSettings> cache = i -> new DataNode.CacheSettings(4 << 20, Duration.ofMillis(300));
        private DataNode.Settings cnSettings = new DataNode.Settings("cn", Duration.ofSeconds(10), Duration.ofSeconds(20));

        /** Ratis peers of the log, each with its own folder and port; 0: the in-memory log (nothing to kill). */
        public Builder logPeers(int n) {
            logPeers = n;
            return this;
        }

        public Builder tns(int n) {
            tns = n;
            return this;
        }

        public Builder cns(int n) {
            cns = n;
            return this;
        }

        /** Checkpoints on {@code k + m} S3Proxy endpoints, erasure-coded k+m through the storage connector. */
        public Builder storage(int k, int m) {
            dataShards = k;
            parityShards = m;
            inMemoryStorage = false;
            return this;
        }

        /** Checkpoints in an in-memory object store. */
        public Builder inMemoryStorage() {
            inMemoryStorage = true;
            dataShards = 0;
            return this;
        }

        /** Checkpoints in {@code store}, which the test opened (and closes). */
        public Builder checkpoints(CheckpointStore store) {
            givenStore = store;
            inMemoryStorage = false;
            dataShards = 0;
            return this;
        }

        /** The TNs' lease: a takeover comes about one lease after the active TN stops renewing it. */
        public Builder lease(Duration d) {
            lease = d;
            return this;
        }

        /** How long a TN waits for the log to take a commit. */
        public Builder tnCommitTimeout(Duration d) {
            tnCommitTimeout = d;
            return this;
        }

        public Builder checkpointSettings(CheckpointSettings s) {
            checkpointSettings = s;
            return this;
        }

        /** The cache settings of the CN of each index (a disk tier needs a folder of its own). */
        public Builder cacheSettings(IntFunction<DataNode.CacheSettings> s) {
            cache = s;
            return this;
        }

        /** The CNs' settings; each CN's name is this name and its index. */
        public Builder cnSettings(DataNode.Settings s) {
            cnSettings = s;
            return this;
        }

        public InProcessCluster build() {
            return new InProcessCluster(this);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private InProcessCluster(Builder b) {
        this.settings = b;
        try {
            logs = b.logPeers > 0 ? LogCluster.builder().peers(b.logPeers).build() : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the log peers", e);
        }
        memoryLog = b.logPeers > 0 ? null : new InMemoryLog();
        S3Endpoints s3 = null;
        CairnStorageResourceAdapter ra = null;
        ObjectStoreConnection c = null;
        CheckpointStore store = null;
        try {
            if (b.dataShards > 0) {
                s3 = S3Endpoints.builder().count(b.dataShards + b.parityShards).build();
                ra = new CairnStorageResourceAdapter();
                c = open(s3, ra, b.dataShards, b.parityShards);
                store = ObjectStoreCheckpoints.over(c);
            } else if (b.inMemoryStorage) {
                store = ObjectStoreCheckpoints.over(new InMemoryObjectStore());
            } else {
                store = b.givenStore;
            }
        } catch (RuntimeException e) {
            closeQuietly(logs);
            closeQuietly(s3);
            throw e;
        }
        endpoints = s3;
        adapter = ra;
        connection = c;
        checkpoints = store;
        try {
            if (logs != null) {
                logs.waitForLeader();
            }
            for (int i = 0; i < b.tns; i++) {
                tns.add(startTn(i));
            }
            if (b.tns > 0) {
                waitForActiveTn();
            }
            for (int i = 0; i < b.cns; i++) {
                addCn();
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The storage connector's erasure-coded store as a server configures it: non-managed, short timeouts. */
    private static ObjectStoreConnection open(S3Endpoints s3, CairnStorageResourceAdapter ra, int k, int m) {
        ra.start(null);
        ObjectStoreManagedConnectionFactory mcf = new ObjectStoreManagedConnectionFactory();
        mcf.setEndpoints(String.join(",", s3.specs()));
        mcf.setAccessKey(S3Endpoints.ACCESS_KEY);
        mcf.setSecretKey(S3Endpoints.SECRET_KEY);
        mcf.setBucket(S3Endpoints.BUCKET);
        mcf.setDataShards(k);
        mcf.setParityShards(m);
        mcf.setConnectTimeoutMillis(500);
        mcf.setRequestTimeoutMillis(10_000);
        mcf.setMaxAttempts(2);
        mcf.setResourceAdapter(ra);
        try {
            return ((ObjectStoreConnectionFactory) mcf.createConnectionFactory()).getConnection();
        } catch (Exception e) {
            ra.stop();
            throw new IllegalStateException("cannot open the erasure-coded store over S3Proxy: " + e, e);
        }
    }

    // ---- the log

    /** A client of the log: a new Ratis client, or the in-memory log itself. */
    public LogService newLogClient() {
        return logs != null ? logs.newClient() : memoryLog;
    }

    /** The Ratis peers; empty with the in-memory log. */
    public Optional<LogCluster> logs() {
        return Optional.ofNullable(logs);
    }

    private LogCluster ratis() {
        if (logs == null) {
            throw new IllegalStateException("this cluster runs the in-memory log: it has no peer to stop");
        }
        return logs;
    }

    /** Index of the log leader once there is one. */
    public int waitForLeader() {
        return ratis().waitForLeader();
    }

    /** Stops log peer {@code i} as a crash would. */
    public void killLogPeer(int i) {
        try {
            ratis().kill(i);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts log peer {@code i} again, with its files or (keepData false) from nothing. */
    public void restartLogPeer(int i, boolean keepData) {
        try {
            ratis().restart(i, keepData);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- transaction nodes

    private TransactionNode startTn(int i) {
        String id = "tn-" + i;
        TransactionNode tn = new TransactionNode(newLogClient(), Clock.systemUTC(),
                new TransactionNode.Settings(id, id, settings.lease, Duration.ofSeconds(60), settings.tnCommitTimeout));
        if (checkpoints != null) {
            tn.enableCheckpoints(checkpoints, settings.checkpointSettings);
        }
        tn.start();
        return tn;
    }

    public TransactionNode tn(int i) {
        return tns.get(i);
    }

    public int tnCount() {
        return tns.size();
    }

    /** Index of a running TN that holds the lease, once one does. */
    public int waitForActiveTn() {
        int[] found = {-1};
        Wait.until("a transaction node holds the lease", WAIT, () -> {
            found[0] = activeTnIndex();
            return found[0] >= 0;
        });
        return found[0];
    }

    private synchronized int activeTnIndex() {
        for (int i = 0; i < tns.size(); i++) {
            TransactionNode tn = tns.get(i);
            if (tn != null && tn.state() == TransactionNode.State.ACTIVE) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The active TN at each call, as a CN finds it: a running TN that holds the lease, else any running one
     * (which refuses, and the CN repeats its call until a TN has taken over).
     */
    public Supplier<TransactionService> activeTn() {
        return () -> {
            synchronized (this) {
                int active = activeTnIndex();
                if (active >= 0) {
                    return tns.get(active);
                }
                return tns.stream().filter(t -> t != null).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no transaction node is running"));
            }
        };
    }

    /** Stops TN {@code i} as a crash would: it renews its lease no more and answers nothing. */
    public synchronized void killTn(int i) {
        TransactionNode tn = tns.set(i, null);
        if (tn != null) {
            tn.close();
        }
    }

    /** Starts TN {@code i} again (as a standby: the lease decides). */
    public synchronized void restartTn(int i) {
        if (tns.get(i) != null) {
            throw new IllegalStateException("transaction node " + i + " is running");
        }
        tns.set(i, startTn(i));
    }

    // ---- compute nodes

    /** Starts another compute node's data layer (from the latest checkpoint when there is storage); its index. */
    public synchronized int addCn() {
        int i = cns.size();
        cns.add(startCn(i));
        return i;
    }

    private DataNode startCn(int i) {
        DataNode.Settings s = new DataNode.Settings(settings.cnSettings.name() + i, settings.cnSettings.applyTimeout(),
                settings.cnSettings.commitTimeout(), settings.cnSettings.maxWriteSetBytes());
        DataNode cn = checkpoints == null ? new DataNode(newLogClient(), activeTn(), s)
                : new DataNode(newLogClient(), activeTn(), s, checkpoints, settings.cache.apply(i));
        cn.start();
        return cn;
    }

    public synchronized DataNode cn(int i) {
        return cns.get(i);
    }

    public synchronized int cnCount() {
        return cns.size();
    }

    /** Stops CN {@code i} as a crash would: its transactions end unfinished, its lock keep-alives stop. */
    public synchronized void killCn(int i) {
        DataNode cn = cns.set(i, null);
        if (cn != null) {
            cn.close();
        }
    }

    /** Starts CN {@code i} again, from the latest checkpoint and the log after it. */
    public synchronized void restartCn(int i) {
        if (cns.get(i) != null) {
            throw new IllegalStateException("compute node " + i + " is running");
        }
        cns.set(i, startCn(i));
    }

    /** Waits until every running CN has applied the log up to {@code lsn}. */
    public void waitUntilApplied(long lsn) {
        Wait.until("every compute node applied LSN " + lsn, WAIT, () -> {
            synchronized (this) {
                return cns.stream().filter(cn -> cn != null).allMatch(cn -> cn.appliedLsn() >= lsn);
            }
        });
    }

    // ---- storage

    /** Where checkpoints go; null without storage. */
    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    /** Stops S3 endpoint {@code i}; its objects stay on disk. */
    public void stopStorage(int i) {
        s3().stop(i);
    }

    public void startStorage(int i) {
        s3().start(i);
    }

    private S3Endpoints s3() {
        if (endpoints == null) {
            throw new IllegalStateException("this cluster has no S3 endpoints");
        }
        return endpoints;
    }

    @Override
    public synchronized void close() {
        cns.stream().filter(cn -> cn != null).forEach(DataNode::close);
        tns.stream().filter(tn -> tn != null).forEach(TransactionNode::close);
        if (connection != null) {
            connection.close();
            adapter.stop();
        }
        closeQuietly(endpoints);
        closeQuietly(logs);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // closing what a failed start left: the start's own failure is the one to report
        }
    }
}
