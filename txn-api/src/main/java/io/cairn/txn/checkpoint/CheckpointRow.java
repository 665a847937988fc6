package io.cairn.txn.checkpoint;

/**
 * The latest committed state of one key at a checkpoint.
 *
 * @param key   the memcomparable primary-key bytes (the table is the segment's)
 * @param ts    the commit timestamp of that state
 * @param value the encoded row, or null when the key was deleted
 */
public record CheckpointRow(byte[] key, long ts, byte[] value) {
}
