package io.cairn.data;

/**
 * The TN that last took or renewed the lease, as this CN has read it from the log.
 *
 * @param holder        the TN's name
 * @param epoch         its lease epoch
 * @param endpoint      where it takes commits (host:port of its HTTP endpoint)
 * @param writesRefused why it refuses client commits (a standby cluster, a drained or fenced primary), or null
 */
public record ActiveTransactionNode(String holder, long epoch, String endpoint, String writesRefused) {
}
