package io.cairn.txn.node;

import io.cairn.txn.Key;
import io.cairn.txn.LockMode;
import io.cairn.txn.LockRequest;
import io.cairn.txn.LockResult;
import io.cairn.txn.LockService;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.node.TransactionNode.State;
import java.time.Duration;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * The TN's {@link LockService}: calls served by the {@link LockTable} of the active term (a standby has
 * none). A grant also says whether a locked key was committed after the requester read it, and then waits
 * until that commit is durable.
 *
 * <p>Locking: the lock table has a monitor of its own and is called without the node's lock; a grant
 * then checks, under the node's lock ({@link NodeState}'s monitor), that the term it was granted in is
 * still the active one, and reads the {@link CommitHistory} it guards.
 */
final class RowLockService implements LockService {
    private static final Logger LOG = Logger.getLogger(RowLockService.class.getName());
    /**
     * A compute node that stopped calling this long is taken as dead: its transactions' locks go. CNs
     * call every second while they hold locks; 3 s keeps others' waits for a dead CN's rows within a
     * failover's time.
     */
    static final Duration LOCK_OWNER_TIMEOUT = Duration.ofSeconds(3);

    private final String id;
    private final NodeState node;
    private final CommitHistory history;
    private final CommitPipeline commits;
    private final LongAdder lockRequests = new LongAdder();

    /** @param id this TN's name, for messages */
    RowLockService(String id, NodeState node, CommitHistory history, CommitPipeline commits) {
        this.id = id;
        this.node = node;
        this.history = history;
        this.commits = commits;
    }

    @Override
    public LockResult lock(LockRequest request) {
        lockRequests.increment();
        LockTable term = activeLocks();
        NavigableMap<Key, LockMode> wanted = new TreeMap<>();
        request.shared().forEach(k -> wanted.put(k, LockMode.SHARED));
        request.exclusive().forEach(k -> wanted.put(k, LockMode.EXCLUSIVE));
        boolean granted;
        try {
            granted = term.acquire(request.txnId(), request.owner(), wanted,
                    TimeUnit.MILLISECONDS.toNanos(request.waitMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransactionNodeUnavailableException("interrupted while waiting for a lock", e);
        }
        if (!granted) {
            return LockResult.WAITING;
        }
        synchronized (node) {
            if (node.state() != State.ACTIVE || node.locks() != term) {
                throw new TransactionNodeUnavailableException("transaction node " + id
                        + " stopped being active while granting locks; they are gone", null);
            }
            long changedAt = history.lastCommitAfter(request.readTs(), wanted.keySet());
            if (changedAt == 0) {
                return LockResult.GRANTED;
            }
            commits.awaitDurable(changedAt);
            return LockResult.changedUpTo(history.durableLsn());
        }
    }

    @Override
    public void abandonWait(String txnId) {
        LockTable term = node.locks();
        if (term != null) {
            term.abandonWait(txnId);
        }
    }

    @Override
    public void release(String txnId) {
        LockTable term = node.locks();
        if (term != null) {
            term.release(txnId);
        }
    }

    @Override
    public void keepAlive(String owner) {
        activeLocks().keepAlive(owner);
    }

    /** Locks held now by all transactions (0 while standby), for monitoring. */
    int heldLocks() {
        LockTable term = node.locks();
        return term == null ? 0 : term.heldCount();
    }

    /** Lock requests this TN has been asked, for monitoring. */
    long lockRequests() {
        return lockRequests.sum();
    }

    /** Transactions waiting for a lock now (0 while standby), for monitoring. */
    int waitingForLocks() {
        LockTable term = node.locks();
        return term == null ? 0 : term.waitingCount();
    }

    private LockTable activeLocks() {
        LockTable term = node.locks();
        if (term == null) {
            throw new TransactionNodeUnavailableException("transaction node " + id + " is not active", null);
        }
        return term;
    }

    /** Releases the locks of owners that stopped calling; the driver calls it while active. */
    void expireSilentOwners() {
        LockTable term = node.locks();
        if (term != null) {
            int released = term.expireSilentOwners();
            if (released > 0) {
                LOG.info("CAIRN0113I: transaction node " + id + " released the locks of " + released
                        + " transactions whose compute node stopped calling for " + LOCK_OWNER_TIMEOUT.toSeconds() + " s");
            }
        }
    }
}
