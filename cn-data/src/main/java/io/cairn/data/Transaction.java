package io.cairn.data;

import io.cairn.txn.CommitRequest;
import io.cairn.txn.CommitResult;
import io.cairn.txn.DeadlockException;
import io.cairn.txn.Key;
import io.cairn.txn.LockMode;
import io.cairn.txn.LockRequest;
import io.cairn.txn.LockResult;
import io.cairn.txn.TransactionException;
import io.cairn.txn.Write;
import io.cairn.txn.record.CommitRecord;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * One transaction on a compute node. Reads see the snapshot plus this transaction's own writes;
 * writes stay in the transaction's workspace until {@link #commit()}, which sends them to the TN
 * as one write set.
 *
 * <h2>Statements</h2>
 * A statement runs between {@link #beginStatement(boolean, boolean)} and {@link #endStatement} (or
 * {@link #abortStatement()}, which undoes its writes). Under READ COMMITTED each statement reads a
 * fresh snapshot. A <em>locking</em> statement (one that writes, or reads {@code FOR UPDATE/SHARE})
 * in {@link Concurrency#PESSIMISTIC} mode reads the latest committed data (InnoDB's current read),
 * and at its end locks every key it wrote or locked at the TN, waiting for other holders; if one of
 * those keys was committed by someone else after the statement read it, the statement's writes are
 * undone and {@code endStatement} asks for the statement to be run again, at a read point that
 * includes that commit (the locks stay). Once a key is locked nobody else commits it, so the commit
 * cannot conflict on it.
 *
 * <h2>Commit check</h2>
 * Every write goes to the TN with the timestamp its row was read at (its statement's read point, the
 * earliest if written by several), and conflicts with any commit of its key after that. In
 * {@link Concurrency#OPTIMISTIC} mode this is first-committer-wins; in pessimistic mode it is the
 * safety net for locks lost with a TN failover.
 *
 * <h2>Size</h2>
 * The write set goes to the TN in one request and into the log as one record, so it is bounded
 * ({@link DataNode.Settings#maxWriteSetBytes()}, counted as the commit record counts it: keys, values,
 * index entries, locked keys). A write past the bound fails with {@link TransactionTooLargeException}
 * and is not made; the statement is then aborted and the transaction goes on.
 *
 * <p>Not thread-safe: one session drives it. After commit, rollback or a failed commit it is over
 * and every call fails with {@link IllegalStateException}.
 */
public final class Transaction {
    private enum State { OPEN, COMMITTED, ROLLED_BACK, FAILED }

    /** Marks a key the running statement wrote that the workspace did not have before it. */
    private static final Write ABSENT = Write.delete(Key.of(0, new byte[0]));

    private final DataNode node;
    private final Isolation isolation;
    private final Concurrency concurrency;
    /** Made when first asked (a commit with writes, a lock): a random UUID costs a system call, reads need none. */
    private String id;
    private final TreeMap<Key, Write> workspace = new TreeMap<>();
    /** What the workspace takes in the commit record ({@link CommitRecord#writeBytes}), kept below the node's limit. */
    private long writeSetBytes;
    /** Per written or locked key, the earliest read point its value was based on. */
    private final Map<Key, Long> readTs = new HashMap<>();
    /** The locks the TN has granted this transaction. */
    private final Map<Key, LockMode> held = new HashMap<>();
    /** Whether any lock request was made: the TN may hold locks to release at the end. */
    private boolean askedForLocks;
    private long snapshotTs;
    /** The store that serves this transaction's snapshot (a CN moves to a new one with each checkpoint it adopts). */
    private MvccStore store;
    private State state = State.OPEN;
    /** Keeps the versions of this snapshot from being pruned until the transaction is over. */
    private final ActiveSnapshots.Entry registration;

    // The running statement.
    private boolean inStatement;
    private boolean lockingStatement;
    private long statementTs;
    private MvccStore statementStore;
    /** Workspace entries before the statement changed them (ABSENT: none), to undo it. */
    private final Map<Key, Write> undo = new HashMap<>();
    /** Keys the statement read FOR SHARE (FOR UPDATE keys are LOCK writes). */
    private final TreeMap<Key, LockMode> sharedReads = new TreeMap<>();

    Transaction(DataNode node, Isolation isolation, Concurrency concurrency, long snapshotTs,
            ActiveSnapshots.Entry registration) {
        this.node = node;
        this.store = node.store().forSnapshot(snapshotTs);
        this.isolation = isolation;
        this.concurrency = concurrency;
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

    public Concurrency concurrency() {
        return concurrency;
    }

    /** The bytes the transaction's writes take in its commit record so far (what the write set limit counts). */
    public long writeSetBytes() {
        return writeSetBytes;
    }

    /** The most bytes {@link #writeSetBytes()} may reach. */
    public long maxWriteSetBytes() {
        return node.maxWriteSetBytes();
    }

    /** Whether the transaction has buffered writes or locks. */
    public boolean hasWrites() {
        return !workspace.isEmpty() || !held.isEmpty();
    }

    // ---- statements ---------------------------------------------------------------------------

    /** {@link #beginStatement(boolean, boolean)} of a statement that neither writes nor locks. */
    public void beginStatement() {
        beginStatement(false, false);
    }

    /**
     * Starts a statement. Under READ COMMITTED the snapshot moves to now. A locking statement in
     * pessimistic mode reads at a fresh read point (the latest committed data); others read the
     * snapshot.
     *
     * @param locking whether the statement writes or reads {@code FOR UPDATE/SHARE}
     * @param fresh   whether the transaction was begun for this statement, just now: its snapshot
     *                then serves as the fresh read point (one read barrier fewer)
     * @throws DataUnavailableException no fresh read point could be had
     */
    public void beginStatement(boolean locking, boolean fresh) {
        checkOpen();
        resetStatement();
        if (isolation == Isolation.READ_COMMITTED && !fresh) {
            moveSnapshot(node.snapshot());
        }
        inStatement = true;
        lockingStatement = locking;
        statementTs = snapshotTs;
        statementStore = store;
        if (locking && concurrency == Concurrency.PESSIMISTIC && isolation != Isolation.READ_COMMITTED && !fresh) {
            readAt(node.snapshot());
        }
    }

    private void moveSnapshot(long ts) {
        snapshotTs = ts;
        registration.raise(ts);
        store = node.store().forSnapshot(ts);
    }

    /** Moves the running statement's read point (and under READ COMMITTED the snapshot with it). */
    private void readAt(long ts) {
        if (isolation == Isolation.READ_COMMITTED) {
            moveSnapshot(ts);
        }
        statementTs = ts;
        statementStore = node.store().forSnapshot(ts);
    }

    /**
     * Ends the running statement. In pessimistic mode a locking statement first locks what it wrote
     * and locked, waiting up to {@code lockWait} for other holders.
     *
     * @param lockWait  innodb_lock_wait_timeout
     * @param cancelled polled while waiting: true ends the wait (KILL QUERY)
     * @return true when the statement is done; false when a key it locked was committed by another
     *         transaction after the statement read it: its writes are undone, its read point moved
     *         past that commit, and it must be run again (its locks stay)
     * @throws LockWaitTimeoutException the wait ran out or was cancelled: the statement is undone,
     *                                  the transaction stays open
     * @throws DeadlockException        this transaction was a deadlock victim: it is rolled back
     * @throws TransactionException     no TN answered the lock request in time (the statement is undone)
     */
    public boolean endStatement(Duration lockWait, BooleanSupplier cancelled) {
        checkOpen();
        if (!inStatement) {
            return true;
        }
        if (lockingStatement && concurrency == Concurrency.PESSIMISTIC) {
            LockResult result;
            try {
                result = lockStatementKeys(lockWait, cancelled);
            } catch (DeadlockException e) {
                abortStatement();
                rollback();
                throw e;
            } catch (RuntimeException e) {
                abortStatement();
                throw e;
            }
            if (result.changed()) {
                undoStatementWrites();
                node.awaitApplied(result.lsn());
                readAt(Math.max(statementTs, node.appliedTs()));
                sharedReads.clear();
                return false;
            }
        }
        for (Key key : undo.keySet()) {
            readTs.merge(key, statementTs, Math::min);
        }
        for (Key key : sharedReads.keySet()) {
            readTs.merge(key, statementTs, Math::min);
        }
        resetStatement();
        return true;
    }

    /** Undoes the running statement's writes (a failed statement changes nothing); its locks stay. */
    public void abortStatement() {
        if (state == State.OPEN && inStatement) {
            undoStatementWrites();
            resetStatement();
        }
    }

    private void undoStatementWrites() {
        for (Map.Entry<Key, Write> e : undo.entrySet()) {
            Write replaced;
            if (e.getValue() == ABSENT) {
                replaced = workspace.remove(e.getKey());
            } else {
                replaced = workspace.put(e.getKey(), e.getValue());
                writeSetBytes += CommitRecord.writeBytes(e.getValue());
            }
            writeSetBytes -= CommitRecord.writeBytes(replaced);
        }
        undo.clear();
    }

    private void resetStatement() {
        inStatement = false;
        lockingStatement = false;
        undo.clear();
        sharedReads.clear();
        statementStore = null;
    }

    /** Keys per lock call: a statement that writes more asks in several calls (a request's size is bounded). */
    private static final int LOCK_BATCH = 10_000;

    /** Locks the statement's keys this transaction does not hold yet; granted (maybe changed) or an exception. */
    private LockResult lockStatementKeys(Duration lockWait, BooleanSupplier cancelled) {
        List<Key> exclusive = new ArrayList<>();
        List<Key> shared = new ArrayList<>();
        for (Key key : undo.keySet()) {
            if (workspace.containsKey(key) && held.get(key) != LockMode.EXCLUSIVE) {
                exclusive.add(key);
            }
        }
        for (Key key : sharedReads.keySet()) {
            if (!held.containsKey(key) && !undo.containsKey(key)) {
                shared.add(key);
            }
        }
        if (exclusive.isEmpty() && shared.isEmpty()) {
            return LockResult.GRANTED;
        }
        if (!askedForLocks) {
            askedForLocks = true;
            node.lockHolderStarted();
        }
        exclusive.sort(null); // one order for every transaction: fewer deadlocks between statements
        shared.sort(null);
        long deadline = System.nanoTime() + lockWait.toNanos();
        LockResult outcome = LockResult.GRANTED;
        for (int from = 0; from < exclusive.size() + shared.size(); from += LOCK_BATCH) {
            List<Key> x = slice(exclusive, from, from + LOCK_BATCH);
            List<Key> sh = slice(shared, from - exclusive.size(), from + LOCK_BATCH - exclusive.size());
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            LockResult result = node.lock(new LockRequest(id(), node.lockOwner(), statementTs, x, sh, 0), left, cancelled);
            x.forEach(k -> held.put(k, LockMode.EXCLUSIVE));
            sh.forEach(k -> held.putIfAbsent(k, LockMode.SHARED));
            if (result.changed() && (!outcome.changed() || result.lsn() > outcome.lsn())) {
                outcome = result;
            }
        }
        return outcome;
    }

    private static List<Key> slice(List<Key> keys, int from, int to) {
        int start = Math.max(0, from);
        int end = Math.min(keys.size(), Math.max(0, to));
        return start >= end ? List.of() : keys.subList(start, end);
    }

    // ---- reads --------------------------------------------------------------------------------

    private long readPoint() {
        return inStatement ? statementTs : snapshotTs;
    }

    private MvccStore readStore() {
        return inStatement ? statementStore : store;
    }

    /** The value of {@code key} as this transaction sees it, or null. */
    public byte[] get(Key key) {
        checkOpen();
        Write own = workspace.get(key);
        if (own != null && own.kind() != Write.Kind.LOCK) {
            return own.value();
        }
        return readStore().get(key, readPoint());
    }

    /** The rows of a table with {@code from <= pk < to} (nulls for open ends) as this transaction sees them, in key order. */
    public Iterator<Map.Entry<byte[], byte[]>> scan(long tableId, byte[] from, byte[] to) {
        checkOpen();
        Iterator<Map.Entry<byte[], byte[]>> committed = readStore().scan(tableId, from, to, readPoint());
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

    // ---- writes -------------------------------------------------------------------------------

    public void put(Key key, byte[] value) {
        checkOpen();
        write(Write.put(key, value.clone()));
    }

    public void delete(Key key) {
        checkOpen();
        write(Write.delete(key));
    }

    /**
     * @throws TransactionTooLargeException the write set would grow past the limit: the write is not
     *                                      made (the statement's earlier writes stay until it is aborted)
     */
    private void write(Write w) {
        Write before = workspace.put(w.key(), w);
        long size = writeSetBytes + CommitRecord.writeBytes(w) - (before == null ? 0 : CommitRecord.writeBytes(before));
        if (size > node.maxWriteSetBytes()) {
            if (before == null) { // put back what was there: one map look-up on the usual path, two on this one
                workspace.remove(w.key());
            } else {
                workspace.put(w.key(), before);
            }
            throw new TransactionTooLargeException(size, node.maxWriteSetBytes());
        }
        writeSetBytes = size;
        if (inStatement) {
            undo.putIfAbsent(w.key(), before == null ? ABSENT : before);
        }
    }

    /**
     * Drops every key of {@code keySpace} (a dropped or truncated table, a dropped index) when this
     * transaction commits: its keys stay readable by older snapshots, then the store frees them.
     * The key space must not be written again.
     */
    public void dropKeySpace(long keySpace) {
        checkOpen();
        Key marker = MvccStore.dropMarker(keySpace);
        write(Write.put(marker, new byte[0]));
    }

    /**
     * SELECT … FOR UPDATE: the key is locked exclusively at the statement's end (pessimistic mode)
     * and joins the conflict check at commit without being written.
     */
    public void lockForUpdate(Key key) {
        checkOpen();
        if (!workspace.containsKey(key)) {
            write(Write.lock(key));
        }
    }

    /** SELECT … FOR SHARE: in pessimistic mode the key is locked shared at the statement's end; nothing otherwise. */
    public void lockForShare(Key key) {
        checkOpen();
        if (inStatement && concurrency == Concurrency.PESSIMISTIC) {
            sharedReads.put(key, LockMode.SHARED);
        }
    }

    // ---- end ----------------------------------------------------------------------------------

    /**
     * Commits the workspace. A transaction without writes commits without asking the TN (its locks,
     * if any, are released).
     *
     * @return the commit, or null for a read-only transaction
     * @throws TransactionException a conflict or too old a snapshot (retryable), or no TN in time
     */
    public CommitResult commit() {
        checkOpen();
        resetStatement();
        List<Write> writes = new ArrayList<>(workspace.values());
        boolean onlyLocks = writes.stream().allMatch(w -> w.kind() == Write.Kind.LOCK);
        if (writes.isEmpty() || (onlyLocks && concurrency == Concurrency.PESSIMISTIC)) {
            end(State.COMMITTED, true); // nothing to write; the locks, if any, are released
            return null;
        }
        long[] basis = new long[writes.size()];
        for (int i = 0; i < basis.length; i++) {
            basis[i] = readTs.getOrDefault(writes.get(i).key(), snapshotTs);
        }
        // A committing transaction reads nothing more, so its snapshot stops holding back the store's horizon
        // now, not after the log's round trip: a big commit under load (an index build's batch) takes
        // seconds, and meanwhile every version, and the stores a checkpoint replaced, stayed on the heap.
        registration.release();
        store = null;
        try {
            CommitResult result = node.commit(new CommitRequest(id(), snapshotTs, writes, basis));
            end(State.COMMITTED, false);
            return result;
        } catch (RuntimeException e) {
            end(State.FAILED, true);
            throw e;
        }
    }

    /** The workspace at a moment, to return to: SQL's SAVEPOINT. A copy, so it costs what the writes so far take. */
    public static final class Savepoint {
        private final TreeMap<Key, Write> workspace;
        private final long writeSetBytes;

        private Savepoint(TreeMap<Key, Write> workspace, long writeSetBytes) {
            this.workspace = workspace;
            this.writeSetBytes = writeSetBytes;
        }
    }

    /** The workspace as it is now, between statements. */
    public Savepoint savepoint() {
        checkOpen();
        checkBetweenStatements();
        return new Savepoint(new TreeMap<>(workspace), writeSetBytes);
    }

    /**
     * Puts the workspace back as it was at {@code savepoint} (ROLLBACK TO SAVEPOINT). The locks taken since
     * stay held until the transaction ends, as InnoDB keeps them.
     */
    public void rollbackTo(Savepoint savepoint) {
        checkOpen();
        checkBetweenStatements();
        workspace.clear();
        workspace.putAll(savepoint.workspace);
        writeSetBytes = savepoint.writeSetBytes;
    }

    private void checkBetweenStatements() {
        if (inStatement) {
            throw new IllegalStateException("transaction " + id + " is inside a statement");
        }
    }

    /** Drops the workspace and releases the locks. Idempotent once the transaction is over. */
    public void rollback() {
        if (state == State.OPEN) {
            workspace.clear();
            writeSetBytes = 0;
            end(State.ROLLED_BACK, true);
        }
    }

    /** @param releaseLocks false when the TN released the locks itself (with a commit it made) */
    private void end(State outcome, boolean releaseLocks) {
        state = outcome;
        resetStatement();
        registration.release();
        if (askedForLocks) {
            node.lockHolderEnded(id, releaseLocks);
        }
    }

    private void checkOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("transaction " + id + " is " + state.name().toLowerCase());
        }
    }
}
