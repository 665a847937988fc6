package io.cairn.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.node.HealthReport;
import io.cairn.node.MemberInfo;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy role's readiness over a membership the test drives: DOWN while some group it knows (from
 * the compute nodes' membership or the user rules) has no ready, undrained compute node.
 */
class ProxyReadinessIT {
    private final List<MemberInfo> members = new CopyOnWriteArrayList<>();
    private ProxyRole role;

    @BeforeEach
    void start() throws Exception {
        ProxySettings settings = ProxySettings.load("127.0.0.1", 0, "readiness-it-secret", null,
                key -> key.equals(ProxySettings.USER_GROUPS) ? Optional.of("dave:etl") : Optional.empty());
        role = new ProxyRole(() -> List.copyOf(members), settings, ProxyServer.LocalCn.NONE);
        role.start();
    }

    @AfterEach
    void stop() {
        role.stop();
    }

    private void member(String name, int port, String group, boolean draining, boolean ready) {
        members.removeIf(m -> m.name().equals(name));
        members.add(new MemberInfo(name, name + "-uuid", "127.0.0.1:5701", List.of("cn"), group, draining, "ACTIVE",
                ready ? List.of("cn") : List.of(), new MemberInfo.Endpoints(null, "127.0.0.1:" + port, null, null),
                false));
    }

    @Test
    void readyOnlyWhileEveryKnownGroupHasAUsableComputeNode() {
        HealthReport none = role.readiness();
        assertThat(none.up()).isFalse();
        assertThat(none.data()).containsEntry("groups-without-cn", "etl"); // the user rule's group

        member("s1", 16101, "default", false, true);
        member("s2", 16102, "etl", false, false);
        assertThat(role.readiness().up()).isFalse(); // etl's only CN is not ready yet

        member("s2", 16102, "etl", false, true);
        assertThat(role.readiness().up()).isTrue();

        member("s3", 16103, "reporting", false, false); // a group known from membership alone
        assertThat(role.readiness().data()).containsEntry("groups-without-cn", "reporting");
        assertThat(role.readiness().up()).isFalse();

        member("s3", 16103, "reporting", false, true);
        member("s2", 16102, "etl", true, true); // draining: takes no new sessions
        assertThat(role.readiness().up()).isFalse();
        assertThat(role.readiness().data()).containsEntry("groups-without-cn", "etl");

        member("s2", 16102, "reporting", false, true); // moved: etl has none again, reporting two
        assertThat(role.readiness().data()).containsEntry("groups-without-cn", "etl");
        member("s4", 16104, "etl", false, true);
        assertThat(role.readiness().up()).isTrue();
        assertThat(role.readiness().data()).doesNotContainKey("groups-without-cn");
    }
}
