package io.cairn.storage;

import java.io.InputStream;
import java.util.Objects;

/**
 * An object read front to back in ranged gets of a window each: {@link ObjectStore#open}'s default, for stores that
 * read ranges without per-range overhead worth avoiding (an in-memory store). Not thread-safe: one reader.
 */
final class RangedInputStream extends InputStream {
    private static final int WINDOW = 4 << 20;

    private final ObjectStore store;
    private final String key;
    private final long size;
    private byte[] bytes = new byte[0];
    private int at;
    private long next;

    RangedInputStream(ObjectStore store, String key, long size) {
        this.store = store;
        this.key = key;
        this.size = size;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] into, int off, int len) {
        Objects.checkFromIndexSize(off, len, into.length);
        if (len == 0) {
            return 0;
        }
        if (at == bytes.length) {
            if (next == size) {
                return -1;
            }
            bytes = store.get(key, next, (int) Math.min(WINDOW, size - next));
            next += bytes.length;
            at = 0;
        }
        int n = Math.min(len, bytes.length - at);
        System.arraycopy(bytes, at, into, off, n);
        at += n;
        return n;
    }
}
