package io.cairn.sql.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Property tests: the unsigned byte order of encodings is the SQL order of the values. */
class KeyCodecTest {
    private final Random random = new Random(42);

    private static byte[] enc(Object v, boolean desc) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KeyCodec.encode(out, v, desc);
        return out.toByteArray();
    }

    private <T> void assertOrderPreserved(Supplier<T> gen, Comparator<T> order) {
        List<T> values = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            values.add(gen.get());
        }
        for (int i = 0; i + 1 < values.size(); i++) {
            T a = values.get(i);
            T b = values.get(i + 1);
            int expected = Integer.signum(order.compare(a, b));
            assertThat(Integer.signum(Arrays.compareUnsigned(enc(a, false), enc(b, false))))
                    .as("%s vs %s", a, b).isEqualTo(expected);
            assertThat(Integer.signum(Arrays.compareUnsigned(enc(a, true), enc(b, true))))
                    .as("descending %s vs %s", a, b).isEqualTo(-expected);
        }
    }

    @Test
    void longsKeepTheirOrder() {
        assertOrderPreserved(() -> switch (random.nextInt(4)) {
            case 0 -> Long.MIN_VALUE + random.nextInt(3);
            case 1 -> Long.MAX_VALUE - random.nextInt(3);
            case 2 -> (long) random.nextInt(21) - 10;
            default -> random.nextLong();
        }, Long::compare);
    }

    @Test
    void doublesKeepTheirOrder() {
        assertOrderPreserved(() -> random.nextBoolean() ? random.nextGaussian() * 1e6 : (double) (random.nextInt(5) - 2),
                Double::compare);
        assertThat(enc(-0.0, false)).isEqualTo(enc(0.0, false));
    }

    @Test
    void decimalsKeepTheirOrder() {
        assertOrderPreserved(() -> BigDecimal.valueOf(random.nextLong() % 100000, random.nextInt(6))
                .multiply(random.nextInt(3) == 0 ? BigDecimal.ZERO : BigDecimal.ONE), BigDecimal::compareTo);
        assertThat(enc(new BigDecimal("1.50"), false)).isEqualTo(enc(new BigDecimal("1.5"), false));
    }

    @Test
    void stringsOrderByCollationKeyAndIgnoreCaseAndTrailingSpaces() {
        String alphabet = "aAbB z\u0000é";
        assertOrderPreserved(() -> {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(5);
            for (int i = 0; i < n; i++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return sb.toString();
        }, Comparator.comparing(s -> Arrays.toString(KeyCodec.collationKey(s).codePoints().toArray()),
                (x, y) -> Arrays.compare(parse(x), parse(y))));
        assertThat(enc("ABC", false)).isEqualTo(enc("abc ", false));
    }

    private static int[] parse(String s) {
        String body = s.substring(1, s.length() - 1).trim();
        return body.isEmpty() ? new int[0] : Arrays.stream(body.split(", ")).mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void nullSortsFirstAndTuplesAreOrderedColumnByColumn() {
        assertThat(Arrays.compareUnsigned(enc(null, false), enc(Long.MIN_VALUE, false))).isNegative();
        byte[] a = KeyCodec.encodeAll(1L, "b");
        byte[] b = KeyCodec.encodeAll(1L, "ba");
        byte[] c = KeyCodec.encodeAll(2L, "a");
        assertThat(Arrays.compareUnsigned(a, b)).isNegative();
        assertThat(Arrays.compareUnsigned(b, c)).isNegative();
        byte[] prefix = KeyCodec.encodeAll(1L);
        assertThat(Arrays.compareUnsigned(a, KeyCodec.prefixEnd(prefix))).isNegative();
        assertThat(Arrays.compareUnsigned(c, KeyCodec.prefixEnd(prefix))).isPositive();
    }
}
