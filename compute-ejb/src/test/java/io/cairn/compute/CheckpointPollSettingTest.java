package io.cairn.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.node.ConfigException;
import io.cairn.node.NodeConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code cairn.cn.checkpoint-poll-ms}: how often a CN looks for a newer checkpoint. */
class CheckpointPollSettingTest {
    private static Duration poll(Map<String, String> values) {
        return ComputeNodeRole.checkpointPoll(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void aSecondUnlessSetWithinItsRange() {
        assertThat(poll(Map.of())).isEqualTo(Duration.ofSeconds(1));
        assertThat(poll(Map.of(NodeConfig.CHECKPOINT_POLL_MS, " "))).isEqualTo(Duration.ofSeconds(1));
        assertThat(poll(Map.of(NodeConfig.CHECKPOINT_POLL_MS, "10000"))).isEqualTo(Duration.ofSeconds(10));
        assertThat(poll(Map.of(NodeConfig.CHECKPOINT_POLL_MS, "100"))).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void otherValuesAreRefusedNamingTheProperty() {
        for (String bad : new String[] {"99", "600001", "1s", "-5"}) {
            assertThatThrownBy(() -> poll(Map.of(NodeConfig.CHECKPOINT_POLL_MS, bad))).as(bad)
                    .isInstanceOfSatisfying(ConfigException.class,
                            e -> assertThat(e.property()).isEqualTo(NodeConfig.CHECKPOINT_POLL_MS))
                    .hasMessageContaining("milliseconds from 100 to 600000");
        }
    }
}
