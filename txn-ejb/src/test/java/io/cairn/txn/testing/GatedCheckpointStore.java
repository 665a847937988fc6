package io.cairn.txn.testing;

import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slow object storage, as slow as the test wants: while the gate is closed, every put of a
 * checkpoint segment waits (up to a minute) until the test opens it. Listings can be made to fail, as when
 * storage cannot be reached. Everything else passes through.
 */
public final class GatedCheckpointStore implements CheckpointStore {
    private final CheckpointStore store;
    private final CountDownLatch gate = new CountDownLatch(1);
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger passed = new AtomicInteger();
    private final AtomicInteger refusedListings = new AtomicInteger();
    private volatile boolean failListings;

    public GatedCheckpointStore(CheckpointStore store) {
        this.store = store;
    }

    /** Lets every held and later segment put through. */
    public void open() {
        gate.countDown();
    }

    /** Segment puts held at the gate now. */
    public int waiting() {
        return waiting.get();
    }

    /** Segment puts that went through the gate and completed. */
    public int passed() {
        return passed.get();
    }

    @Override
    public void put(String key, byte[] bytes) {
        if (key.startsWith(Manifest.SEGMENT_PREFIX)) {
            waiting.incrementAndGet();
            try {
                if (!gate.await(1, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("the test never opened the gate for " + key);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at the gate: " + key, e);
            } finally {
                waiting.decrementAndGet();
            }
            store.put(key, bytes);
            passed.incrementAndGet();
            return;
        }
        store.put(key, bytes);
    }

    @Override
    public byte[] get(String key) {
        return store.get(key);
    }

    /** While set, every listing fails (the latest manifest cannot be found). */
    public void failListings(boolean fail) {
        failListings = fail;
    }

    /** Listings that failed. */
    public int refusedListings() {
        return refusedListings.get();
    }

    @Override
    public List<String> list(String prefix) {
        if (failListings) {
            refusedListings.incrementAndGet();
            throw new IllegalStateException("storage made unreachable by the test");
        }
        return store.list(prefix);
    }

    @Override
    public void delete(String key) {
        store.delete(key);
    }
}
