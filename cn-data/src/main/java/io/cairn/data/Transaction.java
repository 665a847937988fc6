package io.cairn.data;

import io.cairn.txn.CommitRequest;
import io.cairn.txn.CommitResult;
import io.cairn.txn.Key;
import io.cairn.txn.TransactionException;
import io.cairn.txn.Write;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One transaction on a compute node. Reads see the snapshot plus this transaction's own writes;
 * writes stay in the transaction's workspace until {@link #commit()}, which sends them to the TN
 * as one write set (first committer wins). Lock-for-update keys join the conflict check.
 *
 * <p>Not thread-safe: one session drives it. After commit, rollback or a failed commit it is over
 * and every call fails with {@link IllegalStateException}.
 */
public final class Transaction {
    private enum State { OPEN, COMMITTED, ROLLED_BACK, FAILED }

    private final DataNode node;
    /** The store that serves this transaction's snapshot (a CN moves to a new one with each checkpoint it adopts). */
    private MvccStore store;
    private final Isolation isolation;
    /** Made when first asked (a commit with writes): a random UUID costs a system call, reads need none. */
    private String id;
    private final TreeMap<Key, Write> workspace = new TreeMap<>();
    private long snapshotTs;
    private State state = State.OPEN;
    /** Keeps the versions of this snapshot from being pruned until the transaction is over. */
    private final ActiveSnapshots.Entry registration;

    Transaction(DataNode node, Isolation isolation, long snapshotTs, ActiveSnapshots.Entry registration) {
        this.node = node;
        this.store = node.store().forSnapshot(snapshotTs);
        this.isolation = isolation;
        this.snapshotTs = snapshotTs;
        this.registration = registration;
    }

    public String id() {
        if (id == null) {
            id = UUID.randomUUID().toString();
        }
        return id;
    }

    public long snapshotTs() {
        return snapshotTs;
    }

    public Isolation isolation() {
        return isolation;
    }

    /** Whether the transaction has buffered writes or locks. */
    public boolean hasWrites() {
        return !workspace.isEmpty();
    }

    /** Marks the start of a statement: under READ COMMITTED the snapshot moves to now. */
    public void beginStatement() {
        checkOpen();
        if (isolation == Isolation.READ_COMMITTED) {
            snapshotTs = node.snapshot();
            registration.raise(snapshotTs);
            store = node.store().forSnapshot(snapshotTs);
        }
    }

    /** The value of {@code key} as this transaction sees it, or null. */
    public byte[] get(Key key) {
        checkOpen();
        Write own = workspace.get(key);
        if (own != null && own.kind() != Write.Kind.LOCK) {
            return own.value();
        }
        return store.get(key, snapshotTs);
    }

    /** The rows of a table with {@code from <= pk < to} (nulls for open ends) as this transaction sees them, in key order. */
    public Iterator<Map.Entry<byte[], byte[]>> scan(long tableId, byte[] from, byte[] to) {
        checkOpen();
        Iterator<Map.Entry<byte[], byte[]>> committed = store.scan(tableId, from, to, snapshotTs);
        NavigableMap<Key, Write> own = workspace.subMap(
                from == null ? Key.of(tableId, new byte[0]) : Key.of(tableId, from), true,
                to == null ? Key.of(tableId + 1, new byte[0]) : Key.of(tableId, to), false);
        if (own.isEmpty()) {
            return committed;
        }
        return merge(committed, own.values().iterator());
    }

    private static Iterator<Map.Entry<byte[], byte[]>> merge(Iterator<Map.Entry<byte[], byte[]>> committed,
            Iterator<Write> own) {
        return new LookaheadIterator<>() {
            private Map.Entry<byte[], byte[]> c = committed.hasNext() ? committed.next() : null;
            private Write o = nextOwn();

            private Write nextOwn() {
                while (own.hasNext()) {
                    Write w = own.next();
                    if (w.kind() != Write.Kind.LOCK) {
                        return w;
                    }
                }
                return null;
            }

            @Override
            protected Map.Entry<byte[], byte[]> advance() {
                while (c != null || o != null) {
                    int order = c == null ? 1 : o == null ? -1 : Arrays.compareUnsigned(c.getKey(), o.key().bytes());
                    if (order < 0) {
                        Map.Entry<byte[], byte[]> out = c;
                        c = committed.hasNext() ? committed.next() : null;
                        return out;
                    }
                    Write w = o;
                    o = nextOwn();
                    if (order == 0) {
                        c = committed.hasNext() ? committed.next() : null;
                    }
                    if (w.kind() == Write.Kind.PUT) {
                        return new AbstractMap.SimpleImmutableEntry<>(w.key().bytes(), w.value());
                    }
                }
                return null;
            }
        };
    }

    public void put(Key key, byte[] value) {
        checkOpen();
        workspace.put(key, Write.put(key, value.clone()));
    }

    public void delete(Key key) {
        checkOpen();
        workspace.put(key, Write.delete(key));
    }

    /**
     * Drops every key of {@code keySpace} (a dropped or truncated table, a dropped index) when this
     * transaction commits: its keys stay readable by older snapshots, then the store frees them.
     * The key space must not be written again.
     */
    public void dropKeySpace(long keySpace) {
        checkOpen();
        Key marker = MvccStore.dropMarker(keySpace);
        workspace.put(marker, Write.put(marker, new byte[0]));
    }

    /** SELECT … FOR UPDATE: the key joins the conflict check at commit without being written. */
    public void lockForUpdate(Key key) {
        checkOpen();
        workspace.putIfAbsent(key, Write.lock(key));
    }

    /**
     * Commits the workspace. A transaction without writes commits without asking the TN.
     *
     * @return the commit, or null for a read-only transaction
     * @throws TransactionException a conflict or too old a snapshot (retryable), or no TN in time
     */
    public CommitResult commit() {
        checkOpen();
        if (workspace.isEmpty()) {
            end(State.COMMITTED);
            return null;
        }
        List<Write> writes = new ArrayList<>(workspace.values());
        try {
            CommitResult result = node.commit(new CommitRequest(id(), snapshotTs, writes));
            end(State.COMMITTED);
            return result;
        } catch (RuntimeException e) {
            end(State.FAILED);
            throw e;
        }
    }

    /** Drops the workspace. Idempotent once the transaction is over. */
    public void rollback() {
        if (state == State.OPEN) {
            workspace.clear();
            end(State.ROLLED_BACK);
        }
    }

    private void end(State outcome) {
        state = outcome;
        registration.release();
    }

    private void checkOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("transaction " + id + " is " + state.name().toLowerCase());
        }
    }
}
