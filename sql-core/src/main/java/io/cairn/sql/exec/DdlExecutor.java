package io.cairn.sql.exec;

import io.cairn.data.Transaction;
import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import io.cairn.sql.catalog.Catalog;
import io.cairn.sql.catalog.CatalogStore;
import io.cairn.sql.catalog.ColumnDefinition;
import io.cairn.sql.catalog.DataType;
import io.cairn.sql.catalog.IndexDefinition;
import io.cairn.sql.catalog.SqlType;
import io.cairn.sql.catalog.TableDefinition;
import io.cairn.sql.frontend.DdlStatement;
import io.cairn.sql.frontend.DdlStatement.IndexColumn;
import io.cairn.sql.frontend.DdlStatement.IndexSpec;
import io.cairn.sql.frontend.DdlStatement.Name;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Executes DDL as catalog-row changes in one transaction (the caller commits it, so DDL is atomic and
 * concurrent DDL conflicts on the catalog version row). Table and index key spaces are allocated
 * transactionally. Data changes DDL needs happen in the same transaction: CREATE INDEX builds the
 * entries of existing rows (1062 if a unique index finds duplicates), ADD/DROP COLUMN copy the rows
 * into a new key space. Key spaces of dropped tables and indexes are left behind, unreachable (no
 * garbage collection yet). Stateless.
 *
 * <p>Notes such as 1050 "table already exists" under IF NOT EXISTS are reported to {@code notes}, as the
 * error they stand for (never thrown).
 */
public final class DdlExecutor {
    private final Transaction txn;
    private final Catalog catalog;
    private final CatalogStore store;
    private final String database;
    private final Consumer<SqlException> notes;
    private final Consumer<TableDefinition> viewValidator;

    /**
     * @param viewValidator compiles a view's query, throwing when it is invalid
     */
    public DdlExecutor(Transaction txn, Catalog catalog, CatalogStore store, String database, Consumer<SqlException> notes,
            Consumer<TableDefinition> viewValidator) {
        this.txn = txn;
        this.catalog = catalog;
        this.store = store;
        this.database = database;
        this.notes = notes;
        this.viewValidator = viewValidator;
    }

    public void execute(DdlStatement ddl) {
        if (ddl instanceof DdlStatement.CreateDatabase s) {
            createDatabase(s);
        } else if (ddl instanceof DdlStatement.DropDatabase s) {
            dropDatabase(s);
        } else if (ddl instanceof DdlStatement.CreateTable s) {
            createTable(s);
        } else if (ddl instanceof DdlStatement.DropTable s) {
            dropTables(s);
        } else if (ddl instanceof DdlStatement.CreateIndex s) {
            addIndex(table(s.table()), s.index());
        } else if (ddl instanceof DdlStatement.DropIndex s) {
            dropIndex(table(s.table()), s.index());
        } else if (ddl instanceof DdlStatement.Truncate s) {
            truncate(table(s.table()));
        } else if (ddl instanceof DdlStatement.AlterTable s) {
            alter(s);
        } else if (ddl instanceof DdlStatement.CreateView s) {
            createView(s);
        }
        store.bumpVersion(txn);
    }

    private void createDatabase(DdlStatement.CreateDatabase s) {
        if (catalog.database(s.name()) != null) {
            if (s.ifNotExists()) {
                notes.accept(new SqlException(MysqlError.DB_CREATE_EXISTS, s.name()));
                return;
            }
            throw new SqlException(MysqlError.DB_CREATE_EXISTS, s.name());
        }
        if (s.name().equalsIgnoreCase("information_schema")) {
            throw new SqlException(MysqlError.DB_CREATE_EXISTS, s.name());
        }
        store.putDatabase(txn, s.name());
    }

    private void dropDatabase(DdlStatement.DropDatabase s) {
        String db = catalog.database(s.name());
        if (db == null) {
            if (s.ifExists()) {
                notes.accept(new SqlException(MysqlError.DB_DROP_EXISTS, s.name()));
                return;
            }
            throw new SqlException(MysqlError.DB_DROP_EXISTS, s.name());
        }
        for (TableDefinition t : catalog.tables(db)) {
            store.deleteTable(txn, db, t.name());
            freeKeySpaces(t);
        }
        store.deleteDatabase(txn, db);
    }

    /** The rows and index entries of {@code t} are garbage once this DDL commits (ids are never reused). */
    private void freeKeySpaces(TableDefinition t) {
        if (t.isView()) {
            return;
        }
        txn.dropKeySpace(t.id());
        for (IndexDefinition ix : t.indexes()) {
            txn.dropKeySpace(ix.id());
        }
    }

    private String db(Name n) {
        String d = n.database() != null ? n.database() : database;
        if (d == null) {
            throw new SqlException(MysqlError.NO_DB);
        }
        String actual = catalog.database(d);
        if (actual == null) {
            throw new SqlException(MysqlError.BAD_DB, d);
        }
        return actual;
    }

    private TableDefinition table(Name n) {
        String d = db(n);
        TableDefinition t = catalog.table(d, n.name());
        if (t == null || t.isView()) {
            throw new SqlException(MysqlError.NO_SUCH_TABLE, d, n.name());
        }
        return t;
    }

    private void createTable(DdlStatement.CreateTable s) {
        String d = db(s.table());
        if (catalog.table(d, s.table().name()) != null) {
            if (s.ifNotExists()) {
                notes.accept(new SqlException(MysqlError.TABLE_EXISTS, s.table().name()));
                return;
            }
            throw new SqlException(MysqlError.TABLE_EXISTS, s.table().name());
        }
        if (s.like() != null) {
            TableDefinition src = table(s.like());
            List<IndexDefinition> ix = new ArrayList<>();
            for (IndexDefinition i : src.indexes()) {
                ix.add(new IndexDefinition(store.allocateId(txn), i.name(), i.columns(), i.descending(), i.unique()));
            }
            store.putTable(txn, new TableDefinition(store.allocateId(txn), d, s.table().name(), src.columns(),
                    src.primaryKey(), ix, null));
            return;
        }
        Set<String> names = new HashSet<>();
        for (ColumnDefinition c : s.columns()) {
            if (!names.add(c.name().toLowerCase(Locale.ROOT))) {
                throw new SqlException(MysqlError.DUP_FIELDNAME, c.name());
            }
        }
        TableDefinition t = new TableDefinition(store.allocateId(txn), d, s.table().name(), s.columns(),
                s.primaryKey(), List.of(), null);
        for (String p : s.primaryKey()) {
            if (t.columnIndex(p) < 0) {
                throw new SqlException(MysqlError.UNKNOWN_ERROR, "Key column '" + p + "' doesn't exist in table");
            }
        }
        List<String> pk = new ArrayList<>();
        for (String p : s.primaryKey()) {
            pk.add(t.columns().get(t.columnIndex(p)).name());
        }
        t = new TableDefinition(t.id(), d, t.name(), t.columns(), pk, List.of(), null);
        for (IndexSpec spec : s.indexes()) {
            t = t.withIndex(newIndex(t, spec));
        }
        store.putTable(txn, t);
    }

    private IndexDefinition newIndex(TableDefinition t, IndexSpec spec) {
        List<String> cols = new ArrayList<>();
        List<Boolean> desc = new ArrayList<>();
        for (IndexColumn c : spec.columns()) {
            int i = t.columnIndex(c.name());
            if (i < 0) {
                throw new SqlException(MysqlError.UNKNOWN_ERROR, "Key column '" + c.name() + "' doesn't exist in table");
            }
            cols.add(t.columns().get(i).name());
            desc.add(c.descending());
        }
        String name = spec.name();
        if (name == null) {
            name = cols.get(0);
            for (int k = 2; t.index(name) != null; k++) {
                name = cols.get(0) + "_" + k;
            }
        } else if (t.index(name) != null || name.equalsIgnoreCase("PRIMARY")) {
            throw new SqlException(MysqlError.DUP_KEYNAME, name);
        }
        return new IndexDefinition(store.allocateId(txn), name, cols, desc, spec.unique());
    }

    private void dropTables(DdlStatement.DropTable s) {
        List<String> missing = new ArrayList<>();
        for (Name n : s.tables()) {
            String d = n.database() != null ? n.database() : database;
            if (d == null) {
                throw new SqlException(MysqlError.NO_DB);
            }
            TableDefinition t = catalog.table(d, n.name());
            if (t == null || (s.views() && !t.isView()) || (!s.views() && t.isView())) {
                if (t != null && s.views()) {
                    throw new SqlException(MysqlError.WRONG_OBJECT, d, n.name(), "VIEW");
                }
                missing.add(d + "." + n.name());
                continue;
            }
            store.deleteTable(txn, t.database(), t.name());
            freeKeySpaces(t);
        }
        if (!missing.isEmpty()) {
            if (s.ifExists()) {
                notes.accept(new SqlException(MysqlError.BAD_TABLE, String.join(",", missing)));
            } else {
                throw new SqlException(MysqlError.BAD_TABLE, String.join(",", missing));
            }
        }
    }

    /**
     * The first step of an online ADD INDEX ({@link IndexBuild}): the index joins the table's definition
     * empty and marked as building, so that from this commit on every writer keeps its entries.
     *
     * @return the index as added
     */
    public IndexDefinition startIndexBuild(Name table, IndexSpec spec) {
        TableDefinition t = table(table);
        IndexDefinition ix = newIndex(t, spec);
        IndexDefinition building = new IndexDefinition(ix.id(), ix.name(), ix.columns(), ix.descending(), ix.unique(), true);
        store.putTable(txn, t.withIndex(building));
        store.bumpVersion(txn);
        return building;
    }

    private void addIndex(TableDefinition t, IndexSpec spec) {
        IndexDefinition ix = newIndex(t, spec);
        TableDefinition updated = t.withIndex(ix);
        TableCodec codec = new TableCodec(updated);
        Iterator<Map.Entry<byte[], byte[]>> rows = txn.scan(t.id(), null, null);
        Set<io.cairn.txn.Key> seen = new HashSet<>();
        while (rows.hasNext()) {
            Map.Entry<byte[], byte[]> e = rows.next();
            Object[] row = codec.decodeRow(e.getValue());
            io.cairn.txn.Key k = codec.indexKey(ix, row, e.getKey());
            if (codec.checksUniqueness(ix, row) && !seen.add(k)) {
                throw new SqlException(MysqlError.DUP_ENTRY, codec.keyText(updated.positions(ix.columns()), row),
                        t.name() + "." + ix.name());
            }
            txn.put(k, e.getKey());
        }
        store.putTable(txn, updated);
    }

    private void dropIndex(TableDefinition t, String name) {
        if (name.equalsIgnoreCase("PRIMARY") || t.index(name) == null) {
            throw new SqlException(MysqlError.CANT_DROP_FIELD_OR_KEY, name);
        }
        List<IndexDefinition> keep = new ArrayList<>(t.indexes());
        keep.removeIf(i -> i.name().equalsIgnoreCase(name));
        store.putTable(txn, t.withIndexes(keep));
        txn.dropKeySpace(t.index(name).id());
    }

    private void truncate(TableDefinition t) {
        List<IndexDefinition> ix = new ArrayList<>();
        for (IndexDefinition i : t.indexes()) {
            ix.add(new IndexDefinition(store.allocateId(txn), i.name(), i.columns(), i.descending(), i.unique()));
        }
        store.putTable(txn, t.withId(store.allocateId(txn)).withIndexes(ix));
        freeKeySpaces(t);
    }

    private void alter(DdlStatement.AlterTable s) {
        TableDefinition t = table(s.table());
        for (DdlStatement.AlterAction a : s.actions()) {
            if (a instanceof DdlStatement.AddColumn add) {
                t = addColumn(t, add);
            } else if (a instanceof DdlStatement.DropColumn drop) {
                t = dropColumn(t, drop.column());
            } else if (a instanceof DdlStatement.AddIndex add) {
                addIndex(t, add.index());
                t = catalogRow(t);
            } else if (a instanceof DdlStatement.DropIndexAction drop) {
                dropIndex(t, drop.index());
                t = catalogRow(t);
            }
        }
    }

    /** The table as this transaction last wrote it. */
    private TableDefinition catalogRow(TableDefinition t) {
        return store.load(txn).table(t.database(), t.name());
    }

    private TableDefinition addColumn(TableDefinition t, DdlStatement.AddColumn add) {
        ColumnDefinition c = add.column();
        if (t.columnIndex(c.name()) >= 0) {
            throw new SqlException(MysqlError.DUP_FIELDNAME, c.name());
        }
        if (add.primaryKey() || c.autoIncrement()) {
            throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "ALTER TABLE ADD COLUMN with PRIMARY KEY or AUTO_INCREMENT");
        }
        Object fill;
        switch (c.defaultKind()) {
            case LITERAL -> fill = c.type().coerce(c.defaultText(), c.name(), 1);
            case CURRENT_TIMESTAMP -> fill = c.type().coerce(io.cairn.sql.codec.Temporals.truncate(
                    java.time.LocalDateTime.now(java.time.ZoneOffset.UTC), c.type().fsp()), c.name(), 1);
            default -> fill = c.nullable() ? null : implicitDefault(c.type());
        }
        List<ColumnDefinition> cols = new ArrayList<>(t.columns());
        cols.add(c);
        TableDefinition updated = t.withColumns(cols).withId(store.allocateId(txn));
        copyRows(t, updated, row -> {
            Object[] wide = java.util.Arrays.copyOf(row, row.length + 1);
            wide[row.length] = fill;
            return wide;
        });
        store.putTable(txn, updated);
        txn.dropKeySpace(t.id()); // the rows moved to the new id; the indexes stay
        return updated;
    }

    private TableDefinition dropColumn(TableDefinition t, String column) {
        int at = t.columnIndex(column);
        if (at < 0) {
            throw new SqlException(MysqlError.CANT_DROP_FIELD_OR_KEY, column);
        }
        if (t.primaryKey().stream().anyMatch(p -> p.equalsIgnoreCase(column)) || t.columns().size() == 1) {
            throw new SqlException(MysqlError.NOT_SUPPORTED_YET, "dropping a primary-key or the only column");
        }
        List<ColumnDefinition> cols = new ArrayList<>(t.columns());
        cols.remove(at);
        List<IndexDefinition> ix = new ArrayList<>(t.indexes());
        ix.removeIf(i -> i.columns().stream().anyMatch(col -> col.equalsIgnoreCase(column)));
        TableDefinition updated = t.withColumns(cols).withIndexes(ix).withId(store.allocateId(txn));
        copyRows(t, updated, row -> {
            Object[] narrow = new Object[row.length - 1];
            System.arraycopy(row, 0, narrow, 0, at);
            System.arraycopy(row, at + 1, narrow, at, row.length - at - 1);
            return narrow;
        });
        store.putTable(txn, updated);
        txn.dropKeySpace(t.id());
        for (IndexDefinition gone : t.indexes()) {
            if (!ix.contains(gone)) {
                txn.dropKeySpace(gone.id());
            }
        }
        return updated;
    }

    private static Object implicitDefault(SqlType type) {
        return switch (type.kind()) {
            case INT, DATE, TIME -> 0;
            case LONG, TIMESTAMP -> 0L;
            case DOUBLE -> 0.0;
            case DECIMAL -> java.math.BigDecimal.ZERO;
            case STRING -> "";
            case BYTES -> new org.apache.calcite.avatica.util.ByteString(new byte[0]);
        };
    }

    /** Copies every row of {@code from} into {@code to}'s key space (same keys; index entries stay valid). */
    private void copyRows(TableDefinition from, TableDefinition to, java.util.function.UnaryOperator<Object[]> change) {
        TableCodec src = new TableCodec(from);
        TableCodec dst = new TableCodec(to);
        Iterator<Map.Entry<byte[], byte[]>> rows = txn.scan(from.id(), null, null);
        while (rows.hasNext()) {
            Map.Entry<byte[], byte[]> e = rows.next();
            txn.put(dst.rowKey(e.getKey()), dst.encodeRow(change.apply(src.decodeRow(e.getValue()))));
        }
    }

    private void createView(DdlStatement.CreateView s) {
        String d = db(s.view());
        TableDefinition existing = catalog.table(d, s.view().name());
        if (existing != null && (!s.orReplace() || !existing.isView())) {
            throw new SqlException(MysqlError.TABLE_EXISTS, s.view().name());
        }
        List<ColumnDefinition> cols = new ArrayList<>();
        for (String c : s.columns()) {
            cols.add(new ColumnDefinition(c, SqlType.of(DataType.TEXT), true, ColumnDefinition.DefaultKind.NONE, null, false, false));
        }
        TableDefinition view = new TableDefinition(0, d, s.view().name(), cols, List.of(), List.of(), s.selectSql(),
                new TableDefinition.ViewSecurity(s.definerUser(), s.definerHost(), s.invoker()));
        viewValidator.accept(view);
        store.putTable(txn, view);
    }
}
