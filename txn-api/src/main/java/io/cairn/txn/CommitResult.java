package io.cairn.txn;

/**
 * A committed transaction.
 *
 * @param commitTs its commit timestamp; every later commit has a higher one
 * @param lsn      the log entry holding its commit record; a CN that has applied up to it sees it
 */
public record CommitResult(long commitTs, long lsn) {
}
