package io.cairn.sql.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.sql.codec.KeyCodec;
import io.cairn.sql.codec.RowCodec;
import io.cairn.sql.codec.ValueKind;
import io.cairn.sql.exec.TableCodec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tables of a checkpoint written before microseconds were kept (catalog format 3) still read: their rows hold
 * DATETIME/TIMESTAMP values in milliseconds, which {@link TableCodec} turns into the plan's microseconds and back;
 * tables created since store microseconds.
 */
class MillisTemporalsTest {
    private static final List<ColumnDefinition> COLUMNS = List.of(
            new ColumnDefinition("k", new SqlType(DataType.DATETIME, 3, 0, false), false,
                    ColumnDefinition.DefaultKind.NONE, null, false),
            new ColumnDefinition("v", new SqlType(DataType.TIMESTAMP, 6, 0, false), true,
                    ColumnDefinition.DefaultKind.NONE, null, false),
            new ColumnDefinition("n", SqlType.of(DataType.BIGINT), true, ColumnDefinition.DefaultKind.NONE, null, false));

    @Test
    void aFormat3CatalogRowIsAMillisecondTable() {
        TableDefinition created = new TableDefinition(7, "db", "t", COLUMNS, List.of("k"), List.of(), null);
        assertThat(created.millisTemporals()).isFalse();
        byte[] now = CatalogCodec.encode(created);
        assertThat(CatalogCodec.decode(now)).isEqualTo(created);
        // format 3 is format 4 without the trailing flag
        byte[] format3 = Arrays.copyOf(now, now.length - 1);
        format3[0] = 3;
        TableDefinition old = CatalogCodec.decode(format3);
        assertThat(old.millisTemporals()).isTrue();
        assertThat(old.columns()).isEqualTo(created.columns());
        // kept through ALTER (new columns, new id) and TRUNCATE, which copy keys as they are
        assertThat(CatalogCodec.decode(CatalogCodec.encode(old.withId(8).withColumns(COLUMNS))).millisTemporals()).isTrue();
    }

    @Test
    void rowsOfAMillisecondTableReadAsMicroseconds() {
        List<ValueKind> kinds = List.of(ValueKind.TIMESTAMP, ValueKind.TIMESTAMP, ValueKind.LONG);
        long millis = 1_767_323_045_123L; // 2026-01-02 03:04:05.123
        byte[] stored = RowCodec.encode(kinds, new Object[] {millis, millis + 1, 5L}); // as Cairn wrote it before
        TableCodec old = new TableCodec(new TableDefinition(7, "db", "t", COLUMNS, List.of("k"), List.of(), null,
                null, true));
        Object[] row = old.decodeRow(stored);
        assertThat(row).containsExactly(millis * 1000, (millis + 1) * 1000, 5L);
        assertThat(old.encodeRow(row)).isEqualTo(stored);
        assertThat(old.primaryKey(row)).isEqualTo(KeyCodec.encodeAll(millis));
        // range bounds widen to whole milliseconds
        assertThat(old.storedBound(0, millis * 1000 + 1, false)).isEqualTo(millis);
        assertThat(old.storedBound(0, millis * 1000 + 1, true)).isEqualTo(millis + 1);

        TableCodec fresh = new TableCodec(new TableDefinition(7, "db", "t", COLUMNS, List.of("k"), List.of(), null));
        Object[] micros = {millis * 1000 + 456, null, 5L};
        assertThat(fresh.decodeRow(fresh.encodeRow(micros))).containsExactly(micros);
        assertThat(fresh.primaryKey(micros)).isEqualTo(KeyCodec.encodeAll(millis * 1000 + 456));
    }
}
