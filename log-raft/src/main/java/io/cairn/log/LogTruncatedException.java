package io.cairn.log;

/**
 * A read asked for entries before the log's truncation point (see
 * {@link LogService#truncateBefore(long)}). Those entries are gone for good; the reader must
 * recover from a checkpoint and continue reading at {@link #firstAvailableLsn()} or later.
 */
public class LogTruncatedException extends LogException {
    private final long requestedLsn;
    private final long firstAvailableLsn;

    public LogTruncatedException(long requestedLsn, long firstAvailableLsn) {
        super("log entries before LSN " + firstAvailableLsn + " were truncated; requested " + requestedLsn);
        this.requestedLsn = requestedLsn;
        this.firstAvailableLsn = firstAvailableLsn;
    }

    public long requestedLsn() {
        return requestedLsn;
    }

    /** The lowest LSN that may still be read. */
    public long firstAvailableLsn() {
        return firstAvailableLsn;
    }
}
