package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.node.ConfigException;
import io.cairn.node.HealthReport;
import io.cairn.node.NodeConfig;
import io.cairn.node.Probe;
import io.cairn.node.Role;
import io.cairn.node.RoleService;
import io.cairn.node.testing.Wait;
import io.cairn.txn.TransactionService;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The composition root without Liberty: scripted role factories, a real Hazelcast member. */
class ServerAssemblyIT {
    @TempDir
    Path temp;

    private final ServerAssembly assembly = new ServerAssembly();
    private final List<ServerContext> contexts = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        assembly.stop();
    }

    /** A role whose start does nothing and which is always ready. */
    private static class ScriptedRole implements RoleService {
        private final Role role;

        ScriptedRole(Role role) {
            this.role = role;
        }

        @Override
        public Role role() {
            return role;
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public HealthReport readiness() {
            return HealthReport.up(Map.of());
        }

        @Override
        public HealthReport liveness() {
            return HealthReport.up(Map.of());
        }
    }

    private static final TransactionService ACTIVE = (TransactionService) Proxy.newProxyInstance(
            ServerAssemblyIT.class.getClassLoader(), new Class<?>[] {TransactionService.class}, (p, m, a) -> {
                throw new UnsupportedOperationException(m.getName());
            });

    private static final class ScriptedTn extends ScriptedRole implements ActiveTransactionService {
        ScriptedTn() {
            super(Role.TN);
        }

        @Override
        public TransactionService activeService() {
            return ACTIVE;
        }
    }

    private static final class ScriptedCn extends ScriptedRole implements LocalComputeNode {
        ScriptedCn() {
            super(Role.CN);
        }

        @Override
        public String endpoint() {
            return "127.0.0.1:1";
        }

        @Override
        public io.cairn.mysql.server.MysqlServer mysqlServer() {
            return null;
        }
    }

    private RoleFactory recording(java.util.function.Supplier<RoleService> role) {
        return context -> {
            contexts.add(context);
            return role.get();
        };
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private Function<String, Optional<String>> settings(String roles, Map<String, String> more) throws IOException {
        int hazelcast = freePort();
        Map<String, String> values = new HashMap<>(Map.of(
                NodeConfig.NAME, "s1",
                NodeConfig.ROLES, roles,
                NodeConfig.DATA_DIR, temp.resolve("s1").toString(),
                NodeConfig.CLUSTER_NAME, "assembly-it-" + temp.getFileName(),
                NodeConfig.HAZELCAST_PORT, String.valueOf(hazelcast),
                NodeConfig.HAZELCAST_MEMBERS, "127.0.0.1:" + hazelcast,
                NodeConfig.PROXY_PORT, String.valueOf(freePort()),
                NodeConfig.CN_PORT, String.valueOf(freePort()),
                NodeConfig.LOG_PORT, String.valueOf(freePort())));
        values.putAll(more);
        return key -> Optional.ofNullable(values.get(key));
    }

    @Test
    void theNodeStartsOnceEveryConfiguredRoleHasItsFactoryInWhicheverOrderTheyCome() throws Exception {
        assembly.provide(Role.PROXY, recording(() -> new ScriptedRole(Role.PROXY)));
        assembly.start(settings("log,tn,cn,proxy", Map.of()), null);
        assembly.provide(Role.CN, recording(ScriptedCn::new));

        assertThat(assembly.node()).isEmpty();
        assertThat(contexts).isEmpty();
        HealthReport waiting = assembly.health(Role.CN, Probe.STARTED);
        assertThat(waiting.up()).isFalse();
        assertThat(waiting.data().get("error").toString()).contains("[tn]");

        assembly.provide(Role.TN, recording(ScriptedTn::new));
        assertThat(assembly.node()).isPresent();
        Wait.until("every role has started", Duration.ofSeconds(30), () -> List.of(Role.LOG, Role.TN, Role.CN,
                Role.PROXY).stream().allMatch(role -> assembly.health(role, Probe.STARTED).up()));
        assertThat(assembly.role(Role.CN, LocalComputeNode.class)).isPresent();
        assertThat(assembly.role(Role.PROXY, LocalComputeNode.class)).isEmpty();
    }

    @Test
    void theRolesShareOneContextAndReachEachOtherInThisJvm() throws Exception {
        assembly.provide(Role.TN, recording(ScriptedTn::new));
        assembly.provide(Role.CN, recording(ScriptedCn::new));
        assembly.provide(Role.PROXY, recording(() -> new ScriptedRole(Role.PROXY)));
        assembly.start(settings("log,tn,cn,proxy", Map.of(NodeConfig.CLUSTER_SECRET, "s3cret")), null);

        assertThat(contexts).hasSize(3); // built in start order: tn, cn, proxy
        ServerContext cn = contexts.get(1);
        ServerContext proxy = contexts.get(2);
        assertThat(cn.localActiveTn().get()).isSameAs(ACTIVE);
        assertThat(cn.localComputeNode()).isEmpty();
        assertThat(proxy.localComputeNode()).containsSame(assembly.role(Role.CN, LocalComputeNode.class).orElseThrow());
        assertThat(proxy.proxySecret()).isEqualTo("s3cret".getBytes(StandardCharsets.UTF_8)).isEqualTo(cn.proxySecret());
        assertThat(proxy.cluster()).isSameAs(assembly.node().orElseThrow());
    }

    @Test
    void withoutAClusterSecretTheProxyAndTheComputeNodeShareASecretOfThisJvmOnly() throws Exception {
        assembly.provide(Role.CN, recording(ScriptedCn::new));
        assembly.provide(Role.PROXY, recording(() -> new ScriptedRole(Role.PROXY)));
        assembly.start(settings("cn,proxy", Map.of()), null);

        assertThat(contexts).hasSize(2);
        assertThat(contexts.get(0).clusterSecret()).isNull();
        assertThat(contexts.get(0).proxySecret()).hasSize(32).isEqualTo(contexts.get(1).proxySecret());
    }

    @Test
    void aBadSettingLeavesEveryProbeDownNamingItAndBuildsNoRole() throws Exception {
        assembly.provide(Role.CN, recording(ScriptedCn::new));
        assembly.start(settings("cn,bogus", Map.of()), null);

        assertThat(assembly.node()).isEmpty();
        assertThat(contexts).isEmpty();
        assertThat(assembly.membershipHealth(Probe.LIVE).up()).isFalse();
        assertThat(assembly.health(Role.CN, Probe.READY).data().get("error").toString()).contains(NodeConfig.ROLES);
    }

    @Test
    void aTransactionNodeWithoutALogPeerOnItsServerIsRefusedNamingTheRoles() throws Exception {
        assembly.provide(Role.TN, recording(ScriptedTn::new));
        assembly.start(settings("tn", Map.of()), null);

        assertThat(assembly.node()).isEmpty();
        assertThat(contexts).isEmpty();
        assertThat(assembly.health(Role.TN, Probe.STARTED).data().get("error").toString()).contains(NodeConfig.ROLES)
                .contains("log role");
    }

    @Test
    void aRoleRefusingItsSettingsLeavesTheServerDownNamingTheSetting() throws Exception {
        assembly.provide(Role.CN, context -> {
            throw new ConfigException("cairn.cn.example", "is wrong");
        });
        assembly.start(settings("cn", Map.of()), null);

        assertThat(assembly.node()).isEmpty();
        assertThat(assembly.health(Role.CN, Probe.STARTED).data().get("error").toString()).contains("cairn.cn.example");
    }
}
