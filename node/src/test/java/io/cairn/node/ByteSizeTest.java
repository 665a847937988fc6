package io.cairn.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
    @Test
    void sizesInBytesOrBinaryUnits() {
        assertThat(ByteSize.parse("p", "4096", 0, Long.MAX_VALUE)).isEqualTo(4096);
        assertThat(ByteSize.parse("p", "256m", 0, Long.MAX_VALUE)).isEqualTo(256L << 20);
        assertThat(ByteSize.parse("p", " 2G ", 0, Long.MAX_VALUE)).isEqualTo(2L << 30);
        assertThat(ByteSize.parse("p", "64k", 0, Long.MAX_VALUE)).isEqualTo(64L << 10);
    }

    @Test
    void badSizesNameTheProperty() {
        assertThatThrownBy(() -> ByteSize.parse("cairn.cn.block-cache", "lots", 0, 10))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cairn.cn.block-cache");
        assertThatThrownBy(() -> ByteSize.parse("p", "", 0, 10)).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> ByteSize.parse("p", "-1m", 0, Long.MAX_VALUE)).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> ByteSize.parse("p", "99999999999g", 0, Long.MAX_VALUE)).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> ByteSize.parse("cairn.cn.block-cache", "512k", 1 << 20, Long.MAX_VALUE))
                .hasMessageContaining("between");
    }
}
