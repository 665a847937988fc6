package io.cairn.sql.exec;

import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import io.cairn.sql.catalog.IndexDefinition;
import io.cairn.sql.catalog.TableDefinition;
import io.cairn.txn.Key;
import java.util.Arrays;

/**
 * Writes rows of one table with its secondary indexes, enforcing primary-key and unique-index
 * uniqueness with MySQL's error 1062 ({@code Duplicate entry 'v' for key 't.PRIMARY'}). Concurrent
 * inserts of one key by two transactions are caught at commit by the TN's conflict check instead
 * (error 1213). Rows are in the stored (internal) representation. Not thread-safe.
 */
public final class TableWriter {
    private final TableCodec codec;
    private final WriteBuffer buffer;

    public TableWriter(TableCodec codec, WriteBuffer buffer) {
        this.codec = codec;
        this.buffer = buffer;
    }

    public TableCodec codec() {
        return codec;
    }

    /**
     * The key bytes of an existing row that {@code row} would duplicate (primary key or a unique
     * index), or null.
     *
     * @param pkBytes the new row's key bytes
     */
    public byte[] conflictingRow(Object[] row, byte[] pkBytes) {
        if (!codec.hiddenRowId() && buffer.get(codec.rowKey(pkBytes)) != null) {
            return pkBytes;
        }
        for (IndexDefinition ix : codec.table().indexes()) {
            if (codec.checksUniqueness(ix, row)) {
                byte[] holder = buffer.get(codec.indexKey(ix, row, pkBytes));
                if (holder != null) {
                    return holder;
                }
            }
        }
        return null;
    }

    /** The 1062 error {@link #insert} would throw for {@code row} (naming the duplicated key), or null. */
    public SqlException duplicateOf(Object[] row, byte[] pkBytes) {
        if (!codec.hiddenRowId() && buffer.get(codec.rowKey(pkBytes)) != null) {
            return duplicate("PRIMARY", codec.primaryKeyPositions(), row);
        }
        for (IndexDefinition ix : codec.table().indexes()) {
            if (codec.checksUniqueness(ix, row) && buffer.get(codec.indexKey(ix, row, pkBytes)) != null) {
                return duplicate(ix.name(), codec.table().positions(ix.columns()), row);
            }
        }
        return null;
    }

    /** Inserts a new row; throws 1062 on a duplicate. */
    public void insert(Object[] row, byte[] pkBytes) {
        Key key = codec.rowKey(pkBytes);
        if (!codec.hiddenRowId() && buffer.get(key) != null) {
            throw duplicate("PRIMARY", codec.primaryKeyPositions(), row);
        }
        for (IndexDefinition ix : codec.table().indexes()) {
            Key ixKey = codec.indexKey(ix, row, pkBytes);
            if (codec.checksUniqueness(ix, row) && buffer.get(ixKey) != null) {
                throw duplicate(ix.name(), codec.table().positions(ix.columns()), row);
            }
            buffer.put(ixKey, pkBytes);
        }
        buffer.put(key, codec.encodeRow(row));
    }

    /** Replaces {@code oldRow} (at {@code oldPk}) by {@code newRow}; throws 1062 on a duplicate. */
    public void update(byte[] oldPk, Object[] oldRow, Object[] newRow) {
        byte[] newPk = codec.hiddenRowId() ? oldPk : codec.primaryKey(newRow);
        boolean keyChanged = !Arrays.equals(oldPk, newPk);
        if (keyChanged) {
            if (buffer.get(codec.rowKey(newPk)) != null) {
                throw duplicate("PRIMARY", codec.primaryKeyPositions(), newRow);
            }
            buffer.delete(codec.rowKey(oldPk));
        }
        for (IndexDefinition ix : codec.table().indexes()) {
            Key oldIx = codec.indexKey(ix, oldRow, oldPk);
            Key newIx = codec.indexKey(ix, newRow, newPk);
            if (oldIx.equals(newIx) && !keyChanged) {
                continue;
            }
            buffer.delete(oldIx);
            if (codec.checksUniqueness(ix, newRow)) {
                byte[] holder = buffer.get(newIx);
                if (holder != null && !Arrays.equals(holder, newPk)) {
                    throw duplicate(ix.name(), codec.table().positions(ix.columns()), newRow);
                }
            }
            buffer.put(newIx, newPk);
        }
        buffer.put(codec.rowKey(newPk), codec.encodeRow(newRow));
    }

    /** Deletes the row at {@code pk} with its index entries. */
    public void delete(byte[] pk, Object[] row) {
        for (IndexDefinition ix : codec.table().indexes()) {
            buffer.delete(codec.indexKey(ix, row, pk));
        }
        buffer.delete(codec.rowKey(pk));
    }

    /** The stored row at {@code pk}, or null. */
    public Object[] read(byte[] pk) {
        byte[] v = buffer.get(codec.rowKey(pk));
        return v == null ? null : codec.decodeRow(v);
    }

    private SqlException duplicate(String keyName, int[] positions, Object[] row) {
        TableDefinition t = codec.table();
        return new SqlException(MysqlError.DUP_ENTRY, codec.keyText(positions, row), t.name() + "." + keyName);
    }
}
