package io.cairn.sql.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.sql.codec.KeyCodec;
import io.cairn.sql.codec.RowCodec;
import io.cairn.sql.codec.ValueKind;
import io.cairn.sql.exec.TableCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
                    ColumnDefinition.DefaultKind.NONE, null, false, false),
            new ColumnDefinition("v", new SqlType(DataType.TIMESTAMP, 6, 0, false), true,
                    ColumnDefinition.DefaultKind.NONE, null, false, false),
            new ColumnDefinition("n", SqlType.of(DataType.BIGINT), true, ColumnDefinition.DefaultKind.NONE, null, false, false));

    @Test
    void aFormat3CatalogRowIsAMillisecondTable() {
        TableDefinition created = new TableDefinition(7, "db", "t", COLUMNS, List.of("k"), List.of(), null);
        assertThat(created.millisTemporals()).isFalse();
        assertThat(CatalogCodec.decode(CatalogCodec.encode(created))).isEqualTo(created);
        TableDefinition old = CatalogCodec.decode(olderFormat(3, created));
        assertThat(old.millisTemporals()).isTrue();
        assertThat(old.columns()).isEqualTo(created.columns());
        assertThat(CatalogCodec.decode(olderFormat(4, created))).isEqualTo(created);
        // kept through ALTER (new columns, new id) and TRUNCATE, which copy keys as they are
        assertThat(CatalogCodec.decode(CatalogCodec.encode(old.withId(8).withColumns(COLUMNS))).millisTemporals()).isTrue();
    }

    /**
     * A catalog row of format 3 or 4 (a table without indexes, not a view), as Cairn wrote it then: format 4 added the
     * trailing milliseconds flag, format 5 each column's ON UPDATE CURRENT_TIMESTAMP.
     */
    private static byte[] olderFormat(int format, TableDefinition t) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(format);
            out.writeLong(t.id());
            out.writeUTF(t.database());
            out.writeUTF(t.name());
            out.writeInt(t.columns().size());
            for (ColumnDefinition c : t.columns()) {
                out.writeUTF(c.name());
                out.writeUTF(c.type().base().name());
                out.writeLong(c.type().length());
                out.writeInt(c.type().scale());
                out.writeBoolean(c.type().unsigned());
                out.writeBoolean(c.nullable());
                out.writeUTF(c.defaultKind().name());
                out.writeBoolean(false); // no DEFAULT text
                out.writeBoolean(c.autoIncrement());
            }
            out.writeInt(t.primaryKey().size());
            for (String k : t.primaryKey()) {
                out.writeUTF(k);
            }
            out.writeInt(0); // indexes
            out.writeBoolean(false); // view SQL
            out.writeBoolean(false); // view security
            if (format == 4) {
                out.writeBoolean(t.millisTemporals());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
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
