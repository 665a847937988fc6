package io.cairn.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatementTextTest {

    @Test
    void validUtf8DecodesAsUsualAndHasNoRawBytes() {
        String text = "SELECT 'ü 🪨 \\u0000'";
        String decoded = StatementText.decode(text.getBytes(StandardCharsets.UTF_8));
        assertThat(decoded).isEqualTo(text);
        assertThat(StatementText.hasRawBytes(decoded)).isFalse();
        assertThat(StatementText.encode(decoded)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bytesThatAreNotUtf8ComeBackUnchanged() {
        byte[] bytes = {'\'', 0, (byte) 0xFF, 0x10, (byte) 0xC3, '\'', (byte) 0xC3, (byte) 0xBC, (byte) 0xED, (byte) 0xB2, (byte) 0x80};
        String decoded = StatementText.decode(bytes);
        assertThat(StatementText.hasRawBytes(decoded)).isTrue();
        assertThat(decoded).contains("ü"); // the valid sequence among the invalid ones
        assertThat(StatementText.encode(decoded)).isEqualTo(bytes);
    }

    @Test
    void anyBytesRoundTrip() {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            assertThat(StatementText.encode(StatementText.decode(bytes))).isEqualTo(bytes);
        }
    }
}
