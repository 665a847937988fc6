package io.cairn.txn.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.txn.Key;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyTimestampsTest {
    private static Key key(long table, int id) {
        return Key.of(table, ByteBuffer.allocate(4).putInt(id).array());
    }

    @Test
    void aKeyReadsItsLastTimestampAndAnAbsentOneZero() {
        KeyTimestamps map = new KeyTimestamps();
        map.put(key(1, 5), 100);
        map.put(key(1, 5), 200);

        assertThat(map.get(key(1, 5))).isEqualTo(200);
        assertThat(map.get(key(2, 5))).isZero();
        assertThat(map.size()).isEqualTo(1);
    }

    @Test
    void removalKeepsAKeyALaterCommitWrote() {
        KeyTimestamps map = new KeyTimestamps();
        map.put(key(1, 5), 100);
        map.put(key(1, 5), 200);

        map.remove(key(1, 5), 100);
        assertThat(map.get(key(1, 5))).isEqualTo(200);

        map.remove(key(1, 5), 200);
        assertThat(map.get(key(1, 5))).isZero();
        assertThat(map.size()).isZero();
    }

    @Test
    void aTimestampIsPositive() {
        assertThatThrownBy(() -> new KeyTimestamps().put(key(1, 1), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Random puts and removes over few keys (long probe runs, growing and shrinking) agree with a HashMap. */
    @Test
    void agreesWithAHashMapThroughGrowthShrinkingAndRemovalsInsideProbeRuns() {
        Random random = new Random(18);
        KeyTimestamps map = new KeyTimestamps();
        Map<Key, Long> expected = new HashMap<>();
        for (int round = 0; round < 200_000; round++) {
            int phase = round / 20_000; // alternately fill up and drain, so the table grows and shrinks
            Key k = key(random.nextInt(3), random.nextInt(5_000));
            if (random.nextInt(10) < (phase % 2 == 0 ? 7 : 2)) {
                long ts = 1 + random.nextInt(4);
                map.put(k, ts);
                expected.put(k, ts);
            } else {
                long ts = 1 + random.nextInt(4);
                map.remove(k, ts);
                expected.remove(k, ts);
            }
            if (round % 997 == 0) {
                for (int table = 0; table < 3; table++) {
                    for (int id = 0; id < 5_000; id++) {
                        Key probe = key(table, id);
                        assertThat(map.get(probe)).as("round %d key %s", round, probe)
                                .isEqualTo(expected.getOrDefault(probe, 0L));
                    }
                }
                assertThat(map.size()).isEqualTo(expected.size());
            }
        }
    }
}
