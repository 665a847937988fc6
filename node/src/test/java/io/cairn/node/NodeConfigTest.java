package io.cairn.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import io.cairn.node.tls.ClusterTls;
import io.cairn.node.tls.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
    @TempDir
    Path temp;

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> all = new HashMap<>(base);
        all.put(key, value);
        return all;
    }

    private NodeConfig load(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.putIfAbsent(NodeConfig.DATA_DIR, temp.resolve("data").toString());
        return NodeConfig.load(key -> Optional.ofNullable(all.get(key)));
    }

    @Test
    void defaultsAreTheAllInOneServerOnLoopback() {
        NodeConfig config = load(Map.of());
        assertThat(config.roles()).containsExactlyInAnyOrder(Role.PROXY, Role.CN, Role.TN, Role.LOG);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.ports()).isEqualTo(new NodeConfig.Ports(6001, 6101, 9080, 9643, 6201, 5701));
        assertThat(config.hazelcastMembers()).containsExactly("127.0.0.1:5701");
        assertThat(config.cnGroup()).isEqualTo("default");
        assertThat(config.dataDir()).isEqualTo(temp.resolve("data"));
    }

    @Test
    void kubernetesDiscoveryJoinsTheHeadlessServicesAddressesInsteadOfTheMemberList() {
        NodeConfig config = load(Map.of(NodeConfig.DISCOVERY, "kubernetes",
                NodeConfig.DISCOVERY_SERVICE_DNS, "cairn-members.cairn.svc.cluster.local"));
        assertThat(config.kubernetesServiceDns()).contains("cairn-members.cairn.svc.cluster.local");
        var join = Membership.hazelcastConfig(config).getNetworkConfig().getJoin();
        assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
        assertThat(join.getKubernetesConfig().getProperty("service-dns")).isEqualTo("cairn-members.cairn.svc.cluster.local");
        assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("5701");
        assertThat(join.getTcpIpConfig().isEnabled()).isFalse();

        var staticJoin = Membership.hazelcastConfig(load(Map.of())).getNetworkConfig().getJoin();
        assertThat(staticJoin.getKubernetesConfig().isEnabled()).isFalse();
        assertThat(staticJoin.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:5701");
    }

    @Test
    void aBadDiscoverySettingIsNamed() {
        assertThatThrownBy(() -> load(Map.of(NodeConfig.DISCOVERY, "multicast")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(NodeConfig.DISCOVERY);
        assertThatThrownBy(() -> load(Map.of(NodeConfig.DISCOVERY, "kubernetes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(NodeConfig.DISCOVERY_SERVICE_DNS);
    }

    @Test
    void rolesAreASubsetInAnyCaseAndOrder() {
        assertThat(load(Map.of(NodeConfig.ROLES, " CN, proxy ")).roles()).isEqualTo(Set.of(Role.CN, Role.PROXY));
    }

    @Test
    void unknownRoleNamesTheProperty() {
        assertThatThrownBy(() -> load(Map.of(NodeConfig.ROLES, "proxy,database")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("cairn.roles: unknown role 'database' (allowed: proxy,cn,tn,log)")
                .extracting(e -> ((ConfigException) e).property()).isEqualTo(NodeConfig.ROLES);
        assertThatThrownBy(() -> load(Map.of(NodeConfig.ROLES, " , ")))
                .hasMessageStartingWith("cairn.roles: must name at least one");
    }

    @Test
    void badPortsNameTheirProperty() {
        assertThatThrownBy(() -> load(Map.of(NodeConfig.HTTP_PORT, "80a"))).hasMessageStartingWith("cairn.http.port:");
        assertThatThrownBy(() -> load(Map.of(NodeConfig.LOG_PORT, "70000"))).hasMessageStartingWith("cairn.log.port:");
        assertThatThrownBy(() -> load(Map.of(NodeConfig.HAZELCAST_MEMBERS, "127.0.0.1")))
                .hasMessageStartingWith("cairn.hazelcast.members: '127.0.0.1' is not host:port");
    }

    @Test
    void dataFolderMustExistOrHaveAParent() {
        Path missing = temp.resolve("no/such/folder");
        assertThatThrownBy(() -> load(Map.of(NodeConfig.DATA_DIR, missing.toString())))
                .hasMessage("cairn.data.dir: folder " + missing + " does not exist, nor does its parent");
        assertThat(load(Map.of(NodeConfig.DATA_DIR, temp.toString())).dataDir()).isEqualTo(temp);
    }

    @Test
    void namesAndGroupsAreValidated() {
        assertThatThrownBy(() -> load(Map.of(NodeConfig.NAME, "bad name"))).hasMessageStartingWith("cairn.node.name:");
        assertThatThrownBy(() -> load(Map.of(NodeConfig.CN_GROUP, "a/b"))).hasMessageStartingWith("cairn.cn.group:");
    }

    @Test
    void anEmptyRootPasswordIsRefusedWhenTheMysqlPortsBindBeyondLoopback() throws Exception {
        Map<String, String> tls = clusterTlsSettings();
        assertThatThrownBy(() -> load(with(tls, NodeConfig.HOST, "0.0.0.0")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(NodeConfig.ROOT_PASSWORD + ": must be set");
        assertThat(load(with(with(tls, NodeConfig.HOST, "0.0.0.0"), NodeConfig.ROOT_PASSWORD, "s3cret")).host())
                .isEqualTo("0.0.0.0");
        assertThat(load(with(with(tls, NodeConfig.HOST, "0.0.0.0"), NodeConfig.ROLES, "tn,log")).roles())
                .as("no MySQL port on this server").containsExactlyInAnyOrder(Role.TN, Role.LOG);
        assertThat(load(Map.of(NodeConfig.HOST, "::1")).host()).as("loopback").isEqualTo("::1");
    }

    @Test
    void clusterTlsIsRequiredWhenTheClusterPortsBindBeyondLoopback() throws Exception {
        assertThatThrownBy(() -> load(Map.of(NodeConfig.HOST, "0.0.0.0", NodeConfig.ROOT_PASSWORD, "s3cret")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(ClusterTls.KEY_STORE + ": must be set")
                .extracting(e -> ((ConfigException) e).property()).isEqualTo(ClusterTls.KEY_STORE);
        assertThat(load(Map.of()).clusterTls()).as("all-in-one on loopback: plain").isEmpty();
        Map<String, String> tls = clusterTlsSettings();
        NodeConfig config = load(with(with(tls, NodeConfig.HOST, "0.0.0.0"), NodeConfig.ROOT_PASSWORD, "s3cret"));
        assertThat(config.clusterTls()).isPresent();
        assertThat(config.internalHttpAddress()).isEqualTo("0.0.0.0:9643");
        assertThat(load(Map.of()).internalHttpAddress()).isEqualTo("127.0.0.1:9080");
    }

    private Map<String, String> clusterTlsSettings() throws Exception {
        TestPki pki = TestPki.create(temp.resolve("pki"));
        return pki.settings(pki.issue("s1"));
    }
}
