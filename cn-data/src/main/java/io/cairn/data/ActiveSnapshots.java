package io.cairn.data;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The snapshots of this CN's open transactions, so that the store keeps every version one of them
 * may still read ({@link #oldest}). A transaction registers before it reads its snapshot timestamp,
 * with a floor no higher than that timestamp: a pruning pass that misses the registration started
 * before it and cannot have passed the snapshot. Thread-safe.
 */
final class ActiveSnapshots {
    /** One open transaction's snapshot; only raised, then released once. */
    final class Entry {
        private volatile long ts;

        private Entry(long ts) {
            this.ts = ts;
        }

        /** The snapshot moved forward (READ COMMITTED statements). */
        void raise(long snapshotTs) {
            ts = Math.max(ts, snapshotTs);
        }

        /** The transaction is over. */
        void release() {
            entries.remove(this);
        }
    }

    private final Set<Entry> entries = ConcurrentHashMap.newKeySet();

    /** Registers a transaction whose snapshot will be at least {@code floor}. */
    Entry register(long floor) {
        Entry e = new Entry(floor);
        entries.add(e);
        return e;
    }

    /** How many transactions are open. */
    int size() {
        return entries.size();
    }

    /** The oldest registered snapshot, or {@code ifNone} when no transaction is open. */
    long oldest(long ifNone) {
        long min = ifNone;
        for (Entry e : entries) {
            min = Math.min(min, e.ts);
        }
        return min;
    }
}
