package io.cairn.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.data.DataNode;
import io.cairn.node.ConfigException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ComputeNodeLimitsTest {
    private static ComputeNodeLimits load(Map<String, String> values) {
        return ComputeNodeLimits.load(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void defaultsAreTheLargestCommittableWriteSetAnd64MiBPerStatement() {
        assertThat(load(Map.of())).isEqualTo(new ComputeNodeLimits(DataNode.MAX_WRITE_SET_BYTES, 64L << 20));
        assertThat(load(Map.of(ComputeNodeLimits.TXN_MAX_SIZE, ""))).isEqualTo(ComputeNodeLimits.DEFAULTS);
    }

    @Test
    void sizesTakeUnits() {
        ComputeNodeLimits limits = load(Map.of(ComputeNodeLimits.TXN_MAX_SIZE, "4M",
                ComputeNodeLimits.MAX_OPERATOR_MEMORY, "1g"));
        assertThat(limits.maxWriteSetBytes()).isEqualTo(4L << 20);
        assertThat(limits.maxOperatorMemory()).isEqualTo(1L << 30);
        assertThat(load(Map.of(ComputeNodeLimits.TXN_MAX_SIZE, "1000")).maxWriteSetBytes()).isEqualTo(1000);
    }

    @Test
    void aWriteSetLargerThanOneLogEntryIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> load(Map.of(ComputeNodeLimits.TXN_MAX_SIZE, "256M")))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.property()).isEqualTo(ComputeNodeLimits.TXN_MAX_SIZE))
                .hasMessageContaining("one log entry");
    }

    @Test
    void badSizesAreRefused() {
        assertThatThrownBy(() -> load(Map.of(ComputeNodeLimits.MAX_OPERATOR_MEMORY, "lots")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("cairn.sql.max-operator-memory:");
        assertThatThrownBy(() -> load(Map.of(ComputeNodeLimits.MAX_OPERATOR_MEMORY, "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("between 1 and");
        assertThatThrownBy(() -> load(Map.of(ComputeNodeLimits.TXN_MAX_SIZE, "-5M")))
                .isInstanceOf(ConfigException.class);
    }
}
