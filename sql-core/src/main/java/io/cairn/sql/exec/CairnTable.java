package io.cairn.sql.exec;

import io.cairn.data.LookaheadIterator;
import io.cairn.data.Transaction;
import io.cairn.txn.LockMode;
import io.cairn.sql.catalog.ColumnDefinition;
import io.cairn.sql.catalog.IndexDefinition;
import io.cairn.sql.catalog.TableDefinition;
import io.cairn.sql.codec.KeyCodec;
import io.cairn.sql.codec.ValueKind;
import io.cairn.txn.Key;
import java.io.ByteArrayOutputStream;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.calcite.DataContext;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A base table as Calcite sees it: rows read through the statement's {@link Transaction} (taken from
 * the {@link DataContext}, see {@link ExecContext}). Plans scan it with a {@link CairnTableScan},
 * which hands over the filters right above the scan; they choose the access path — point gets or
 * range scans on the primary key, else point/range scans of the first secondary index whose leading
 * column is constrained, else a full scan. The filters stay in the plan, so each row is re-checked
 * and the access path only needs to return a superset of the matching rows.
 *
 * <p>With {@code withRowKey}, rows carry one more trailing column {@link #ROW_KEY} (the row's key
 * bytes), which UPDATE and DELETE use to write back. Under SELECT … FOR UPDATE/SHARE every row its
 * access path returns is locked ({@link Transaction#lockForUpdate}, {@link Transaction#lockForShare}).
 *
 * <p>Immutable; scans are independent and belong to the executing thread.
 */
public final class CairnTable extends AbstractTable implements TranslatableTable {
    /** The hidden key column of DML scans. */
    public static final String ROW_KEY = "_cairn_row_key";

    private final TableCodec codec;
    private final boolean withRowKey;

    public CairnTable(TableDefinition table, boolean withRowKey) {
        this.codec = new TableCodec(table);
        this.withRowKey = withRowKey;
    }

    public TableDefinition definition() {
        return codec.table();
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
        RelDataTypeFactory.Builder b = typeFactory.builder();
        for (ColumnDefinition c : codec.table().columns()) {
            b.add(c.name(), c.type().toCalcite(typeFactory, c.nullable()));
        }
        if (withRowKey) {
            b.add(ROW_KEY, typeFactory.createSqlType(SqlTypeName.VARBINARY, Integer.MAX_VALUE));
        }
        return b.build();
    }

    @Override
    public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
        return CairnTableScan.create(context.getCluster(), relOptTable, this);
    }

    /** The rows whose access path {@code filters} allow (a superset of those passing them), one array per row. */
    public Enumerable<Object[]> scan(DataContext root, List<RexNode> filters) {
        return scan(root, filters, null);
    }

    /**
     * {@link #scan(DataContext, List)} building only the columns {@code read} marks (all when null): the
     * plan reads no other, and they come back null.
     */
    public Enumerable<Object[]> scan(DataContext root, List<RexNode> filters, boolean[] read) {
        Transaction txn = (Transaction) root.get(ExecContext.TRANSACTION);
        if (txn == null) {
            throw new IllegalStateException("no transaction in the DataContext");
        }
        LockMode rowLock = (LockMode) root.get(ExecContext.ROW_LOCK);
        int width = codec.table().columns().size();
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<Object[]> enumerator() {
                Iterator<Map.Entry<byte[], byte[]>> rows = rows(txn, filters, root);
                Iterator<Object[]> out = new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return rows.hasNext();
                    }

                    @Override
                    public Object[] next() {
                        ExecContext.checkCancelled(root);
                        Map.Entry<byte[], byte[]> e = rows.next();
                        if (rowLock == LockMode.EXCLUSIVE) {
                            txn.lockForUpdate(codec.rowKey(e.getKey()));
                        } else if (rowLock == LockMode.SHARED) {
                            txn.lockForShare(codec.rowKey(e.getKey()));
                        }
                        Object[] row = codec.decodeRow(e.getValue(), read);
                        if (withRowKey) {
                            Object[] wide = new Object[width + 1];
                            System.arraycopy(row, 0, wide, 0, width);
                            wide[width] = new ByteString(e.getKey());
                            row = wide;
                        }
                        return row;
                    }
                };
                return Linq4j.iterableEnumerator(() -> out);
            }
        };
    }

    /** {@link #scan} of a one-column row type, each row as its value. */
    public Enumerable<Object> scanScalar(DataContext root, List<RexNode> filters) {
        return scan(root, filters).select(row -> row[0]);
    }

    /** {@link #scan(DataContext, List, boolean[])} of a one-column row type, each row as its value. */
    public Enumerable<Object> scanScalar(DataContext root, List<RexNode> filters, boolean[] read) {
        return scan(root, filters, read).select(row -> row[0]);
    }

    /** The (key, row) entries of the chosen access path. */
    private Iterator<Map.Entry<byte[], byte[]>> rows(Transaction txn, List<RexNode> filters, DataContext root) {
        TableDefinition t = codec.table();
        long tableId = t.id();
        int[] pk = codec.primaryKeyPositions();
        if (pk.length > 0) {
            ValueKind kind = codec.kinds().get(pk[0]);
            List<ColumnRanges.Range> ranges = stored(ColumnRanges.of(filters, pk[0], kind, root), pk[0]);
            if (ranges != null) {
                if (pk.length == 1 && ranges.stream().allMatch(ColumnRanges.Range::isPoint)) {
                    List<Map.Entry<byte[], byte[]>> found = new ArrayList<>();
                    for (ColumnRanges.Range r : ranges) {
                        byte[] k = KeyCodec.encodeAll(r.lo());
                        byte[] v = txn.get(Key.of(tableId, k));
                        if (v != null) {
                            found.add(new AbstractMap.SimpleImmutableEntry<>(k, v));
                        }
                    }
                    return found.iterator();
                }
                return concat(txn, tableId, ranges, false, null);
            }
            if (filters.isEmpty()) {
                return txn.scan(tableId, null, null);
            }
        }
        for (IndexDefinition ix : t.readableIndexes()) {
            int col = t.columnIndex(ix.columns().get(0));
            List<ColumnRanges.Range> ranges = stored(ColumnRanges.of(filters, col, codec.kinds().get(col), root), col);
            if (ranges != null) {
                return concat(txn, ix.id(), ranges, ix.descending().get(0), tableId);
            }
        }
        return txn.scan(tableId, null, null);
    }

    /** {@code ranges} of {@code column} in its stored unit: widened to whole milliseconds for an older table's DATETIME. */
    private List<ColumnRanges.Range> stored(List<ColumnRanges.Range> ranges, int column) {
        if (ranges == null || !codec.widensBounds(column)) {
            return ranges;
        }
        List<ColumnRanges.Range> out = new ArrayList<>(ranges.size());
        for (ColumnRanges.Range r : ranges) {
            if (r.isPoint()) {
                Object v = codec.storedBound(column, r.lo(), false);
                out.add(new ColumnRanges.Range(v, true, v, true));
            } else {
                out.add(new ColumnRanges.Range(codec.storedBound(column, r.lo(), false), r.lo() != null,
                        codec.storedBound(column, r.hi(), true), r.hi() != null));
            }
        }
        return out;
    }

    /**
     * Scans {@code keySpace} over each range of its leading column; for an index ({@code rowTable}
     * not null) each entry's value is a primary key whose row is then read.
     */
    private static Iterator<Map.Entry<byte[], byte[]>> concat(Transaction txn, long keySpace,
            List<ColumnRanges.Range> ranges, boolean descending, Long rowTable) {
        Iterator<ColumnRanges.Range> rs = ranges.iterator();
        return new LookaheadIterator<>() {
            private Iterator<Map.Entry<byte[], byte[]>> current = Collections.emptyIterator();

            @Override
            protected Map.Entry<byte[], byte[]> advance() {
                while (true) {
                    while (current.hasNext()) {
                        Map.Entry<byte[], byte[]> e = current.next();
                        if (rowTable == null) {
                            return e;
                        }
                        byte[] row = txn.get(Key.of(rowTable, e.getValue()));
                        if (row != null) {
                            return new AbstractMap.SimpleImmutableEntry<>(e.getValue(), row);
                        }
                    }
                    if (!rs.hasNext()) {
                        return null;
                    }
                    byte[][] bounds = bounds(rs.next(), descending);
                    current = txn.scan(keySpace, bounds[0], bounds[1]);
                }
            }
        };
    }

    /** [from, to) byte bounds of the keys whose leading column lies in {@code r}. */
    static byte[][] bounds(ColumnRanges.Range r, boolean descending) {
        Object first = descending ? r.hi() : r.lo();
        boolean firstInc = descending ? r.hiInclusive() : r.loInclusive();
        Object last = descending ? r.lo() : r.hi();
        boolean lastInc = descending ? r.loInclusive() : r.hiInclusive();
        byte[] from = null;
        if (first != null) {
            byte[] e = encode(first, descending);
            from = firstInc ? e : KeyCodec.prefixEnd(e);
            if (from == null) {
                from = new byte[] {(byte) 0xFF, (byte) 0xFF};
            }
        } else if (!descending) {
            from = new byte[] {1}; // skip NULLs (tag 0): a comparison never matches NULL
        }
        byte[] to = null;
        if (last != null) {
            byte[] e = encode(last, descending);
            to = lastInc ? KeyCodec.prefixEnd(e) : e;
        } else if (descending) {
            to = new byte[] {(byte) 0xFF}; // NULLs encode as 0xFF descending
        }
        return new byte[][] {from, to};
    }

    private static byte[] encode(Object v, boolean descending) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KeyCodec.encode(out, v, descending);
        return out.toByteArray();
    }
}
