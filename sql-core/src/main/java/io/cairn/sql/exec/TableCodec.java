package io.cairn.sql.exec;

import io.cairn.sql.catalog.ColumnDefinition;
import io.cairn.sql.catalog.IndexDefinition;
import io.cairn.sql.catalog.TableDefinition;
import io.cairn.sql.codec.KeyCodec;
import io.cairn.sql.codec.RowCodec;
import io.cairn.sql.codec.ValueKind;
import io.cairn.txn.Key;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys and values of one table's rows and index entries (see {@link TableDefinition} and
 * {@link IndexDefinition} for the layout). Immutable and thread-safe.
 */
public final class TableCodec {
    private final TableDefinition table;
    private final List<ValueKind> kinds;
    private final int[] pk;
    /** Positions of DATETIME/TIMESTAMP columns stored in milliseconds ({@link TableDefinition#millisTemporals()}). */
    private final int[] millisColumns;

    public TableCodec(TableDefinition table) {
        this.table = table;
        List<ValueKind> k = new ArrayList<>();
        List<Integer> millis = new ArrayList<>();
        for (ColumnDefinition c : table.columns()) {
            if (table.millisTemporals() && c.type().kind() == ValueKind.TIMESTAMP) {
                millis.add(k.size());
            }
            k.add(c.type().kind());
        }
        this.kinds = List.copyOf(k);
        this.pk = table.primaryKeyPositions();
        this.millisColumns = millis.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * {@code row} (microsecond DATETIMEs, as queries see them) as this table stores it: a table created before
     * microseconds were kept holds milliseconds (floored; such a table never held more than milliseconds).
     */
    private Object[] stored(Object[] row) {
        if (millisColumns.length == 0) {
            return row;
        }
        Object[] out = row.clone();
        for (int p : millisColumns) {
            if (out[p] != null) {
                out[p] = Math.floorDiv(((Number) out[p]).longValue(), 1000L);
            }
        }
        return out;
    }

    /** A stored row with its DATETIMEs in microseconds. */
    private Object[] fromStored(Object[] row) {
        for (int p : millisColumns) {
            if (row[p] != null) {
                row[p] = ((Number) row[p]).longValue() * 1000L;
            }
        }
        return row;
    }

    /**
     * A key range of column {@code column} (microseconds for a DATETIME) in the column's stored unit: for a table
     * storing milliseconds the range widened to whole milliseconds (queries re-check every row they read).
     */
    public Object storedBound(int column, Object v, boolean upper) {
        if (v == null || millisColumns.length == 0 || kinds.get(column) != ValueKind.TIMESTAMP) {
            return v;
        }
        long micros = ((Number) v).longValue();
        return upper ? Math.floorDiv(micros + 999, 1000L) : Math.floorDiv(micros, 1000L);
    }

    /** Whether {@code column}'s stored keys are in another unit than its values ({@link #storedBound}). */
    public boolean widensBounds(int column) {
        return millisColumns.length > 0 && kinds.get(column) == ValueKind.TIMESTAMP;
    }

    public TableDefinition table() {
        return table;
    }

    public List<ValueKind> kinds() {
        return kinds;
    }

    /** Whether rows are keyed by a hidden row id (no primary key). */
    public boolean hiddenRowId() {
        return pk.length == 0;
    }

    /** The primary-key bytes of a row (tables with a primary key). */
    public byte[] primaryKey(Object[] row) {
        row = stored(row);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int p : pk) {
            KeyCodec.encode(out, row[p], false);
        }
        return out.toByteArray();
    }

    /** The key bytes of a hidden row id. */
    public static byte[] rowIdKey(long rowId) {
        return KeyCodec.encodeAll(rowId);
    }

    public Key rowKey(byte[] pkBytes) {
        return Key.of(table.id(), pkBytes);
    }

    public byte[] encodeRow(Object[] row) {
        return RowCodec.encode(kinds, stored(row));
    }

    public Object[] decodeRow(byte[] value) {
        return fromStored(RowCodec.decode(kinds, value));
    }

    /** The stored row {@code value} with only the columns {@code read} marks (all when null); the others are null. */
    public Object[] decodeRow(byte[] value, boolean[] read) {
        return fromStored(RowCodec.decode(kinds, value, read));
    }

    /** The entry key of {@code row} in {@code index}. */
    public Key indexKey(IndexDefinition index, Object[] row, byte[] pkBytes) {
        row = stored(row);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean hasNull = false;
        int[] cols = table.positions(index.columns());
        for (int i = 0; i < cols.length; i++) {
            Object v = row[cols[i]];
            hasNull |= v == null;
            KeyCodec.encode(out, v, index.descending().get(i));
        }
        if (!index.unique() || hasNull) {
            out.writeBytes(pkBytes);
        }
        return Key.of(index.id(), out.toByteArray());
    }

    /** Whether the index entry is subject to a uniqueness check (unique index, no NULL column). */
    public boolean checksUniqueness(IndexDefinition index, Object[] row) {
        if (!index.unique()) {
            return false;
        }
        for (int p : table.positions(index.columns())) {
            if (row[p] == null) {
                return false;
            }
        }
        return true;
    }

    /** The value shown in a duplicate-key message: the key columns' values joined by '-'. */
    public String keyText(int[] positions, Object[] row) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < positions.length; i++) {
            if (i > 0) {
                sb.append('-');
            }
            Object v = io.cairn.sql.codec.Values.toExternal(kinds.get(positions[i]), row[positions[i]]);
            sb.append(v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
                    : v instanceof Double d ? io.cairn.sql.codec.Values.formatDouble(d)
                    : v instanceof java.time.LocalDateTime t ? io.cairn.sql.codec.Temporals.format(t)
                    : String.valueOf(v));
        }
        return sb.toString();
    }

    public int[] primaryKeyPositions() {
        return pk.clone();
    }
}
