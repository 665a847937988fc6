package io.cairn.txn.testing;

import io.cairn.log.Lease;
import io.cairn.log.LogBatch;
import io.cairn.log.LogEntry;
import io.cairn.log.LogException;
import io.cairn.log.LogService;
import io.cairn.log.LogTruncatedException;
import io.cairn.log.LogUnavailableException;
import io.cairn.log.StaleEpochException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link LogService} in memory, with the same fencing rules as the Raft log, for unit tests of
 * the TN and the CN (CONVENTIONS #6). One "peer"; every append is committed at once. Tests can
 * make it unavailable to see how callers behave without a majority.
 */
public final class InMemoryLog implements LogService {
    private final List<LogEntry> entries = new ArrayList<>();
    private long nextLsn = 1;
    private long truncatedBefore = 0; // nothing truncated: a read from any LSN works, as on a Raft log
    private Lease lease = Lease.NONE;
    private boolean unavailable;
    private boolean loseNextAnswer;
    private boolean holdAppends;

    /** While set, every call fails with {@link LogUnavailableException}, as without a majority. */
    public synchronized void setUnavailable(boolean unavailable) {
        this.unavailable = unavailable;
        notifyAll();
    }

    /**
     * The next data append is committed but its caller gets {@link LogUnavailableException}, as
     * when the answer is lost on the way back: the caller cannot know that it committed.
     */
    public synchronized void loseNextAppendAnswer() {
        loseNextAnswer = true;
    }

    /** While held, data appends wait (as for a slow majority); releasing lets them through in order. */
    public synchronized void holdAppends(boolean hold) {
        holdAppends = hold;
        notifyAll();
    }

    private void checkAvailable() {
        if (unavailable) {
            throw new LogUnavailableException("in-memory log made unavailable by the test");
        }
    }

    @Override
    public synchronized long append(long epoch, List<byte[]> records) {
        while (holdAppends) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LogUnavailableException("interrupted while appends were held (test)");
            }
        }
        checkAvailable();
        long bytes = 0;
        for (byte[] r : records) {
            bytes += 4 + r.length;
        }
        if (bytes > MAX_APPEND_BYTES) { // as the Raft log refuses it
            throw new IllegalArgumentException("an append of " + bytes + " record bytes exceeds " + MAX_APPEND_BYTES);
        }
        if (epoch != NO_EPOCH && epoch < lease.epoch()) {
            refuse();
            throw new StaleEpochException(epoch, lease.epoch());
        }
        long lsn = nextLsn++;
        entries.add(new LogEntry(lsn, LogEntry.Kind.DATA, epoch, null, List.copyOf(records)));
        notifyAll();
        if (loseNextAnswer) {
            loseNextAnswer = false;
            throw new LogUnavailableException("the answer to append " + lsn + " was lost (test)");
        }
        return lsn;
    }

    /**
     * A refused entry still takes a log index, as in Raft, and is applied (invisibly): a tail waiting in
     * {@link #awaitCommitted} wakes for it as it would on a peer.
     */
    private void refuse() {
        nextLsn++;
        notifyAll();
    }

    @Override
    public CompletableFuture<Long> appendAsync(long epoch, List<byte[]> records) {
        try {
            return CompletableFuture.completedFuture(append(epoch, records));
        } catch (LogException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public synchronized long appendLease(long epoch, String holder, byte[] payload) {
        checkAvailable();
        boolean renewal = epoch == lease.epoch() && Objects.equals(holder, lease.holder());
        if (epoch < lease.epoch() || (epoch == lease.epoch() && !renewal)) {
            refuse();
            throw new StaleEpochException(epoch, lease.epoch());
        }
        long lsn = nextLsn++;
        lease = new Lease(epoch, holder, lsn);
        entries.add(new LogEntry(lsn, LogEntry.Kind.LEASE, epoch, holder, List.of(payload)));
        notifyAll();
        return lsn;
    }

    @Override
    public synchronized LogBatch read(long fromLsn, int maxBytes) {
        checkAvailable();
        if (fromLsn < truncatedBefore) {
            throw new LogTruncatedException(fromLsn, truncatedBefore);
        }
        List<LogEntry> out = new ArrayList<>();
        long bytes = 0;
        long next = fromLsn;
        for (LogEntry entry : entries) {
            if (entry.lsn() < fromLsn) {
                continue;
            }
            if (!out.isEmpty() && bytes + entry.byteSize() > maxBytes) {
                break;
            }
            out.add(entry);
            bytes += entry.byteSize();
            next = entry.lsn() + 1;
        }
        if (out.isEmpty()) {
            next = Math.max(fromLsn, nextLsn);
        }
        return new LogBatch(out, next);
    }

    @Override
    public synchronized long awaitCommitted(long afterLsn, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (nextLsn - 1 <= afterLsn) {
            checkAvailable();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return nextLsn - 1;
    }

    @Override
    public synchronized long commitIndex() {
        checkAvailable();
        return nextLsn - 1;
    }

    @Override
    public synchronized Lease currentLease() {
        checkAvailable();
        return lease;
    }

    @Override
    public synchronized long truncateBefore(long lsn) {
        checkAvailable();
        if (lsn > truncatedBefore) {
            truncatedBefore = lsn;
            entries.removeIf(e -> e.lsn() < lsn);
        }
        return truncatedBefore;
    }

    @Override
    public void close() {
        // nothing to release
    }
}
