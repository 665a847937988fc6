package io.cairn.txn.node;

import io.cairn.txn.Key;

/**
 * Keys with their last commit timestamp (always positive), in an open-addressing hash table: two parallel
 * arrays where a {@link java.util.HashMap} took a node and a boxed {@code Long} per entry. The conflict
 * window puts and removes a bulk load's keys by the hundred thousand a second; with a HashMap those were
 * about a tenth of the load's CPU, besides their garbage.
 *
 * <p>Linear probing with Fibonacci hashing; a removal moves the later entries of its run back into the hole
 * (no tombstones), so a lookup ends at the first empty slot. The table doubles past half full and halves
 * below an eighth. Each slot keeps its key's hash too: probing, moving entries and resizing then compare and
 * place them without reading the key objects, scattered over the heap (resizing alone was a third of a standby
 * TN's conflict-window time in a bulk load, which grows the table from empty to millions of keys).
 *
 * <p>Not thread-safe.
 */
final class KeyTimestamps {
    private static final int MIN_CAPACITY = 16;

    private Key[] keys;
    private int[] hashes;
    private long[] timestamps;
    /** 32 minus log2 of the capacity: a hash's top bits pick the slot. */
    private int shift;
    private int size;

    KeyTimestamps() {
        allocate(MIN_CAPACITY);
    }

    /** The timestamp of {@code key}, or 0 when it has none. */
    long get(Key key) {
        int mask = keys.length - 1;
        int hash = key.hashCode();
        for (int i = slot(hash); ; i = (i + 1) & mask) {
            Key k = keys[i];
            if (k == null) {
                return 0;
            }
            if (hashes[i] == hash && k.equals(key)) {
                return timestamps[i];
            }
        }
    }

    /** Sets the timestamp of {@code key}. */
    void put(Key key, long ts) {
        if (ts <= 0) {
            throw new IllegalArgumentException("a commit timestamp is positive, not " + ts);
        }
        if ((size + 1) * 2 > keys.length) {
            resize(keys.length * 2);
        }
        int mask = keys.length - 1;
        int hash = key.hashCode();
        int i = slot(hash);
        while (keys[i] != null) {
            if (hashes[i] == hash && keys[i].equals(key)) {
                timestamps[i] = ts;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        hashes[i] = hash;
        timestamps[i] = ts;
        size++;
    }

    /** Removes {@code key} if its timestamp is still {@code ts} (a later commit of it keeps it). */
    void remove(Key key, long ts) {
        int mask = keys.length - 1;
        int hash = key.hashCode();
        int hole = slot(hash);
        while (true) {
            Key k = keys[hole];
            if (k == null) {
                return;
            }
            if (hashes[hole] == hash && k.equals(key)) {
                break;
            }
            hole = (hole + 1) & mask;
        }
        if (timestamps[hole] != ts) {
            return;
        }
        for (int j = (hole + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
            int home = slot(hashes[j]);
            if (((j - home) & mask) >= ((j - hole) & mask)) { // the hole lies on the way from its home to j
                keys[hole] = keys[j];
                hashes[hole] = hashes[j];
                timestamps[hole] = timestamps[j];
                hole = j;
            }
        }
        keys[hole] = null;
        timestamps[hole] = 0;
        size--;
        if (keys.length > MIN_CAPACITY && size * 8 < keys.length) {
            resize(keys.length / 2);
        }
    }

    int size() {
        return size;
    }

    private int slot(int hash) {
        return (hash * 0x9E3779B9) >>> shift;
    }

    private void allocate(int capacity) {
        keys = new Key[capacity];
        hashes = new int[capacity];
        timestamps = new long[capacity];
        shift = 32 - Integer.numberOfTrailingZeros(capacity);
    }

    private void resize(int capacity) {
        Key[] oldKeys = keys;
        int[] oldHashes = hashes;
        long[] oldTimestamps = timestamps;
        allocate(capacity);
        int mask = capacity - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                int j = slot(oldHashes[i]);
                while (keys[j] != null) {
                    j = (j + 1) & mask;
                }
                keys[j] = oldKeys[i];
                hashes[j] = oldHashes[i];
                timestamps[j] = oldTimestamps[i];
            }
        }
    }
}
