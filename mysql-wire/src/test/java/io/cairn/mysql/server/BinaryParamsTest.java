package io.cairn.mysql.server;

import io.cairn.mysql.ColumnType;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.Parameter;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BinaryParamsTest {

    private static PacketBuilder types(PacketBuilder p, int... codeAndFlags) {
        for (int v : codeAndFlags) {
            p.u8(v);
        }
        return p;
    }

    @Test
    void decodesSignedUnsignedTemporalDecimalAndNull() throws Exception {
        PreparedStatementState stmt = new PreparedStatementState(1, 7);
        PacketBuilder p = new PacketBuilder().u8(0b0100_0000).u8(1); // param 7 null; new types bound
        types(p, ColumnType.LONGLONG.code(), 0x80, ColumnType.TINY.code(), 0, ColumnType.LONG.code(), 0x80,
                ColumnType.NEWDECIMAL.code(), 0, ColumnType.DATETIME.code(), 0, ColumnType.TIME.code(), 0,
                ColumnType.VAR_STRING.code(), 0);
        p.i64(-1).u8(0xff).i32(-1).lenencString("-12.50")
                .u8(11).u16(2024).u8(2).u8(29).u8(1).u8(2).u8(3).i32(500_000)
                .u8(8).u8(1).i32(1).u8(2).u8(0).u8(0);
        List<Parameter> params = BinaryParams.decode(new PacketReader(p.toByteArray()), stmt);
        assertThat(params).extracting(Parameter::value).containsExactly(
                new BigInteger("18446744073709551615"), -1L, 4294967295L, new BigDecimal("-12.50"),
                LocalDateTime.of(2024, 2, 29, 1, 2, 3, 500_000_000), Duration.ofHours(26).negated(), null);
        assertThat(params.get(0).unsigned()).isTrue();
    }

    @Test
    void reusesTypesWhenNotReboundAndKeepsRawBytes() throws Exception {
        PreparedStatementState stmt = new PreparedStatementState(1, 1);
        PacketBuilder first = new PacketBuilder().u8(0).u8(1);
        types(first, ColumnType.VAR_STRING.code(), 0).lenencBytes(new byte[] {(byte) 0xff});
        assertThat(BinaryParams.decode(new PacketReader(first.toByteArray()), stmt).get(0).raw())
                .containsExactly(0xff);
        PacketBuilder second = new PacketBuilder().u8(0).u8(0).lenencString("ü");
        Parameter p = BinaryParams.decode(new PacketReader(second.toByteArray()), stmt).get(0);
        assertThat(p.value()).isEqualTo("ü");
    }

    @Test
    void longDataReplacesTheInlineValue() throws Exception {
        PreparedStatementState stmt = new PreparedStatementState(1, 1);
        stmt.longData[0] = new java.io.ByteArrayOutputStream();
        stmt.longData[0].write(new byte[] {1, 2, 3});
        PacketBuilder p = new PacketBuilder().u8(0).u8(1);
        types(p, ColumnType.BLOB.code(), 0);
        assertThat((byte[]) BinaryParams.decode(new PacketReader(p.toByteArray()), stmt).get(0).value())
                .containsExactly(1, 2, 3); // (the dispatcher clears it: it also counts the connection's total)
    }

    @Test
    void decimalsAreWhatMysqlsDecimalHolds() throws Exception {
        assertThat(decimal("1e5")).isEqualByComparingTo("100000").extracting(BigDecimal::scale).isEqualTo(0);
        assertThat(decimal("0." + "0".repeat(40) + "1")).isEqualByComparingTo("0").extracting(BigDecimal::scale)
                .isEqualTo(30);
        assertThat(decimal("1.00000000000000000000000000000049")).isEqualByComparingTo("1");
        assertThat(decimal("-1E-999999999")).isEqualByComparingTo("0");
        for (String beyond : new String[] {"1e999999999", "9".repeat(66), "1e-2147483648", "abc"}) {
            assertThatThrownBy(() -> decimal(beyond)).isInstanceOf(MysqlException.class)
                    .extracting(e -> ((MysqlException) e).code()).isEqualTo(1210);
        }
    }

    private static BigDecimal decimal(String text) throws Exception {
        PreparedStatementState stmt = new PreparedStatementState(1, 1);
        byte[] p = types(new PacketBuilder().u8(0).u8(1), ColumnType.NEWDECIMAL.code(), 0).lenencString(text)
                .toByteArray();
        return (BigDecimal) BinaryParams.decode(new PacketReader(p), stmt).get(0).value();
    }

    @Test
    void rejectsTruncatedUnknownAndInvalidValues() {
        PreparedStatementState stmt = new PreparedStatementState(1, 1);
        byte[] truncated = types(new PacketBuilder().u8(0).u8(1), ColumnType.LONGLONG.code(), 0).u8(1).toByteArray();
        assertThatThrownBy(() -> BinaryParams.decode(new PacketReader(truncated), stmt))
                .isInstanceOf(MalformedPacketException.class);
        byte[] unknownType = types(new PacketBuilder().u8(0).u8(1), 0x42, 0).toByteArray();
        assertThatThrownBy(() -> BinaryParams.decode(new PacketReader(unknownType), stmt))
                .isInstanceOf(MalformedPacketException.class);
        byte[] hugeLength = types(new PacketBuilder().u8(0).u8(1), ColumnType.BLOB.code(), 0)
                .u8(0xfe).i64(Long.MAX_VALUE).toByteArray();
        assertThatThrownBy(() -> BinaryParams.decode(new PacketReader(hugeLength), stmt))
                .isInstanceOf(MalformedPacketException.class);
        byte[] badDate = types(new PacketBuilder().u8(0).u8(1), ColumnType.DATE.code(), 0)
                .u8(4).u16(2023).u8(13).u8(1).toByteArray();
        assertThatThrownBy(() -> BinaryParams.decode(new PacketReader(badDate), stmt))
                .isInstanceOfSatisfying(MysqlException.class, e -> assertThat(e.code()).isEqualTo(1210));
        PreparedStatementState unbound = new PreparedStatementState(2, 1);
        assertThatThrownBy(() -> BinaryParams.decode(new PacketReader(new byte[] {0, 0}), unbound))
                .isInstanceOf(MalformedPacketException.class);
    }
}
