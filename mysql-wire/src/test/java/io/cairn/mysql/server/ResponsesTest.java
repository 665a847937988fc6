package io.cairn.mysql.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** OK packets as MySQL's server writes them and clients read them. */
class ResponsesTest {
    @Test
    void okInfoIsLengthEncoded() {
        String info = "Rows matched: 2  Changed: 1  Warnings: 0";
        byte[] p = Responses.ok(1, 0, 2, 0, info, false).toByteArray();
        // header, affected rows, last insert id, status (2 bytes), warnings (2 bytes), then lenenc info
        assertThat(p[0]).isEqualTo((byte) 0x00);
        assertThat(p[1]).isEqualTo((byte) 1);
        assertThat(p[7] & 0xff).isEqualTo(info.length());
        assertThat(new String(Arrays.copyOfRange(p, 8, p.length), StandardCharsets.UTF_8)).isEqualTo(info);
    }

    @Test
    void okWithoutInfoEndsAfterTheWarnings() {
        assertThat(Responses.ok(0, 0, 2, 3, "", false).toByteArray()).containsExactly(0, 0, 0, 2, 0, 3, 0);
    }
}
