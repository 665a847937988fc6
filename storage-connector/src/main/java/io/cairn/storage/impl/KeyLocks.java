package io.cairn.storage.impl;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises the puts, deletes and heals of one key within this process: a fixed set of locks, a key taking
 * the one its hash picks (keys that share a lock wait for each other, which is harmless).
 */
final class KeyLocks {
    private static final int KEY_LOCKS = 64;

    private final ReentrantLock[] locks = new ReentrantLock[KEY_LOCKS];

    KeyLocks() {
        for (int i = 0; i < KEY_LOCKS; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** Takes the key's lock, waiting for it; the caller unlocks what this returns. */
    ReentrantLock lock(String key) {
        ReentrantLock l = locks[Math.floorMod(key.hashCode(), KEY_LOCKS)];
        l.lock();
        return l;
    }
}
