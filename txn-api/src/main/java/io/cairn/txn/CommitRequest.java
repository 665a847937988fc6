package io.cairn.txn;

import java.util.List;

/**
 * What a compute node asks the transaction node to commit.
 *
 * @param txnId      the client transaction id, unique per transaction; a retry with the same id is
 *                   answered with the first attempt's outcome
 * @param snapshotTs the commit timestamp the transaction read at
 * @param writes     the write set, at most one write per key
 */
public record CommitRequest(String txnId, long snapshotTs, List<Write> writes) {
    /** Longest transaction id accepted. */
    public static final int MAX_TXN_ID = 64;

    public CommitRequest {
        if (txnId == null || txnId.isEmpty() || txnId.length() > MAX_TXN_ID) {
            throw new IllegalArgumentException("transaction id must be 1-" + MAX_TXN_ID + " characters");
        }
        writes = List.copyOf(writes);
    }
}
