package io.cairn.txn.node;

import io.cairn.log.Lease;
import io.cairn.log.LogException;
import io.cairn.log.LogService;
import io.cairn.log.StaleEpochException;
import io.cairn.txn.node.TransactionNode.State;
import io.cairn.txn.record.TnLease;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Holds the lease while active and takes it over when it lapses while standby: the active TN renews it
 * every third of its duration and steps down when the log refuses a renewal, or none succeeded for a
 * whole duration; a standby appends the next epoch's lease and reads the log up to it before it takes
 * commits (see {@link TransactionNode}, "Lease and takeover").
 *
 * <p>Threads: {@link #renew} and {@link #maybeTakeOver} run on the driver; {@link #holdsLease} on any
 * thread. The switch to active is made under the node's lock ({@link NodeState}'s monitor).
 */
final class LeaseKeeper {
    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class.getName());

    private final LogService log;
    private final Ticker ticker;
    private final TransactionNode.Settings settings;
    private final NodeState node;
    private final CommitHistory history;
    private final LogFollower follower;
    private final LeaseView leases;
    private final CommitPipeline commits;
    /** When this TN last appended its lease (driver only). */
    private long renewedAtNanos;
    /** The refusal of client commits the last lease appended carried (driver only). */
    private String renewedWithRefusal;

    LeaseKeeper(LogService log, Ticker ticker, TransactionNode.Settings settings, NodeState node, CommitHistory history,
            LogFollower follower, LeaseView leases, CommitPipeline commits) {
        this.log = log;
        this.ticker = ticker;
        this.settings = settings;
        this.node = node;
        this.history = history;
        this.follower = follower;
        this.leases = leases;
        this.commits = commits;
    }

    /**
     * Whether this TN is active under {@code leaseEpoch} and the log confirms (linearizably) that no
     * later lease exists. Any thread; asks the log.
     */
    boolean holdsLease(long leaseEpoch) {
        synchronized (node) {
            if (node.state() != State.ACTIVE || node.epoch() != leaseEpoch) {
                return false;
            }
        }
        Lease current = log.currentLease();
        return current.epoch() == leaseEpoch && settings.id().equals(current.holder());
    }

    /**
     * Renews the lease when a third of it has passed since the last renewal, or at once when the TN started or
     * stopped refusing client commits (compute nodes learn it from the lease); steps down when that fails.
     */
    void renew() {
        long now = ticker.nanoTime();
        long third = settings.leaseDuration().toNanos() / 3;
        String refused = commits.refused();
        if (now - renewedAtNanos < third && Objects.equals(refused, renewedWithRefusal)) {
            return;
        }
        long myEpoch = node.epoch();
        try {
            log.appendLease(myEpoch, settings.id(), leasePayload(refused));
            renewedAtNanos = ticker.nanoTime();
            renewedWithRefusal = refused;
        } catch (StaleEpochException e) {
            LOG.warning("CAIRN0103W: transaction node " + settings.id() + " lost its lease: " + e.getMessage());
            commits.stepDown(e);
        } catch (LogException e) {
            if (ticker.nanoTime() - renewedAtNanos > settings.leaseDuration().toNanos()) {
                LOG.warning("CAIRN0104W: transaction node " + settings.id() + " could not renew its lease in time: "
                        + e.getMessage());
                commits.stepDown(e);
            }
        }
    }

    /** Appends the next lease when the one seen has lapsed, and becomes active once it has read up to it. */
    void maybeTakeOver() {
        if (!leases.lapsed()) {
            return;
        }
        Lease seen = leases.lease();
        Lease current = log.currentLease();
        if (current.lsn() > seen.lsn()) {
            // A grant or renewal this TN has not read yet (just appended, or before a truncation):
            // its holder may be alive, so it is not taken as lapsed.
            leases.observe(current);
            return;
        }
        long next = Math.max(seen.epoch(), current.epoch()) + 1;
        long leaseLsn;
        try {
            String refused = commits.refused();
            leaseLsn = log.appendLease(next, settings.id(), leasePayload(refused));
            renewedWithRefusal = refused;
        } catch (StaleEpochException e) {
            return; // another TN won; its lease shows up in the log
        }
        renewedAtNanos = ticker.nanoTime();
        follower.follow(leaseLsn);
        synchronized (node) {
            if (node.state() == State.CLOSED) {
                return;
            }
            history.openWindow();
            node.activate(next, new LockTable(ticker, RowLockService.LOCK_OWNER_TIMEOUT));
        }
        LOG.info("CAIRN0105I: transaction node " + settings.id() + " is active with lease epoch " + next
                + " at LSN " + leaseLsn);
    }

    private byte[] leasePayload(String refused) {
        return new TnLease(settings.leaseDuration().toMillis(), settings.endpoint(), refused).encode();
    }
}
