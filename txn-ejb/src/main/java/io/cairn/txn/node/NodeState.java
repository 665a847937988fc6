package io.cairn.txn.node;

import io.cairn.txn.node.TransactionNode.State;

/**
 * Where a transaction node stands — standby, active under a lease epoch with the row locks of that
 * term, or closed — and the node's one lock.
 *
 * <p>Locking: this object's monitor guards its own fields, the node's {@link CommitHistory} and the
 * commits queued or in flight in its {@link CommitPipeline}: a commit reads and changes all of them at
 * once. {@link CommitPipeline}, {@link RowLockService}, {@link LogFollower}, {@link LeaseKeeper} and
 * {@link TransactionNode} synchronize on it. Whoever waits (a commit that lost to a winner not yet
 * durable, a lock grant waiting for such a commit, the appender waiting for work) waits on this monitor;
 * {@link CommitPipeline} calls {@code notifyAll()} on it when it queues commits, when they are durable and
 * when they fail, and closing the node does too. Methods that are not {@code synchronized}, but for
 * {@link #locks()}, expect the caller to hold the monitor.
 */
final class NodeState {
    private State state = State.STANDBY;
    private long epoch;
    /** The row locks of this TN's active term; null while standby. Read without the monitor by lock calls. */
    private volatile LockTable locks;
    /** Set when the TN stepped down: the driver rebuilds the commit history from the log. */
    private boolean rebuildPending;

    synchronized State state() {
        return state;
    }

    /** The lease epoch this TN commits with while active. */
    synchronized long epoch() {
        return epoch;
    }

    /** The row locks of the active term, null while standby; any thread, no monitor needed. */
    LockTable locks() {
        return locks;
    }

    /**
     * Takes commits and locks under lease {@code leaseEpoch}, with {@code termLocks}, the new term's lock
     * table. Caller holds the monitor.
     */
    void activate(long leaseEpoch, LockTable termLocks) {
        epoch = leaseEpoch;
        locks = termLocks;
        state = State.ACTIVE;
    }

    /**
     * Leaves the active term (a closed node stays closed): its lock table ends, so waiters fail and locks
     * are gone, and the commit history is to be rebuilt from the log. Caller holds the monitor.
     */
    void stepDown() {
        if (state == State.ACTIVE) {
            state = State.STANDBY;
        }
        endLockTerm();
        rebuildPending = true;
    }

    /** Ends the lock table of the active term: waiters fail, locks are gone. Caller holds the monitor. */
    private void endLockTerm() {
        LockTable term = locks;
        locks = null;
        if (term != null) {
            term.close();
        }
    }

    /** Closes the node for good; callers wake waiters. Caller holds the monitor. */
    void close() {
        state = State.CLOSED;
    }

    /** Whether a rebuild is pending, clearing the flag: the caller rebuilds. Caller holds the monitor. */
    boolean takeRebuild() {
        if (!rebuildPending) {
            return false;
        }
        rebuildPending = false;
        return true;
    }
}
