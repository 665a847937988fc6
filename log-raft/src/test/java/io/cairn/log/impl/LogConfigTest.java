package io.cairn.log.impl;

import io.cairn.node.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogConfigTest {

    private static LogConfig from(Map<String, String> props) {
        return LogConfig.fromProperties(k -> Optional.ofNullable(props.get(k)));
    }

    @Test
    void parsesPeersAndAppliesDefaults() {
        LogConfig c = from(Map.of(LogConfig.PEERS, "p1=127.0.0.1:6201, p2=127.0.0.1:6202,p3=localhost:6203",
                LogConfig.SELF, "p2", LogConfig.DIR, "/tmp/x"));
        assertThat(c.peers()).hasSize(3);
        assertThat(c.self().port()).isEqualTo(6202);
        assertThat(c.self().address()).isEqualTo("127.0.0.1:6202");
        assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(c.appendTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.groupName()).isEqualTo(LogConfig.DEFAULT_GROUP);
        assertThat(RatisSetup.groupId(c.groupName())).isEqualTo(RatisSetup.groupId("cairn-log"));
    }

    @Test
    void clientWithoutSelfNeedsNoDirectory() {
        LogConfig c = from(Map.of());
        assertThat(c.selfId()).isNull();
        assertThat(c.peers()).extracting(LogConfig.PeerSpec::id).containsExactly("p1");
    }

    @Test
    void badValuesNameTheirProperty() {
        assertProblem(Map.of(LogConfig.PEERS, "p1=127.0.0.1"), LogConfig.PEERS);
        assertProblem(Map.of(LogConfig.PEERS, "p1=h:1,p1=h:2"), LogConfig.PEERS);
        assertProblem(Map.of(LogConfig.PEERS, "p1=h:99999"), LogConfig.PEERS);
        assertProblem(Map.of(LogConfig.PEERS, " , "), LogConfig.PEERS);
        assertProblem(Map.of(LogConfig.SELF, "p9", LogConfig.DIR, "/tmp/x"), LogConfig.SELF);
        assertProblem(Map.of(LogConfig.SELF, "p1"), LogConfig.DIR);
        assertProblem(Map.of(LogConfig.APPEND_TIMEOUT_MS, "soon"), LogConfig.APPEND_TIMEOUT_MS);
        assertProblem(Map.of(LogConfig.APPEND_TIMEOUT_MS, "0"), LogConfig.APPEND_TIMEOUT_MS);
        assertProblem(Map.of(LogConfig.LAG_THRESHOLD, "-1"), LogConfig.LAG_THRESHOLD);
        assertProblem(Map.of(LogConfig.SEGMENT_SIZE, "100"), LogConfig.SEGMENT_SIZE);
        assertProblem(Map.of(LogConfig.GROUP, " "), LogConfig.GROUP);
    }

    private static void assertProblem(Map<String, String> props, String property) {
        assertThatThrownBy(() -> from(props)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.property()).isEqualTo(property));
    }
}
