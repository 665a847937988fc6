package io.cairn.sql.exec;

import io.cairn.data.Concurrency;
import io.cairn.data.DataUnavailableException;
import io.cairn.data.DataNode;
import io.cairn.data.Isolation;
import io.cairn.data.Transaction;
import io.cairn.mysql.MysqlError;
import io.cairn.sql.SqlException;
import io.cairn.sql.catalog.CatalogStore;
import io.cairn.sql.catalog.IndexDefinition;
import io.cairn.sql.catalog.TableDefinition;
import io.cairn.txn.Key;
import io.cairn.txn.TransactionNodeBusyException;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.Write;
import io.cairn.txn.WriteConflictException;
import io.cairn.txn.record.CommitRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Fills a new secondary index while the table stays open for reads and writes, so that an index of a
 * table of any size is built in transactions that each stay far below the write-set limit.
 *
 * <p>The index was added to the table's definition as {@link IndexDefinition#building() building} in a
 * transaction of its own ({@link DdlExecutor#startIndexBuild}); from then on every writer keeps its
 * entries, while queries do not read it. This class then walks the table in primary-key order, a batch at
 * a time, each batch an optimistic transaction that writes the entries of the rows it read. A writer that
 * changed one of those rows after the batch's snapshot has written (or deleted) the same index key, so the
 * batch fails its commit with a write conflict and is read again, half as big: batches start at tens of
 * thousands of rows, so a quiet table pays a commit's fixed costs rarely, and shrink where writers are busy.
 * Last, one transaction marks the index complete. A duplicate in a UNIQUE index ends the build with 1062 and
 * removes the index again. A batch that cannot read or commit because the cluster is briefly unavailable (a
 * log leader or TN changing over, a long pause) is tried again every half second, for up to a minute.
 *
 * <p>Left open: a writer whose statement began before the index was added, and commits after, does not
 * write its entries (the same holds for every DDL today, see sql-core's README); a build stopped by a
 * crash leaves the index building, and DROP INDEX removes it.
 *
 * <p>One build per instance, on the calling session's thread. A server fills one index at a time
 * ({@link #ONE_AT_A_TIME}); a second CREATE INDEX waits for the first (KILL QUERY ends the wait).
 */
public final class IndexBuild {
    private static final Logger LOG = Logger.getLogger(IndexBuild.class.getName());
    /** Rows per batch transaction at first. */
    static final int BATCH_ROWS = 50_000;
    /** The fewest rows per batch that write conflicts shrink a batch to. */
    static final int MIN_BATCH_ROWS = 500;
    /** Write-set bytes per batch transaction, and at most half the write-set limit, whatever the index's width. */
    static final long BATCH_BYTES = 4L << 20;
    private static final int ATTEMPTS = 20;
    /** How long a build waits out a cluster that cannot read or commit (no log majority, no TN) before it gives up. */
    private static final Duration UNAVAILABLE_WAIT = Duration.ofSeconds(60);
    private static final Duration UNAVAILABLE_PAUSE = Duration.ofMillis(500);

    /**
     * One build at a time per server (JVM): each batch writes up to {@link #BATCH_BYTES} as fast as it can, and a
     * bulk load's four concurrent CREATE INDEX (sysbench's prepare, 4 x 1M rows on a 2-core 3-server cluster) made
     * changes faster than checkpoints, log followers and lease renewals could keep up with; one build alone did not.
     * Fair, so builds start in the order they asked.
     */
    static final Semaphore ONE_AT_A_TIME = new Semaphore(1, true);

    private final DataNode node;
    private final CatalogStore store;
    private final String database;
    private final String table;
    private final IndexDefinition index;
    private final AtomicBoolean cancel;
    private final Consumer<String> progress;
    private long rows;
    /** Rows per batch now: halved by each write conflict. */
    private int batchRows = BATCH_ROWS;

    /**
     * @param index    the index as {@link DdlExecutor#startIndexBuild} added it
     * @param cancel   set by KILL QUERY: the build stops with 1317 and the index is removed
     * @param progress told the state after each batch (SHOW PROCESSLIST shows it)
     */
    public IndexBuild(DataNode node, CatalogStore store, String database, String table, IndexDefinition index,
            AtomicBoolean cancel, Consumer<String> progress) {
        this.node = node;
        this.store = store;
        this.database = database;
        this.table = table;
        this.index = index;
        this.cancel = cancel;
        this.progress = progress;
    }

    /** Fills the index and marks it complete; on failure removes it and throws. */
    public void run() {
        try {
            awaitTurn();
        } catch (RuntimeException e) {
            removeAfter(e);
            throw e;
        }
        try {
            build();
        } finally {
            ONE_AT_A_TIME.release();
        }
    }

    /** Waits until no other build runs on this server, as long as it is not cancelled. */
    private void awaitTurn() {
        if (ONE_AT_A_TIME.tryAcquire()) {
            return;
        }
        progress.accept("building index " + index.name() + ": waiting for another index build on this server");
        try {
            while (!ONE_AT_A_TIME.tryAcquire(UNAVAILABLE_PAUSE.toMillis(), TimeUnit.MILLISECONDS)) {
                if (cancel.get()) {
                    throw new SqlException(MysqlError.QUERY_INTERRUPTED);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SqlException(MysqlError.QUERY_INTERRUPTED);
        }
    }

    private void build() {
        long started = System.nanoTime();
        LOG.info(() -> "CAIRN0501I: building index " + index.name() + " of " + database + "." + table + " online");
        try {
            byte[] from = null;
            do {
                if (cancel.get()) {
                    throw new SqlException(MysqlError.QUERY_INTERRUPTED);
                }
                from = batchWithRetries(from);
                progress.accept("building index " + index.name() + ": " + rows + " rows");
            } while (from != null);
            inCatalogTransaction(t -> replaceIndex(t, index.built()));
        } catch (RuntimeException e) {
            removeAfter(e);
            throw e;
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        LOG.info(() -> "CAIRN0502I: index " + index.name() + " of " + database + "." + table + " built over " + rows
                + " rows in " + ms + " ms");
    }

    /** Removes the index a build did not finish because of {@code e}. */
    private void removeAfter(RuntimeException e) {
        try {
            inCatalogTransaction(t -> replaceIndex(t, null));
        } catch (RuntimeException removal) {
            e.addSuppressed(removal);
        }
        LOG.info(() -> "CAIRN0503I: index " + index.name() + " of " + database + "." + table + " was not built ("
                + e.getMessage() + "); it was removed");
    }

    private byte[] batchWithRetries(byte[] from) {
        WriteConflictException last = null;
        long unavailableSince = 0;
        for (int attempt = 0; attempt < ATTEMPTS;) {
            try {
                return batch(from);
            } catch (WriteConflictException e) {
                last = e; // a writer changed a row of the batch since its snapshot: read a smaller batch again
                batchRows = Math.max(MIN_BATCH_ROWS, batchRows / 2);
                attempt++;
            } catch (DataUnavailableException | TransactionNodeUnavailableException | TransactionNodeBusyException e) {
                // a leader or TN change, or a long pause, must not throw away what the build did so far: the batch
                // is read and written again (its entries are the same puts, so a commit of unknown outcome is
                // harmless to repeat) until the cluster has been unavailable for UNAVAILABLE_WAIT
                long now = System.nanoTime();
                if (unavailableSince == 0) {
                    unavailableSince = now;
                    LOG.info(() -> "CAIRN0505I: building index " + index.name() + " of " + database + "." + table
                            + " waits for the cluster (" + e.getMessage() + ")");
                } else if (now - unavailableSince > UNAVAILABLE_WAIT.toNanos()) {
                    throw e;
                }
                pause();
            }
        }
        throw last;
    }

    private void pause() {
        try {
            Thread.sleep(UNAVAILABLE_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SqlException(MysqlError.QUERY_INTERRUPTED);
        }
        if (cancel.get()) {
            throw new SqlException(MysqlError.QUERY_INTERRUPTED);
        }
    }

    /**
     * Writes the entries of the rows from {@code from} on, one batch; returns where the next starts, or null.
     * The entries go into the transaction in key order: in the rows' order (random in the index's) each put
     * walked the workspace's tree out of cache, and sorting first costs less than those misses.
     */
    private byte[] batch(byte[] from) {
        Transaction t = node.begin(Isolation.REPEATABLE_READ, Concurrency.OPTIMISTIC);
        try {
            Batch batch = read(t, from);
            for (Write entry : batch.entries()) {
                t.put(entry.key(), entry.value());
            }
            t.commit();
            rows += batch.entries().size();
            return batch.next();
        } finally {
            t.rollback();
        }
    }

    /** One batch's index entries, sorted, and the key the next batch starts at (null: none). */
    private record Batch(List<Write> entries, byte[] next) {
    }

    /**
     * Reads one batch's rows at {@code t}'s snapshot. A method of its own so that the scan (which reaches the
     * CN store the snapshot read) is gone before the commit, which may take seconds under load.
     */
    private Batch read(Transaction t, byte[] from) {
        TableDefinition def = current(t);
        TableCodec codec = new TableCodec(def);
        Iterator<Map.Entry<byte[], byte[]>> it = t.scan(def.id(), from, null);
        long maxBytes = Math.min(BATCH_BYTES, t.maxWriteSetBytes() / 2);
        List<Write> entries = new ArrayList<>();
        Set<Key> uniqueKeys = new HashSet<>(); // the batch's keys of a unique index, not in the workspace yet
        long bytes = 0;
        byte[] next = null;
        while (it.hasNext()) {
            Map.Entry<byte[], byte[]> e = it.next();
            if (entries.size() >= batchRows || bytes >= maxBytes) {
                next = e.getKey();
                break;
            }
            Object[] row = codec.decodeRow(e.getValue());
            Key k = codec.indexKey(index, row, e.getKey());
            if (codec.checksUniqueness(index, row)) {
                byte[] holder = t.get(k);
                if (!uniqueKeys.add(k) || holder != null && !Arrays.equals(holder, e.getKey())) {
                    throw new SqlException(MysqlError.DUP_ENTRY,
                            codec.keyText(def.positions(index.columns()), row), def.name() + "." + index.name());
                }
            }
            Write entry = Write.put(k, e.getKey());
            entries.add(entry);
            bytes += CommitRecord.writeBytes(entry);
        }
        entries.sort(Comparator.comparing(Write::key));
        return new Batch(entries, next);
    }

    /** The table as {@code t} sees it; 1412 when it was dropped, replaced or lost the index meanwhile. */
    private TableDefinition current(Transaction t) {
        TableDefinition def = store.load(t).table(database, table);
        IndexDefinition ix = def == null ? null : def.index(index.name());
        if (ix == null || ix.id() != index.id() || !ix.building()) {
            throw new SqlException(MysqlError.TABLE_DEF_CHANGED);
        }
        return def;
    }

    /** Puts {@code replacement} in the place of the building index (null: removes it and its entries). */
    private void replaceIndex(Transaction t, IndexDefinition replacement) {
        TableDefinition def = store.load(t).table(database, table);
        if (def == null || def.index(index.name()) == null || def.index(index.name()).id() != index.id()) {
            if (replacement == null) {
                return; // already gone with its table, or dropped
            }
            throw new SqlException(MysqlError.TABLE_DEF_CHANGED);
        }
        List<IndexDefinition> indexes = new ArrayList<>();
        for (IndexDefinition ix : def.indexes()) {
            if (ix.id() != index.id()) {
                indexes.add(ix);
            } else if (replacement != null) {
                indexes.add(replacement);
            }
        }
        store.putTable(t, def.withIndexes(indexes));
        if (replacement == null) {
            t.dropKeySpace(index.id());
        }
        store.bumpVersion(t);
    }

    /** Runs {@code change} in a transaction of its own, again after a concurrent DDL committed first. */
    private void inCatalogTransaction(Consumer<Transaction> change) {
        WriteConflictException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Transaction t = node.begin(Isolation.REPEATABLE_READ);
            try {
                change.accept(t);
                t.commit();
                return;
            } catch (WriteConflictException e) {
                last = e;
            } finally {
                t.rollback();
            }
        }
        throw last;
    }
}
