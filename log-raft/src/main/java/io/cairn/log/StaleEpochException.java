package io.cairn.log;

/**
 * A conditional append or a lease was refused because the log already holds a lease of a higher
 * epoch (or, for a lease, the same epoch held by another holder). The refused records are never
 * visible to readers. Not retryable with the same epoch: the writer has been fenced off.
 */
public class StaleEpochException extends LogException {
    private final long epoch;
    private final long highestEpoch;

    public StaleEpochException(long epoch, long highestEpoch) {
        super("stale epoch " + epoch + ": the log holds a lease of epoch " + highestEpoch);
        this.epoch = epoch;
        this.highestEpoch = highestEpoch;
    }

    /** The epoch the caller presented. */
    public long epoch() {
        return epoch;
    }

    /** The highest lease epoch in the log when the request was refused. */
    public long highestEpoch() {
        return highestEpoch;
    }
}
