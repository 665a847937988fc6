package io.cairn.txn.backup;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How far a backup is, read by other threads while it runs (the admin API, the console's progress bar):
 * objects and bytes done of those to do, and how many of them were in the target already.
 */
public final class BackupProgress {
    private final AtomicLong objectsTotal = new AtomicLong();
    private final AtomicLong objectsDone = new AtomicLong();
    private final AtomicLong objectsSkipped = new AtomicLong();
    private final AtomicLong bytesTotal = new AtomicLong();
    private final AtomicLong bytesDone = new AtomicLong();
    private final AtomicLong bytesCopied = new AtomicLong();

    /** One moment of it. {@code objectsSkipped} were stored by an earlier backup and not copied again. */
    public record Snapshot(long objectsDone, long objectsTotal, long objectsSkipped, long bytesDone, long bytesTotal,
            long bytesCopied) {
    }

    void plan(long objects, long bytes) {
        objectsTotal.set(objects);
        bytesTotal.set(bytes);
        objectsDone.set(0);
        objectsSkipped.set(0);
        bytesDone.set(0);
        bytesCopied.set(0);
    }

    void copied(long bytes) {
        bytesCopied.addAndGet(bytes);
        bytesDone.addAndGet(bytes);
        objectsDone.incrementAndGet();
    }

    void skipped(long bytes) {
        objectsSkipped.incrementAndGet();
        bytesDone.addAndGet(bytes);
        objectsDone.incrementAndGet();
    }

    public Snapshot snapshot() {
        return new Snapshot(objectsDone.get(), objectsTotal.get(), objectsSkipped.get(), bytesDone.get(),
                bytesTotal.get(), bytesCopied.get());
    }
}
