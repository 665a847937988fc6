package io.cairn.log;

/**
 * The highest lease recorded in the log.
 *
 * @param epoch the lease epoch; 0 when no lease was ever granted
 * @param holder the holder that took the lease, {@code null} when none
 * @param lsn the LSN of the lease record that granted or last renewed it, -1 when none
 */
public record Lease(long epoch, String holder, long lsn) {

    /** The state of a log that never saw a lease. */
    public static final Lease NONE = new Lease(0, null, -1);
}
