package io.cairn.txn.node;

import io.cairn.log.Lease;
import java.time.Duration;

/**
 * The latest lease a transaction node has read from the log (its own renewals included), and since when
 * it counts: a standby takes over only once it has lapsed.
 *
 * <p>Threads: {@link #lease()} and {@link #ageNanos()} any thread; the rest belongs to the driver.
 */
final class LeaseView {
    private final Ticker ticker;
    private final long durationNanos;
    private volatile Lease seenLease = Lease.NONE;
    /** Volatile for {@link #ageNanos()} (the admin API); written by the driver only. */
    private volatile long seenLeaseAtNanos;

    LeaseView(Ticker ticker, Duration leaseDuration) {
        this.ticker = ticker;
        this.durationNanos = leaseDuration.toNanos();
        this.seenLeaseAtNanos = ticker.nanoTime();
    }

    /** The latest lease read. */
    Lease lease() {
        return seenLease;
    }

    /** How long ago the latest lease was read (as {@link #observe} counts it); -1 when none was read yet. */
    long ageNanos() {
        return seenLease.epoch() == 0 ? -1 : ticker.nanoTime() - seenLeaseAtNanos;
    }

    /** Whether no lease was read yet, or the latest one was read longer than a lease ago. */
    boolean lapsed() {
        return seenLease.epoch() == 0 || ticker.nanoTime() - seenLeaseAtNanos > durationNanos;
    }

    /**
     * A lease read from the log: its time starts now. But a renewal read more than half a lease after the
     * one before (its holder renews every third) was held up on its way here, typically by a log election
     * after the holder's server, which also led the log, stopped; it may be that much older already. It gets
     * half a lease, which a live holder's next renewal beats, instead of a whole lease on top of the election
     * (chaos suite: pause of that server, takeover 5.6-6 s after the pause instead of 2.2-2.8 s).
     */
    void observe(Lease lease) {
        long now = ticker.nanoTime();
        boolean lateRenewal = lease.epoch() == seenLease.epoch() && lease.holder() != null
                && lease.holder().equals(seenLease.holder()) && now - seenLeaseAtNanos > durationNanos / 2;
        seenLease = lease;
        seenLeaseAtNanos = lateRenewal ? now - durationNanos / 2 : now;
    }
}
