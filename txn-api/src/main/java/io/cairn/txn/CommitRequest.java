package io.cairn.txn;

import java.util.Arrays;
import java.util.List;

/**
 * What a compute node asks the transaction node to commit.
 *
 * @param txnId      the client transaction id, unique per transaction; a retry with the same id is
 *                   answered with the first attempt's outcome
 * @param snapshotTs the commit timestamp the transaction started reading at
 * @param writes     the write set, at most one write per key
 * @param readTs     per write, the commit timestamp at which the transaction read the row it bases that
 *                   write on: the write conflicts with any commit of its key after it. A statement that
 *                   moved its read point (READ COMMITTED, or a locking read of the latest version) gives
 *                   its own; the snapshot otherwise
 */
public record CommitRequest(String txnId, long snapshotTs, List<Write> writes, long[] readTs) {
    /** Longest transaction id accepted. */
    public static final int MAX_TXN_ID = 64;

    public CommitRequest {
        if (txnId == null || txnId.isEmpty() || txnId.length() > MAX_TXN_ID) {
            throw new IllegalArgumentException("transaction id must be 1-" + MAX_TXN_ID + " characters");
        }
        writes = List.copyOf(writes);
        if (readTs.length != writes.size()) {
            throw new IllegalArgumentException(readTs.length + " read timestamps for " + writes.size() + " writes");
        }
        readTs = readTs.clone();
    }

    /** A request whose every write is based on the snapshot. */
    public CommitRequest(String txnId, long snapshotTs, List<Write> writes) {
        this(txnId, snapshotTs, writes, filled(writes.size(), snapshotTs));
    }

    private static long[] filled(int n, long ts) {
        long[] out = new long[n];
        Arrays.fill(out, ts);
        return out;
    }

    /** The read timestamp of write {@code i}. */
    public long readTs(int i) {
        return readTs[i];
    }

    @Override
    public long[] readTs() {
        return readTs.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommitRequest r && txnId.equals(r.txnId) && snapshotTs == r.snapshotTs
                && writes.equals(r.writes) && Arrays.equals(readTs, r.readTs);
    }

    @Override
    public int hashCode() {
        return txnId.hashCode() * 31 + Arrays.hashCode(readTs);
    }

    @Override
    public String toString() {
        return "CommitRequest[" + txnId + ", snapshot " + snapshotTs + ", " + writes.size() + " writes]";
    }
}
