package io.cairn.storage.impl;

import io.cairn.storage.CorruptObjectException;
import io.cairn.storage.impl.FanOut.Outcome;
import io.cairn.storage.impl.MetaQuorum.MetaView;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * A whole object read front to back ({@link ErasureCodedStore#open}). The records are read once, when it opens;
 * then each data shard is read a window of stripes at a time, one request per shard, into buffers the stream keeps
 * for the whole object, so that copying a large object neither re-reads its records per range nor allocates per
 * window. Every chunk is checked against its CRC, and the object against its CRC at the end. A window that a data
 * shard cannot give, or whose chunks fail their checks, is read as a ranged get reads it ({@link ShardReader#read}:
 * the other shards, decoding around the bad ones).
 *
 * <p>Not thread-safe: one reader. Reads throw the store's unchecked exceptions.
 */
final class ObjectStream extends InputStream {
    private static final Logger LOG = Logger.getLogger(ObjectStream.class.getName());
    /** Object bytes per window (whole stripes, at least one): what a ranged get of the backup used to ask. */
    private static final long WINDOW_BYTES = 4 << 20;

    private final StoreParts parts;
    private final ShardReader reader;
    private final MetaView view;
    private final ShardMeta meta;
    private final String name;
    private final int windowStripes;
    /** Per data shard, the window's bytes of that shard; dropped when a request for it failed (it may still write). */
    private final byte[][] shards;
    /** The window's object bytes, assembled from {@link #shards}. */
    private final byte[] assembled;
    private final CRC32C crc = new CRC32C();
    /** What {@link #read} hands out: {@link #assembled}, or what a fallback read returned. */
    private byte[] window = new byte[0];
    private int windowLength;
    private int at;
    /** The object offset of the next window. */
    private long next;

    ObjectStream(StoreParts parts, ShardReader reader, MetaView view) {
        this.parts = parts;
        this.reader = reader;
        this.view = view;
        this.meta = view.winner;
        this.name = ShardNames.shard(view.key);
        long stripeData = meta.stripeDataSize();
        this.windowStripes = (int) Math.min(Math.max(1, WINDOW_BYTES / stripeData), meta.stripes());
        this.shards = new byte[meta.k()][];
        this.assembled = new byte[(int) Math.min(windowStripes * stripeData, meta.size())];
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
        if (at == windowLength && !nextWindow()) {
            return -1;
        }
        int n = Math.min(len, windowLength - at);
        System.arraycopy(window, at, into, off, n);
        at += n;
        return n;
    }

    /** Reads the next window; false at the object's end (once its CRC is checked). */
    private boolean nextWindow() {
        if (next == meta.size()) {
            if ((int) crc.getValue() != meta.objectCrc()) {
                throw new CorruptObjectException(view.key, "object checksum mismatch after streaming");
            }
            return false;
        }
        long stripeData = meta.stripeDataSize();
        int first = (int) (next / stripeData);
        int last = Math.min(first + windowStripes, meta.stripes()) - 1;
        long length = Math.min((last - first + 1) * stripeData, meta.size() - next);
        if (readShards(first, last)) {
            assemble(first, last);
            window = assembled;
        } else {
            window = reader.read(view, next, length);
        }
        windowLength = (int) length;
        at = 0;
        crc.update(window, 0, windowLength);
        next += length;
        return true;
    }

    /** Reads stripes [first, last] of every data shard into {@link #shards}; false when one is missing or bad. */
    private boolean readShards(int first, int last) {
        int k = meta.k();
        int[] endpoints = new int[k];
        for (int j = 0; j < k; j++) {
            endpoints[j] = view.endpointOfShard[j];
            if (endpoints[j] < 0) {
                return false;
            }
        }
        long from = meta.encodedLength() + meta.shardOffset(first);
        int length = (int) (meta.shardOffset(last) + meta.chunkLength(last) - meta.shardOffset(first));
        for (int j = 0; j < k; j++) {
            if (shards[j] == null) {
                shards[j] = new byte[(int) Math.min((long) windowStripes * meta.chunkSize(), meta.shardLength())];
            }
        }
        Map<Integer, Outcome<Object>> res = parts.fanOut().call(endpoints, e -> {
            byte[] into = shards[shardOn(endpoints, e)];
            return () -> {
                parts.fanOut().endpoint(e).read(name, from, into, 0, length);
                return null;
            };
        });
        boolean whole = true;
        for (int j = 0; j < k; j++) {
            Outcome<Object> o = res.get(endpoints[j]);
            if (o == null || !o.ok()) {
                shards[j] = null; // a request that timed out may still write into it
                whole = false;
                continue;
            }
            for (int s = first; s <= last && whole; s++) {
                int off = (int) (meta.shardOffset(s) - meta.shardOffset(first));
                whole = ShardMeta.crc32c(shards[j], off, meta.chunkLength(s)) == meta.chunkCrc(s, j);
            }
        }
        if (!whole) {
            LOG.fine(() -> "stream " + view.key + ": stripes " + first + ".." + last + " read around a data shard");
        }
        return whole;
    }

    private static int shardOn(int[] endpoints, int endpoint) {
        for (int j = 0;; j++) {
            if (endpoints[j] == endpoint) {
                return j;
            }
        }
    }

    /** Lays the data chunks of stripes [first, last] out as object bytes in {@link #assembled}. */
    private void assemble(int first, int last) {
        long stripeData = meta.stripeDataSize();
        long windowStart = first * stripeData;
        for (int s = first; s <= last; s++) {
            int chunk = meta.chunkLength(s);
            long stripeStart = s * stripeData;
            long stripeEnd = stripeStart + meta.stripeLength(s);
            int inShard = (int) (meta.shardOffset(s) - meta.shardOffset(first));
            for (int j = 0; j < meta.k(); j++) {
                long chunkStart = stripeStart + (long) j * chunk;
                int bytes = (int) Math.min(chunk, stripeEnd - chunkStart);
                if (bytes > 0) {
                    System.arraycopy(shards[j], inShard, assembled, (int) (chunkStart - windowStart), bytes);
                }
            }
        }
    }
}
