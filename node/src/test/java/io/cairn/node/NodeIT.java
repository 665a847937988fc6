package io.cairn.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.node.testing.Wait;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node with a real embedded Hazelcast member and scripted role services. */
class NodeIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    /** A role service whose start outcome and readiness the test decides. */
    static class ScriptedRole implements RoleService {
        private final Role role;
        private final RuntimeException startFailure;
        volatile boolean ready;
        volatile boolean stopped;

        ScriptedRole(Role role, RuntimeException startFailure) {
            this.role = role;
            this.startFailure = startFailure;
        }

        @Override
        public Role role() {
            return role;
        }

        @Override
        public void start() {
            if (startFailure != null) {
                throw startFailure;
            }
        }

        @Override
        public void stop() {
            stopped = true;
        }

        @Override
        public HealthReport readiness() {
            return HealthReport.of(ready, Map.of("scripted", true));
        }

        @Override
        public HealthReport liveness() {
            return HealthReport.up(Map.of());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private NodeConfig config(String name, String roles, int hazelcastPort, String members) throws IOException {
        Map<String, String> values = Map.of(
                NodeConfig.NAME, name,
                NodeConfig.ROLES, roles,
                NodeConfig.DATA_DIR, temp.resolve(name).toString(),
                NodeConfig.CLUSTER_NAME, "node-it-" + temp.getFileName(),
                NodeConfig.HAZELCAST_PORT, String.valueOf(hazelcastPort),
                NodeConfig.HAZELCAST_MEMBERS, members,
                NodeConfig.PROXY_PORT, String.valueOf(freePort()),
                NodeConfig.CN_PORT, String.valueOf(freePort()),
                NodeConfig.LOG_PORT, String.valueOf(freePort()));
        return NodeConfig.load(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void roleLifecycleDrivesTheProbesAndThePublishedState() throws Exception {
        int port = freePort();
        ScriptedRole log = new ScriptedRole(Role.LOG, null);
        ScriptedRole tn = new ScriptedRole(Role.TN, new IllegalStateException("no lease store"));
        try (Node node = new Node(config("n1", "log,tn", port, "127.0.0.1:" + port))) {
            node.start(List.of(log, tn));
            Wait.until("log role started", WAIT, () -> node.health(Role.LOG, Probe.STARTED).up());
            Wait.until("tn role failed", WAIT, () -> !node.health(Role.TN, Probe.LIVE).up());

            assertThat(node.health(Role.TN, Probe.STARTED).up()).isFalse();
            assertThat(node.health(Role.TN, Probe.READY).up()).isFalse();
            assertThat(node.health(Role.TN, Probe.LIVE).data()).containsEntry("error", "no lease store")
                    .containsEntry("phase", "failed");
            assertThat(node.health(Role.LOG, Probe.LIVE).up()).isTrue();
            assertThat(node.health(Role.LOG, Probe.READY).up()).isFalse();
            log.ready = true;
            assertThat(node.health(Role.LOG, Probe.READY).up()).isTrue();
            assertThat(node.health(Role.LOG, Probe.READY).data()).containsEntry("scripted", true);
            assertThat(node.membershipHealth(Probe.READY).up()).isTrue();
            assertThatThrownBy(() -> node.health(Role.CN, Probe.READY)).isInstanceOf(IllegalArgumentException.class);

            Wait.until("published state", WAIT, () -> node.members().stream().anyMatch(m -> m.local()
                    && m.state().equals("not-ready") && m.readyRoles().equals(List.of("log"))));
            MemberInfo self = node.members().get(0);
            assertThat(self.name()).isEqualTo("n1");
            assertThat(self.roles()).containsExactly("tn", "log");
            assertThat(self.endpoints().http()).isEqualTo("127.0.0.1:9080");
            assertThat(self.endpoints().mysql()).isNull();
        }
        assertThat(log.stopped).isTrue();
    }

    @Test
    void membersSeeEachOtherAndNoticeOneLeaving() throws Exception {
        int portA = freePort();
        int portB = freePort();
        String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
        try (Node a = new Node(config("a", "cn", portA, members))) {
            a.start(List.of(new ScriptedRole(Role.CN, null)));
            Node b = new Node(config("b", "proxy", portB, members));
            try {
                b.start(List.of(new ScriptedRole(Role.PROXY, null)));
                Wait.until("a and b to see each other", WAIT, () -> a.members().size() == 2 && b.members().size() == 2);
                assertThat(b.members()).extracting(MemberInfo::name).containsExactlyInAnyOrder("a", "b");

                // an operator on b changes a's CN group and drains it; a sees it too
                b.setCnGroup("a", "reporting");
                b.setDraining("a", true);
                Wait.until("a to see its new group and drain", WAIT, () -> a.members().stream()
                        .anyMatch(m -> m.name().equals("a") && m.cnGroup().equals("reporting") && m.draining()));
                b.setCnGroup("a", null);
                b.setDraining("a", false);
                Wait.until("a back in its configured group", WAIT, () -> a.members().stream()
                        .anyMatch(m -> m.name().equals("a") && m.cnGroup().equals("default") && !m.draining()));
                assertThatThrownBy(() -> b.setCnGroup("a", "no spaces")).isInstanceOf(IllegalArgumentException.class);
            } finally {
                b.close();
            }
            Wait.until("a to see b leave", WAIT, () -> a.members().size() == 1);
            assertThat(a.members()).extracting(MemberInfo::name).containsExactly("a");
        }
    }

    /** A TN role that reports the status the test sets. */
    static final class ScriptedTn extends ScriptedRole implements TransactionNodeStatus.Source {
        volatile TransactionNodeStatus status;

        ScriptedTn(TransactionNodeStatus status) {
            super(Role.TN, null);
            this.status = status;
        }

        @Override
        public TransactionNodeStatus status() {
            return status;
        }
    }

    @Test
    void everyTnServerPublishesItsTransactionNodeAndEveryMemberListsThem() throws Exception {
        int portA = freePort();
        int portB = freePort();
        int portC = freePort();
        String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB + ",127.0.0.1:" + portC;
        ScriptedTn tnA = new ScriptedTn(new TransactionNodeStatus(null, "ACTIVE", 3, "a", 120, 3000));
        ScriptedTn tnB = new ScriptedTn(new TransactionNodeStatus(null, "STANDBY", 3, "a", 400, 3000));
        try (Node a = new Node(config("a", "tn", portA, members));
                Node b = new Node(config("b", "tn", portB, members));
                Node c = new Node(config("c", "cn", portC, members))) {
            a.start(List.of(tnA));
            b.start(List.of(tnB));
            c.start(List.of(new ScriptedRole(Role.CN, null)));
            Wait.until("c to list both TNs as they published themselves", WAIT, () -> c.transactionNodes().equals(List.of(
                    new TransactionNodeStatus("a", "ACTIVE", 3, "a", 120, 3000),
                    new TransactionNodeStatus("b", "STANDBY", 3, "a", 400, 3000))));
            // a takeover: b's TN takes epoch 4; the others see it within a publication or two
            tnB.status = new TransactionNodeStatus(null, "ACTIVE", 4, "b", 10, 3000);
            tnA.status = new TransactionNodeStatus(null, "STANDBY", 4, "b", 900, 3000);
            Wait.until("a to see b active with epoch 4", WAIT, () -> a.transactionNodes().stream()
                    .anyMatch(t -> t.server().equals("b") && t.state().equals("ACTIVE") && t.epoch() == 4));
            assertThat(c.transactionNodes()).extracting(TransactionNodeStatus::server).containsExactly("a", "b");
        }
    }

    @Test
    void aTakenPortFailsStartBeforeAnythingRuns() throws Exception {
        int port = freePort();
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
                Node node = new Node(config("n2", "cn", port, "127.0.0.1:" + port))) {
            assertThatThrownBy(() -> node.start(List.of(new ScriptedRole(Role.CN, null))))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("cairn.hazelcast.port: cannot listen on 127.0.0.1:" + port);
            assertThat(node.members()).isEmpty();
        }
    }

    @Test
    void servicesMustMatchTheRoles() throws Exception {
        int port = freePort();
        try (Node node = new Node(config("n3", "cn,tn", port, "127.0.0.1:" + port))) {
            assertThatThrownBy(() -> node.start(List.of(new ScriptedRole(Role.CN, null))))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
