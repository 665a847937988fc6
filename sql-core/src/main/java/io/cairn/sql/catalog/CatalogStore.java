package io.cairn.sql.catalog;

import io.cairn.data.Transaction;
import io.cairn.sql.codec.KeyCodec;
import io.cairn.txn.Key;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The catalog as rows in reserved key spaces, read and written through a cn-data {@link Transaction},
 * so DDL commits atomically with first-committer-wins semantics like any other write.
 *
 * <ul>
 *   <li>{@link #META} — {@code version}: the catalog version, bumped by every DDL (two concurrent DDL
 *       statements therefore conflict and one retries); {@code next_id}: the next key-space id.</li>
 *   <li>{@link #DATABASES} — key lower-cased name, value the name as created.</li>
 *   <li>{@link #TABLES} — key {@link TableDefinition#keyOf}, value {@link CatalogCodec}.</li>
 *   <li>{@link #AUTO_INCREMENT} — key the table id, value the next unallocated value.</li>
 *   <li>{@link #USERS}, {@link #GRANTS} — accounts and database-level grants.</li>
 * </ul>
 * User key spaces start at {@link #FIRST_USER_ID}. Stateless and thread-safe.
 */
public final class CatalogStore {
    public static final long META = 1;
    public static final long DATABASES = 2;
    public static final long TABLES = 3;
    public static final long AUTO_INCREMENT = 4;
    public static final long USERS = 5;
    public static final long GRANTS = 6;
    public static final long FIRST_USER_ID = 1000;

    private static final Key VERSION = Key.of(META, "version".getBytes(StandardCharsets.UTF_8));
    private static final Key NEXT_ID = Key.of(META, "next_id".getBytes(StandardCharsets.UTF_8));

    /** The catalog version this transaction sees (0 for an empty catalog). */
    public long version(Transaction t) {
        return readLong(t.get(VERSION), 0);
    }

    /** Marks the catalog changed; every DDL calls it once, so concurrent DDL conflicts. */
    public void bumpVersion(Transaction t) {
        t.put(VERSION, longBytes(version(t) + 1));
    }

    /** Reads the whole catalog as this transaction sees it. */
    public Catalog load(Transaction t) {
        long version = version(t);
        Map<String, String> dbs = new HashMap<>();
        Iterator<Map.Entry<byte[], byte[]>> it = t.scan(DATABASES, null, null);
        while (it.hasNext()) {
            Map.Entry<byte[], byte[]> e = it.next();
            dbs.put(new String(e.getKey(), StandardCharsets.UTF_8), new String(e.getValue(), StandardCharsets.UTF_8));
        }
        Map<String, TableDefinition> tables = new HashMap<>();
        it = t.scan(TABLES, null, null);
        while (it.hasNext()) {
            TableDefinition def = CatalogCodec.decode(it.next().getValue());
            tables.put(TableDefinition.keyOf(def.database(), def.name()), def);
        }
        return new Catalog(version, dbs, tables);
    }

    public void putDatabase(Transaction t, String name) {
        t.put(databaseKey(name), name.getBytes(StandardCharsets.UTF_8));
    }

    public void deleteDatabase(Transaction t, String name) {
        t.delete(databaseKey(name));
    }

    public void putTable(Transaction t, TableDefinition def) {
        t.put(tableKey(def.database(), def.name()), CatalogCodec.encode(def));
    }

    public void deleteTable(Transaction t, String database, String name) {
        t.delete(tableKey(database, name));
    }

    /** Allocates a fresh key-space id for a table or index, transactionally. */
    public long allocateId(Transaction t) {
        long id = readLong(t.get(NEXT_ID), FIRST_USER_ID);
        t.put(NEXT_ID, longBytes(id + 1));
        return id;
    }

    /** The next unallocated auto-increment value of key space {@code tableId} (1 when never used). */
    public long autoIncrement(Transaction t, long tableId) {
        return readLong(t.get(autoIncrementKey(tableId)), 1);
    }

    public void setAutoIncrement(Transaction t, long tableId, long next) {
        t.put(autoIncrementKey(tableId), longBytes(next));
    }

    private static Key databaseKey(String name) {
        return Key.of(DATABASES, name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    }

    private static Key tableKey(String database, String name) {
        return Key.of(TABLES, TableDefinition.keyOf(database, name).getBytes(StandardCharsets.UTF_8));
    }

    private static Key autoIncrementKey(long tableId) {
        return Key.of(AUTO_INCREMENT, KeyCodec.encodeAll(tableId));
    }

    static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    static long readLong(byte[] b, long absent) {
        return b == null ? absent : ByteBuffer.wrap(b).getLong();
    }
}
