package io.cairn.txn.node;

import io.cairn.txn.TransactionNodeBusyException;
import io.cairn.txn.record.CommitRecord;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Where a transaction node meets its {@link CheckpointScheduler}: the commits it reads are noted, the
 * driver's tick starts a checkpoint while active and drops what was noted while standby,
 * and commits are held back while checkpoints lag the memory budget. Every hook does nothing until
 * {@link #enable} (checkpoints are optional).
 *
 * <p>Threads: {@link #enable} before the node starts; {@link #onCommit}, {@link #tick}, {@link #standBy} on
 * the driver (which calls {@link #onCommit} under the node's lock); {@link #slowWhileLagging} on
 * committing threads; the pending counts on any thread.
 */
final class CheckpointHooks implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CheckpointHooks.class.getName());
    /** The longest one commit waits for checkpoints to catch up with the memory budget. */
    static final Duration THROTTLE_WAIT = Duration.ofSeconds(1);

    private final String id;
    private final Predicate<String> admitted;
    private CheckpointScheduler checkpoints;
    private long memtableBytes;
    private volatile boolean throttling;

    /**
     * @param id       this TN's name, for messages
     * @param admitted whether a commit of a transaction id is in flight or committed already
     */
    CheckpointHooks(String id, Predicate<String> admitted) {
        this.id = id;
        this.admitted = admitted;
    }

    /** Turns checkpoints on, with a memory budget of {@code memtableBytes}. Before the node starts. */
    void enable(CheckpointScheduler scheduler, long memtableBytes) {
        this.checkpoints = scheduler;
        this.memtableBytes = memtableBytes;
    }

    /** Notes a commit read from the log at {@code lsn}. */
    void onCommit(long lsn, CommitRecord record) {
        if (checkpoints != null) {
            checkpoints.onCommit(lsn, record);
        }
    }

    /** Lets a finished checkpoint go and starts the next under {@code epoch} when due. While active. */
    void tick(long epoch) {
        if (checkpoints != null) {
            checkpoints.tick(epoch);
        }
    }

    /** Stops noting commits and drops those noted (the next active TN reads them back from the log). While standby. */
    void standBy() {
        if (checkpoints != null) {
            checkpoints.standBy();
        }
    }

    /**
     * Back-pressure: while the changes not yet in a checkpoint take more than twice the memory budget
     * (object storage slower than the writers, or checkpoints failing), a commit waits up to
     * {@link #THROTTLE_WAIT} for a checkpoint to catch up, and is refused when none did
     * ({@link TransactionNodeBusyException}: not committed); the CN repeats a refused commit for up to a
     * minute, so writers wait instead of the heap running out. (Letting
     * each commit through after its wait held nobody back: four bulk writers grew the changes to 2.8
     * million on a TN whose checkpoints kept failing, until its server ran out of heap.)
     *
     * @param txnId the commit's transaction: a repeated call of one already admitted is not held back
     * @throws TransactionNodeBusyException the changes still take more than twice the budget
     */
    void slowWhileLagging(String txnId) {
        CheckpointScheduler scheduler = checkpoints;
        if (scheduler == null || scheduler.pendingBytes() <= 2 * memtableBytes) {
            if (throttling) {
                throttling = false;
                LOG.info("CAIRN0112I: checkpoints caught up; commits go at full speed again");
            }
            return;
        }
        if (admitted.test(txnId)) { // a repeated call of an admitted commit is answered, never held back
            return;
        }
        if (!throttling) {
            throttling = true;
            LOG.warning("CAIRN0111W: " + (scheduler.pendingBytes() >> 20) + " MiB of changes wait for a checkpoint "
                    + "(budget " + (memtableBytes >> 20) + " MiB, cairn.memtable.max): commits are held back until one "
                    + "catches up");
        }
        long deadline = System.nanoTime() + THROTTLE_WAIT.toNanos();
        try {
            while (scheduler.pendingBytes() > 2 * memtableBytes && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long pending = scheduler.pendingBytes();
        if (pending > 2 * memtableBytes) {
            throw new TransactionNodeBusyException("transaction node " + id + " holds "
                    + (pending >> 20) + " MiB of changes not yet in a checkpoint, more than twice its budget ("
                    + (memtableBytes >> 20) + " MiB, cairn.memtable.max); the commit was not made and may be tried again");
        }
    }

    /** About the heap of changes not yet in a checkpoint (noted, or being written); 0 without checkpoints. */
    long pendingBytes() {
        CheckpointScheduler scheduler = checkpoints;
        return scheduler == null ? 0 : scheduler.pendingBytes();
    }

    /** Keys changed in the log and not in a checkpoint as far as this TN knows; 0 without checkpoints. */
    int pendingKeys() {
        CheckpointScheduler scheduler = checkpoints;
        return scheduler == null ? 0 : scheduler.pendingKeys();
    }

    /** Stops the checkpoint thread, if any. */
    @Override
    public void close() {
        if (checkpoints != null) {
            checkpoints.close();
        }
    }
}
