package io.cairn.log.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.log.LogEntry;
import io.cairn.log.LogService;
import io.cairn.node.tls.ClusterTls;
import io.cairn.node.tls.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log group with mutual TLS on every gRPC channel: it works as without (appends through the gRPC
 * client path, replication, a leader failover), and a Raft client that does not present a certificate
 * of the cluster CA, with none or with one from another CA, cannot append.
 */
class RaftTlsIT {
    @TempDir
    static Path temp;
    private static TestPki pki;
    private static LogCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(temp.resolve("cluster-ca"));
        cluster = LogCluster.builder().peers(3).tls(pki.clusterTls("peers"))
                .appendTimeout(Duration.ofSeconds(3)).build();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<byte[]> records(String... values) {
        List<byte[]> out = new ArrayList<>();
        for (String v : values) {
            out.add(v.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<String> dataOn(int peer) {
        List<String> out = new ArrayList<>();
        for (LogEntry e : cluster.readAll(peer, 0)) {
            if (e.kind() == LogEntry.Kind.DATA) {
                e.records().forEach(r -> out.add(new String(r, StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    @Test
    void theClusterWorksOverMutualTlsAcrossALeaderFailover() throws Exception {
        LogService log = cluster.newClient(); // no co-located peer: every call goes over gRPC
        long first = log.append(records("before-1", "before-2"));
        cluster.waitUntilApplied(first);
        for (int i = 0; i < cluster.size(); i++) {
            assertThat(dataOn(i)).as("peer " + i).contains("before-1", "before-2");
        }

        int leader = cluster.waitForLeader();
        cluster.kill(leader);
        long second = log.append(records("after-failover"));
        assertThat(second).isGreaterThan(first);
        int newLeader = cluster.waitForLeader();
        assertThat(newLeader).isNotEqualTo(leader);
        cluster.waitUntilApplied(second);
        assertThat(dataOn(newLeader)).contains("before-1", "before-2", "after-failover");
        assertThat(log.read(first, 1 << 20).entries()).isNotEmpty();

        cluster.restart(leader, true);
        cluster.waitUntilApplied(second);
        assertThat(dataOn(leader)).as("the restarted peer caught up over TLS").contains("after-failover");
    }

    @Test
    void aClientWithoutACertificateCannotAppend() {
        LogService outsider = cluster.newClientWithTls(null);
        assertThatThrownBy(() -> outsider.append(records("from-a-plain-client"))).isInstanceOf(RuntimeException.class);
        assertNotLogged("from-a-plain-client");
    }

    @Test
    void aClientWithACertificateOfAnotherCaCannotAppend() throws Exception {
        ClusterTls foreign = TestPki.create(temp.resolve("foreign-ca")).clusterTls("intruder");
        LogService outsider = cluster.newClientWithTls(foreign);
        assertThatThrownBy(() -> outsider.append(records("from-a-foreign-ca"))).isInstanceOf(RuntimeException.class);
        assertNotLogged("from-a-foreign-ca");
    }

    private static void assertNotLogged(String record) {
        long lsn = cluster.newClient().append(records("marker-after-" + record));
        cluster.waitUntilApplied(lsn);
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.isRunning(i)) {
                assertThat(dataOn(i)).as("peer " + i).contains("marker-after-" + record).doesNotContain(record);
            }
        }
    }
}
