package io.cairn.txn.node;

import io.cairn.txn.DeadlockException;
import io.cairn.txn.Key;
import io.cairn.txn.LockMode;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.Write;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The row locks of one active term of a transaction node, as InnoDB keeps them: per key the
 * transactions holding it (shared or exclusive) and a FIFO queue of waiters; per transaction what it
 * holds and the one lock it waits for; per owner (a compute node incarnation) when it last called.
 *
 * <ul>
 *   <li>A request is granted when it is compatible with every other holder and nobody waits ahead of
 *       it. An upgrade (shared to exclusive by a holder) goes ahead of other waiters.</li>
 *   <li>When a transaction starts to wait, the wait-for graph (holders and incompatible waiters ahead
 *       in the queue) is searched for a cycle through it; if there is one it is the victim: all its
 *       locks are released and it gets a {@link DeadlockException}, so exactly one transaction of a
 *       cycle fails.</li>
 *   <li>An owner not heard of for the owner timeout is taken as dead: its transactions' locks go.</li>
 * </ul>
 *
 * <p>Thread-safe: one monitor. Waiting callers wait on it, in calls of bounded length; a waiter keeps
 * its place in the queue between calls. After {@link #close()} every call fails with
 * {@link TransactionNodeUnavailableException}.
 */
final class LockTable {
    /** A deadlock search that visits more transactions than this is taken as a deadlock (InnoDB does the same). */
    private static final int MAX_SEARCH = 10_000;

    private static final class Txn {
        final String id;
        final String owner;
        final Map<Key, LockMode> held = new HashMap<>();
        Waiter waiting;

        Txn(String id, String owner) {
            this.id = id;
            this.owner = owner;
        }
    }

    private record Waiter(Txn txn, Key key, LockMode mode, boolean upgrade) {
    }

    private static final class KeyLocks {
        final Map<String, LockMode> holders = new HashMap<>(4);
        final LinkedList<Waiter> queue = new LinkedList<>();
    }

    private final Ticker ticker;
    private final long ownerTimeoutNanos;
    private final Map<Key, KeyLocks> keys = new HashMap<>();
    private final Map<String, Txn> txns = new HashMap<>();
    private final Map<String, Long> ownerSeen = new HashMap<>();
    private boolean closed;

    /**
     * @param ticker       times owners' silence
     * @param ownerTimeout how long an owner may stay silent before its locks are released
     */
    LockTable(Ticker ticker, java.time.Duration ownerTimeout) {
        this.ticker = ticker;
        this.ownerTimeoutNanos = ownerTimeout.toNanos();
    }

    /**
     * Takes the locks in key order, waiting up to {@code waitNanos} in all for locks others hold.
     *
     * @return true when the transaction holds all of them; false when it still waits (it keeps its place)
     * @throws DeadlockException                   waiting would close a cycle: the transaction's locks are released
     * @throws TransactionNodeUnavailableException the table was closed, or the transaction's locks were
     *                                             released while it waited (its owner timed out)
     * @throws InterruptedException                the calling thread was interrupted
     */
    synchronized boolean acquire(String txnId, String owner, NavigableMap<Key, LockMode> wanted, long waitNanos)
            throws InterruptedException {
        checkOpen();
        touch(owner);
        Txn txn = txns.computeIfAbsent(txnId, id -> new Txn(id, owner));
        long deadline = System.nanoTime() + waitNanos;
        for (Map.Entry<Key, LockMode> e : wanted.entrySet()) {
            Key key = e.getKey();
            LockMode mode = e.getValue();
            while (!holds(txn, key, mode)) {
                Waiter w = txn.waiting;
                if (w != null && (!w.key().equals(key) || w.mode() != mode)) {
                    removeWaiter(w); // left over from a request given up on
                    continue;
                }
                if (w == null) {
                    if (tryGrant(txn, key, mode)) {
                        break;
                    }
                    w = enqueue(txn, key, mode);
                    if (closesCycle(txn)) {
                        releaseAll(txn);
                        throw new DeadlockException("Deadlock found when trying to get lock on " + key
                                + "; transaction " + txnId + " was chosen as the victim");
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
                checkOpen();
                if (txns.get(txnId) != txn) {
                    throw new TransactionNodeUnavailableException("the locks of transaction " + txnId
                            + " were released while it waited (its compute node stopped calling)", null);
                }
            }
        }
        return true;
    }

    /** Ends the transaction's wait, if any; its locks stay. */
    synchronized void abandonWait(String txnId) {
        Txn txn = txns.get(txnId);
        if (txn != null && txn.waiting != null) {
            removeWaiter(txn.waiting);
            notifyAll();
        }
    }

    /** Releases every lock of the transaction and ends its wait. Idempotent; a no-op once closed. */
    synchronized void release(String txnId) {
        Txn txn = txns.get(txnId);
        if (txn != null) {
            releaseAll(txn);
        }
    }

    synchronized void keepAlive(String owner) {
        if (!closed) {
            touch(owner);
        }
    }

    /**
     * A key of {@code writes} that a transaction other than {@code txnId} holds a lock on, or null:
     * a commit must not write it.
     */
    synchronized Key lockedByOther(String txnId, List<Write> writes) {
        for (Write write : writes) {
            KeyLocks k = keys.get(write.key());
            if (k != null) {
                for (String holder : k.holders.keySet()) {
                    if (!holder.equals(txnId)) {
                        return write.key();
                    }
                }
            }
        }
        return null;
    }

    /**
     * Releases the locks of owners silent for longer than the owner timeout.
     *
     * @return the number of transactions whose locks were released
     */
    synchronized int expireSilentOwners() {
        long now = ticker.nanoTime();
        Set<String> silent = new HashSet<>();
        for (Iterator<Map.Entry<String, Long>> it = ownerSeen.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (now - e.getValue() > ownerTimeoutNanos) {
                silent.add(e.getKey());
                it.remove();
            }
        }
        if (silent.isEmpty()) {
            return 0;
        }
        List<Txn> expired = new ArrayList<>();
        for (Txn txn : txns.values()) {
            if (silent.contains(txn.owner)) {
                expired.add(txn);
            }
        }
        expired.forEach(this::releaseAll);
        return expired.size();
    }

    /** Locks held, for monitoring. */
    synchronized int heldCount() {
        int n = 0;
        for (KeyLocks k : keys.values()) {
            n += k.holders.size();
        }
        return n;
    }

    /** Transactions waiting for a lock, for monitoring. */
    synchronized int waitingCount() {
        int n = 0;
        for (Txn txn : txns.values()) {
            n += txn.waiting != null ? 1 : 0;
        }
        return n;
    }

    /** Drops every lock and wakes every waiter, which then fails: this TN's term is over. */
    synchronized void close() {
        closed = true;
        keys.clear();
        txns.clear();
        ownerSeen.clear();
        notifyAll();
    }

    // ---- internals; caller holds the monitor --------------------------------------------------

    private void checkOpen() {
        if (closed) {
            throw new TransactionNodeUnavailableException("this transaction node is no longer active; its locks are gone", null);
        }
    }

    private void touch(String owner) {
        ownerSeen.put(owner, ticker.nanoTime());
    }

    private static boolean holds(Txn txn, Key key, LockMode mode) {
        LockMode held = txn.held.get(key);
        return held == LockMode.EXCLUSIVE || held == mode;
    }

    /** Grants at once if nobody stands in the way; an upgrade needs only to be the sole holder. */
    private boolean tryGrant(Txn txn, Key key, LockMode mode) {
        KeyLocks k = keys.computeIfAbsent(key, x -> new KeyLocks());
        boolean upgrade = k.holders.containsKey(txn.id);
        if (!compatibleWithHolders(k, txn, mode) || (!upgrade && !k.queue.isEmpty())) {
            return false;
        }
        grant(k, txn, key, mode);
        return true;
    }

    private static boolean compatibleWithHolders(KeyLocks k, Txn txn, LockMode mode) {
        for (Map.Entry<String, LockMode> h : k.holders.entrySet()) {
            if (!h.getKey().equals(txn.id) && !mode.compatibleWith(h.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static void grant(KeyLocks k, Txn txn, Key key, LockMode mode) {
        k.holders.merge(txn.id, mode, (a, b) -> a == LockMode.EXCLUSIVE ? a : b);
        txn.held.merge(key, mode, (a, b) -> a == LockMode.EXCLUSIVE ? a : b);
    }

    private Waiter enqueue(Txn txn, Key key, LockMode mode) {
        KeyLocks k = keys.get(key);
        boolean upgrade = k.holders.containsKey(txn.id);
        Waiter w = new Waiter(txn, key, mode, upgrade);
        if (upgrade) {
            int at = 0;
            while (at < k.queue.size() && k.queue.get(at).upgrade()) {
                at++;
            }
            k.queue.add(at, w);
        } else {
            k.queue.addLast(w);
        }
        txn.waiting = w;
        return w;
    }

    private void removeWaiter(Waiter w) {
        KeyLocks k = keys.get(w.key());
        w.txn().waiting = null;
        if (k != null) {
            k.queue.remove(w);
            grantWaiters(w.key(), k);
        }
    }

    private void releaseAll(Txn txn) {
        txns.remove(txn.id);
        if (txn.waiting != null) {
            removeWaiter(txn.waiting);
        }
        for (Key key : txn.held.keySet()) {
            KeyLocks k = keys.get(key);
            if (k != null) {
                k.holders.remove(txn.id);
                grantWaiters(key, k);
            }
        }
        txn.held.clear();
        notifyAll();
    }

    /** Grants queued waiters from the head while they are compatible; forgets a key nobody holds or wants. */
    private void grantWaiters(Key key, KeyLocks k) {
        boolean granted = false;
        while (!k.queue.isEmpty()) {
            Waiter head = k.queue.peekFirst();
            if (!compatibleWithHolders(k, head.txn(), head.mode())) {
                break;
            }
            k.queue.removeFirst();
            head.txn().waiting = null;
            grant(k, head.txn(), key, head.mode());
            granted = true;
        }
        if (k.holders.isEmpty() && k.queue.isEmpty()) {
            keys.remove(key);
        }
        if (granted) {
            notifyAll();
        }
    }

    /** Whether the transactions {@code start} waits for lead, through waits, back to it. */
    private boolean closesCycle(Txn start) {
        ArrayDeque<Txn> todo = new ArrayDeque<>(blockers(start));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Txn t = todo.pop();
            if (t == start) {
                return true;
            }
            if (seen.add(t.id)) {
                if (seen.size() > MAX_SEARCH) {
                    return true;
                }
                if (t.waiting != null) {
                    todo.addAll(blockers(t));
                }
            }
        }
        return false;
    }

    /** The transactions {@code t}'s wait is for: incompatible holders, and incompatible waiters ahead of it. */
    private List<Txn> blockers(Txn t) {
        Waiter w = t.waiting;
        KeyLocks k = keys.get(w.key());
        List<Txn> out = new ArrayList<>();
        if (k == null) {
            return out;
        }
        for (Map.Entry<String, LockMode> h : k.holders.entrySet()) {
            Txn holder = txns.get(h.getKey());
            if (holder != null && holder != t && !w.mode().compatibleWith(h.getValue())) {
                out.add(holder);
            }
        }
        for (Waiter ahead : k.queue) {
            if (ahead == w) {
                break;
            }
            if (ahead.txn() != t && !w.mode().compatibleWith(ahead.mode())) {
                out.add(ahead.txn());
            }
        }
        return out;
    }
}
