package io.cairn.storage.impl;

import io.cairn.storage.CorruptObjectException;
import io.cairn.storage.impl.FanOut.Outcome;
import io.cairn.storage.impl.MetaQuorum.MetaView;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The gets of an {@link ErasureCodedStore}: reads the shard objects' records, the write id held by at least k
 * of them wins; a whole-object get reads the k data shards' objects whole (record and data in one request
 * each) and needs nothing else when their k records agree; a missing or corrupt chunk makes the reader fetch
 * the other shards of the affected stripes and decode. Ranged gets read only the stripes and chunks they
 * cover. Every chunk is CRC-checked; whole-object reads also check the object CRC.
 *
 * <p>Thread-safe: each get holds its own state.
 */
final class ShardReader {
    private static final Logger LOG = Logger.getLogger(ShardReader.class.getName());

    private final StoreParts parts;
    private final int n;
    private final int k;
    private final int m;
    /** Longest shard object (record and shard) of an object of {@code maxObjectSize} bytes. */
    private final int maxShardObject;

    ShardReader(StoreParts parts) {
        this.parts = parts;
        this.k = parts.k();
        this.m = parts.m();
        this.n = parts.n();
        long maxStripes = ShardMeta.stripes(parts.config().maxObjectSize(), k, parts.config().chunkSize());
        this.maxShardObject = (int) Math.min(Integer.MAX_VALUE - 16,
                maxStripes * parts.config().chunkSize() + ShardMeta.encodedLength((int) maxStripes * n));
    }

    /**
     * One endpoint's answer to a get: the start of its shard object (holding its record) and, for a data
     * shard's endpoint, the bytes of stripes [fromStripe, toStripe] of its shard, at {@code dataOffset} of
     * {@code data}.
     */
    record Prefetch(byte[] record, int shard, int fromStripe, int toStripe, byte[] data, int dataOffset) {
        static Prefetch recordOnly(byte[] record, int shard) {
            return new Prefetch(record, shard, -1, -1, null, 0);
        }
    }

    /**
     * A get in one round trip per endpoint. The k endpoints that hold data shards (by the key's rotation) each
     * read their shard object: a whole-object get reads it whole (record and shard in one request); a ranged
     * get reads its record and goes straight on to read the part of the shard the range needs, using the
     * layout of that record, without waiting for the others. If those k records name one write, it is the
     * winner (the other m endpoints cannot form a second group of k), so the parity endpoints are not asked
     * at all; otherwise, or when a shard must be decoded, their records are read too
     * ({@link MetaQuorum#complete}) and the quorum is decided over all n as in {@link MetaQuorum#readMetas}.
     * Prefetched bytes are used only when their endpoint holds a record of the winning write and they pass
     * their checksums; anything else is fetched again or decoded by {@link #read}.
     *
     * @param length the range's length, or -1 for the whole object
     */
    byte[] pipelinedRead(String key, long offset, long length) {
        String name = ShardNames.shard(key);
        ShardPlacement placement = ShardPlacement.of(key, n);
        int[] dataEndpoints = new int[k];
        for (int j = 0; j < k; j++) {
            dataEndpoints[j] = placement.endpointOf(j);
        }
        // The k data shards' endpoints first: when their k records agree, that write is the winner whatever the
        // other m say (no other write can reach k), so the parity endpoints are asked only when needed.
        Map<Integer, Outcome<Prefetch>> res = parts.fanOut().call(dataEndpoints, e -> () -> {
            Endpoint ep = parts.fanOut().endpoint(e);
            int shard = placement.shardOn(e);
            byte[] head = length < 0 ? ep.getPrefix(name, maxShardObject) : MetaQuorum.readRecord(ep, name);
            try {
                ShardMeta r = ShardMeta.decode(head);
                long len = length < 0 ? r.size() : length;
                int[] range = r.k() == k && r.m() == m && r.shardIndex() == shard && offset + len <= r.size()
                        ? shardRange(r, shard, offset, len) : null;
                if (range == null) {
                    return Prefetch.recordOnly(head, shard);
                }
                long from = r.encodedLength() + r.shardOffset(range[0]);
                long to = r.encodedLength() + r.shardOffset(range[1]) + r.chunkLength(range[1]);
                if (length < 0) {
                    // the whole shard object is here; a short one is judged by the chunk checks
                    return head.length >= to ? new Prefetch(head, shard, range[0], range[1], head, (int) from)
                            : Prefetch.recordOnly(head, shard);
                }
                byte[] data = ep.get(name, from, (int) (to - from));
                return new Prefetch(head, shard, range[0], range[1], data, 0);
            } catch (InterruptedIOException e2) {
                throw e2;
            } catch (IllegalArgumentException | IOException e2) {
                // The record is judged with the others below; the shard is read again (with retries) or decoded.
                LOG.fine(() -> "get " + key + ": prefetch from " + ep.name() + " failed: " + e2);
                return Prefetch.recordOnly(head, shard);
            }
        });
        Map<Integer, Outcome<byte[]>> records = new HashMap<>();
        res.forEach((e, o) -> records.put(e, o.ok() ? new Outcome<>(o.value().record(), null)
                : new Outcome<>(null, o.error())));
        MetaView v = parts.quorum().metaView(key, records);
        if (v.winner == null && v.count(v.notFound) <= m) {
            // (more than m "no such object" already rule out k records: not found, without asking the rest)
            parts.quorum().complete(v); // updates v in place
        }
        ShardMeta meta = v.require("get");
        long len = length < 0 ? meta.size() : length;
        if (offset + len > meta.size()) {
            throw new IllegalArgumentException("range " + offset + "+" + len + " beyond object size " + meta.size()
                    + ": " + key);
        }
        Map<Integer, Prefetch> usable = new HashMap<>();
        res.forEach((e, o) -> {
            if (o.ok() && o.value().data() != null && v.holdsWinner(e) && v.endpointOfShard[o.value().shard()] == e) {
                usable.put(e, o.value());
            }
        });
        // a whole-object get's window is laid out like the shard objects it read, so it can adopt them uncopied
        return read(key, v, offset, len, usable, length < 0 ? meta.encodedLength() : 0);
    }

    /**
     * The stripes [a, b] of data shard {@code j} that the range [offset, offset+length) touches, or null if
     * none. The one rule both the prefetch and {@link #read} use.
     */
    private static int[] shardRange(ShardMeta meta, int j, long offset, long length) {
        if (length == 0) {
            return null;
        }
        long sd = meta.stripeDataSize();
        int s0 = (int) (offset / sd);
        int s1 = (int) ((offset + length - 1) / sd);
        int a = -1;
        int b = -1;
        for (int s = s0; s <= s1; s++) {
            if (chunkNeeded(meta, s, j, offset, length)) {
                a = a < 0 ? s : a;
                b = s;
            }
        }
        return a < 0 ? null : new int[] {a, b};
    }

    /** Whether chunk {@code j} of stripe {@code s} holds bytes of the range. */
    private static boolean chunkNeeded(ShardMeta meta, int s, int j, long offset, long length) {
        int cl = meta.chunkLength(s);
        long base = s * meta.stripeDataSize();
        long cFrom = base + (long) j * cl;
        long cTo = Math.min(base + (long) (j + 1) * cl, base + meta.stripeLength(s));
        return cFrom < cTo && cFrom < offset + length && cTo > offset;
    }

    /**
     * Reads [offset, offset+length) of the winner of {@code v} (records read already, as an {@link ObjectStream}
     * holds them), decoding around missing or damaged chunks.
     */
    byte[] read(MetaView v, long offset, long length) {
        return read(v.key, v, offset, length, Map.of(), 0);
    }

    /**
     * Reads [offset, offset+length) of the winner of {@code v}; {@code prefetched} (by endpoint) holds data
     * already read from endpoints holding the winner's records, installed (and checksum-checked) first;
     * {@code lead} is the window's {@link StripeWindow#lead}.
     */
    private byte[] read(String key, MetaView v, long offset, long length, Map<Integer, Prefetch> prefetched,
                        int lead) {
        ShardMeta meta = v.winner;
        byte[] out = new byte[Math.toIntExact(length)];
        if (length == 0) {
            return out;
        }
        long sd = meta.stripeDataSize();
        int s0 = (int) (offset / sd);
        int s1 = (int) ((offset + length - 1) / sd);
        StripeWindow w = new StripeWindow(parts.fanOut(), parts.codec(), key, v, s0, s1, lead);
        // Which data chunks does the range touch?
        boolean[][] needed = new boolean[s1 - s0 + 1][k];
        for (int s = s0; s <= s1; s++) {
            for (int j = 0; j < k; j++) {
                needed[s - s0][j] = chunkNeeded(meta, s, j, offset, length);
            }
        }
        // Round 1: the needed data chunks, unless prefetched with the records.
        Map<Integer, int[]> round1 = new HashMap<>();
        for (int j = 0; j < k; j++) {
            int[] range = shardRange(meta, j, offset, length);
            if (range == null) {
                continue;
            }
            int e = v.endpointOfShard[j];
            Prefetch pre = e < 0 ? null : prefetched.get(e);
            if (pre != null && pre.shard() == j && pre.fromStripe() == range[0] && pre.toStripe() == range[1]) {
                w.install(j, e, range[0], range[1], pre.data(), pre.dataOffset());
            } else {
                round1.put(j, range);
            }
        }
        w.fetch(round1);
        // Round 2: every other shard over the stripes that lack a needed chunk.
        int badFrom = -1;
        int badTo = -1;
        for (int s = s0; s <= s1; s++) {
            for (int j = 0; j < k; j++) {
                if (needed[s - s0][j] && !w.valid[s - s0][j]) {
                    badFrom = badFrom < 0 ? s : badFrom;
                    badTo = s;
                }
            }
        }
        if (badFrom >= 0) {
            parts.quorum().complete(v); // round 2 needs to know where the parity shards are
            Map<Integer, int[]> round2 = new HashMap<>();
            for (int i = 0; i < n; i++) {
                int a = -1;
                int b = -1;
                for (int s = badFrom; s <= badTo; s++) {
                    if (!w.fetched[s - s0][i]) {
                        a = a < 0 ? s : a;
                        b = s;
                    }
                }
                if (a >= 0) {
                    round2.put(i, new int[] {a, b});
                }
            }
            w.fetch(round2);
            for (int s = badFrom; s <= badTo; s++) {
                boolean missing = false;
                for (int j = 0; j < k; j++) {
                    missing |= needed[s - s0][j] && !w.valid[s - s0][j];
                }
                if (missing) {
                    w.decode(s);
                }
            }
        }
        // Assemble.
        for (int s = s0; s <= s1; s++) {
            int cl = meta.chunkLength(s);
            long base = s * sd;
            int winOff = (int) (meta.shardOffset(s) - meta.shardOffset(s0));
            for (int j = 0; j < k; j++) {
                if (!needed[s - s0][j]) {
                    continue;
                }
                long cFrom = base + (long) j * cl;
                long cTo = Math.min(cFrom + cl, base + meta.stripeLength(s));
                long from = Math.max(cFrom, offset);
                long to = Math.min(cTo, offset + length);
                System.arraycopy(w.buf[j], lead + winOff + (int) (from - cFrom), out, (int) (from - offset),
                        (int) (to - from));
            }
        }
        if (offset == 0 && length == meta.size() && ShardMeta.crc32c(out, 0, out.length) != meta.objectCrc()) {
            throw new CorruptObjectException(key, "object checksum mismatch after reassembly");
        }
        return out;
    }
}
