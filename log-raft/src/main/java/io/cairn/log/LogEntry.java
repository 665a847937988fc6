package io.cairn.log;

import java.util.List;

/**
 * One committed, visible entry of the log.
 *
 * @param lsn the log sequence number: the Raft log index of the entry. LSNs grow strictly but are
 *        not contiguous (Raft also logs configuration and leader no-op entries, and rejected
 *        entries are skipped).
 * @param kind whether the entry carries data records or a lease
 * @param epoch the epoch the writer presented; {@link LogService#NO_EPOCH} for unconditional data
 * @param holder the lease holder for a {@link Kind#LEASE} entry, {@code null} for data
 * @param records the data records in append order (several appenders' records when group commit
 *        merged them); for a lease, a single element holding the lease payload
 */
public record LogEntry(long lsn, Kind kind, long epoch, String holder, List<byte[]> records) {

    public enum Kind { DATA, LEASE }

    public LogEntry {
        records = List.copyOf(records);
    }

    /** Total size of the records in bytes. */
    public long byteSize() {
        long n = 0;
        for (byte[] r : records) {
            n += r.length;
        }
        return n;
    }
}
