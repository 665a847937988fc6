package io.cairn.txn.backup;

import io.cairn.log.LogBatch;
import io.cairn.log.LogEntry;
import io.cairn.log.LogService;
import io.cairn.txn.node.CheckpointRestore.LoggedCommit;
import io.cairn.txn.record.CommitRecord;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The commits of a log range as a backup stores them: {@code CAIRNLT1}, then per commit record its LSN
 * (i64), its length (i32) and its bytes, in log order. Leases and other records are left out: a restore
 * rebuilds data, and a fresh cluster has leases of its own.
 */
final class LogTail {
    private static final byte[] MAGIC = "CAIRNLT1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int READ_BYTES = 4 << 20;
    /** How long a copy waits for this server's peer to apply what the leader committed. */
    private static final Duration APPLY_WAIT = Duration.ofSeconds(30);

    /**
     * What {@link #copy} wrote: {@code commits} records, the first and last at LSNs {@code firstLsn} and
     * {@code lastLsn} (0 without any), the last one's timestamp and transaction; the copy examined the log up
     * to {@code scannedTo}.
     */
    record Copied(long commits, long firstLsn, long lastLsn, long lastTs, String lastTxnId, long scannedTo) {
    }

    private LogTail() {
    }

    /**
     * Writes the commit records of the log's entries {@code fromLsn..toLsn} to {@code out}.
     *
     * @throws io.cairn.log.LogTruncatedException the log no longer holds {@code fromLsn}
     */
    static Copied copy(LogService log, long fromLsn, long toLsn, OutputStream out) throws IOException {
        return copy(log, fromLsn, toLsn, Long.MAX_VALUE, out);
    }

    /**
     * As {@link #copy(LogService, long, long, OutputStream)}, stopping after the log entry that takes the
     * records written past {@code maxBytes}.
     */
    static Copied copy(LogService log, long fromLsn, long toLsn, long maxBytes, OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.write(MAGIC);
        long commits = 0;
        long firstLsn = 0;
        long lastLsn = 0;
        long lastTs = 0;
        String lastTxnId = null;
        long next = fromLsn;
        long scannedTo = fromLsn - 1;
        long deadline = System.nanoTime() + APPLY_WAIT.toNanos();
        while (next <= toLsn && data.size() < maxBytes) {
            LogBatch batch = log.read(next, READ_BYTES);
            if (batch.entries().isEmpty() && batch.nextLsn() <= next) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("this server's log peer has not applied LSN " + next + " within " + APPLY_WAIT);
                }
                log.awaitCommitted(next - 1, Duration.ofSeconds(1)); // this peer has not applied it yet
                continue;
            }
            boolean full = false;
            for (LogEntry entry : batch.entries()) {
                if (entry.lsn() > toLsn) {
                    break;
                }
                if (data.size() >= maxBytes) {
                    full = true;
                    break;
                }
                scannedTo = entry.lsn();
                if (entry.kind() != LogEntry.Kind.DATA) {
                    continue;
                }
                for (byte[] record : entry.records()) {
                    if (CommitRecord.isCommitRecord(record)) {
                        data.writeLong(entry.lsn());
                        data.writeInt(record.length);
                        data.write(record);
                        CommitRecord commit = CommitRecord.decode(record);
                        commits++;
                        firstLsn = firstLsn == 0 ? entry.lsn() : firstLsn;
                        lastLsn = entry.lsn();
                        lastTs = Math.max(lastTs, commit.commitTs());
                        lastTxnId = commit.txnId();
                    }
                }
            }
            if (full) {
                break;
            }
            // the batch examined everything before its nextLsn (invisible entries too)
            scannedTo = Math.max(scannedTo, Math.min(batch.nextLsn() - 1, toLsn));
            next = scannedTo + 1;
        }
        data.flush();
        return new Copied(commits, firstLsn, lastLsn, lastTs, lastTxnId, scannedTo);
    }

    /** The commits of a stored tail, read one at a time; closing the stream is the caller's. */
    static Iterator<LoggedCommit> read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        byte[] magic = data.readNBytes(MAGIC.length);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a Cairn log tail");
        }
        return new Iterator<>() {
            private LoggedCommit next = advance();

            private LoggedCommit advance() {
                try {
                    long lsn;
                    try {
                        lsn = data.readLong();
                    } catch (EOFException end) {
                        return null;
                    }
                    int length = data.readInt();
                    if (length <= 0 || length > LogService.MAX_APPEND_BYTES) {
                        throw new IOException("bad record length " + length + " at LSN " + lsn);
                    }
                    return new LoggedCommit(lsn, CommitRecord.decode(data.readNBytes(length)));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the backup's log tail", e);
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public LoggedCommit next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                LoggedCommit current = next;
                next = advance();
                return current;
            }
        };
    }
}
