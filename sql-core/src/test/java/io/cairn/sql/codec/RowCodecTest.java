package io.cairn.sql.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.apache.calcite.avatica.util.ByteString;
import org.junit.jupiter.api.Test;

class RowCodecTest {
    private static final List<ValueKind> KINDS = List.of(ValueKind.INT, ValueKind.LONG, ValueKind.DECIMAL,
            ValueKind.DOUBLE, ValueKind.STRING, ValueKind.BYTES, ValueKind.DATE, ValueKind.TIMESTAMP, ValueKind.TIME);

    @Test
    void roundTripsEveryKindAndNulls() {
        Object[] row = {-7, Long.MIN_VALUE, new BigDecimal("-123.450"), 2.5, "héllo", new ByteString(new byte[] {0, -1}),
                19000, 1_700_000_000_000L, 3_600_000};
        assertThat(RowCodec.decode(KINDS, RowCodec.encode(KINDS, row))).containsExactly(row);
        Object[] nulls = new Object[KINDS.size()];
        nulls[4] = "";
        assertThat(RowCodec.decode(KINDS, RowCodec.encode(KINDS, nulls))).containsExactly(nulls);
    }

    @Test
    void decodesOnlyTheColumnsAskedForAndSkipsEveryKindBetweenThem() {
        String wide = "x".repeat(300); // a two-byte length prefix
        Object[] row = {-7, Long.MIN_VALUE, new BigDecimal("-123.450"), 2.5, wide, new ByteString(new byte[] {0, -1}),
                19000, 1_700_000_000_000L, 3_600_000};
        byte[] stored = RowCodec.encode(KINDS, row);
        for (int keep = 0; keep < KINDS.size(); keep++) {
            boolean[] read = new boolean[KINDS.size()];
            read[keep] = true;
            Object[] expected = new Object[KINDS.size()];
            expected[keep] = row[keep];
            assertThat(RowCodec.decode(KINDS, stored, read)).as("only column %d", keep).containsExactly(expected);
        }
        boolean[] ends = new boolean[KINDS.size()];
        ends[0] = true;
        ends[KINDS.size() - 1] = true;
        assertThat(RowCodec.decode(KINDS, stored, ends)).containsExactly(-7, null, null, null, null, null, null, null,
                3_600_000);
    }

    @Test
    void aRowStoredWithFewerColumnsDecodesTheMissingOnesAsNull() {
        List<ValueKind> two = KINDS.subList(0, 2);
        byte[] stored = RowCodec.encode(two, new Object[] {1, 2L});
        assertThat(RowCodec.decode(KINDS.subList(0, 3), stored)).containsExactly(1, 2L, null);
    }
}
