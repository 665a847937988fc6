package io.cairn.storage.impl;

import io.cairn.storage.CorruptObjectException;
import io.cairn.storage.StorageUnavailableException;
import io.cairn.storage.impl.FanOut.Outcome;
import io.cairn.storage.impl.MetaQuorum.MetaView;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Shard bytes of stripes [s0, s1] of every shard of the winning write of a {@link MetaView}, with per-chunk
 * validity. Each shard's bytes sit at {@link #lead} of its buffer: room for a record in front, so that a buffer
 * can be a whole shard object (one read whole by a get, adopted uncopied; one rebuilt by heal, written with its
 * record). Used by {@link ShardReader} and {@link ShardHealer}.
 *
 * <p>Not thread-safe: one per read or heal.
 */
final class StripeWindow {
    private static final Logger LOG = Logger.getLogger(StripeWindow.class.getName());

    private final FanOut fanOut;
    private final ReedSolomon codec;
    private final int n;
    private final int k;
    private final String key;
    private final MetaView v;
    private final ShardMeta meta;
    private final int s0;
    private final long winStart;
    private final int winLen;
    final int lead;
    final byte[][] buf;
    final boolean[][] fetched;
    final boolean[][] valid;
    /** per shard: fetch failed because the endpoint did not answer (vs. answered with bad/missing data) */
    final boolean[] unreachable;
    private IOException lastError;

    StripeWindow(FanOut fanOut, ReedSolomon codec, String key, MetaView v, int s0, int s1, int lead) {
        this.fanOut = fanOut;
        this.codec = codec;
        this.key = key;
        this.lead = lead;
        this.v = v;
        this.meta = v.winner;
        this.n = meta.shards(); // the store's k+m: the quorum only elects records of its layout
        this.k = meta.k();
        this.s0 = s0;
        this.winStart = meta.shardOffset(s0);
        this.winLen = (int) (meta.shardOffset(s1) + meta.chunkLength(s1) - winStart);
        this.buf = new byte[n][];
        this.fetched = new boolean[s1 - s0 + 1][n];
        this.valid = new boolean[s1 - s0 + 1][n];
        this.unreachable = new boolean[n];
    }

    /** Fetches, per shard, the stripe range [a, b] given, and checks the chunks. */
    void fetch(Map<Integer, int[]> ranges) {
        String name = ShardNames.shard(key);
        int head = meta.encodedLength();
        Map<Integer, int[]> byEndpoint = new HashMap<>();
        ranges.forEach((shard, r) -> {
            for (int s = r[0]; s <= r[1]; s++) {
                fetched[s - s0][shard] = true;
            }
            int e = v.endpointOfShard[shard];
            if (e >= 0) {
                byEndpoint.put(e, new int[] {shard, r[0], r[1]});
            }
        });
        int[] targets = byEndpoint.keySet().stream().mapToInt(Integer::intValue).toArray();
        Map<Integer, Outcome<byte[]>> res = fanOut.call(targets, e -> () -> {
            int[] r = byEndpoint.get(e);
            long from = meta.shardOffset(r[1]);
            long to = meta.shardOffset(r[2]) + meta.chunkLength(r[2]);
            return fanOut.endpoint(e).get(name, head + from, (int) (to - from));
        });
        res.forEach((e, o) -> {
            int[] r = byEndpoint.get(e);
            int shard = r[0];
            if (!o.ok()) {
                if (!o.notFound()) {
                    unreachable[shard] = true;
                    lastError = o.error();
                }
                LOG.fine(() -> "read " + key + " shard " + shard + " from " + fanOut.endpoint(e).name() + ": "
                        + o.error());
                return;
            }
            install(shard, e, r[1], r[2], o.value(), 0);
        });
    }

    /**
     * Puts the bytes of stripes [a, b] of {@code shard}, read from endpoint {@code e} and found at
     * {@code from} of {@code bytes}, in place and checks them.
     */
    void install(int shard, int e, int a, int b, byte[] bytes, int from) {
        for (int s = a; s <= b; s++) {
            fetched[s - s0][shard] = true;
        }
        int at = (int) (meta.shardOffset(a) - winStart);
        int len = (int) (meta.shardOffset(b) + meta.chunkLength(b) - meta.shardOffset(a));
        if (buf[shard] == null && at == 0 && from == lead && len == winLen && bytes.length == lead + winLen) {
            buf[shard] = bytes; // the whole window, laid out as ours: adopt it (the caller no longer uses it)
        } else {
            if (buf[shard] == null) {
                buf[shard] = new byte[lead + winLen];
            }
            System.arraycopy(bytes, from, buf[shard], lead + at, len);
        }
        for (int s = a; s <= b; s++) {
            int off = lead + (int) (meta.shardOffset(s) - winStart);
            boolean ok = ShardMeta.crc32c(buf[shard], off, meta.chunkLength(s)) == meta.chunkCrc(s, shard);
            valid[s - s0][shard] = ok;
            if (!ok) {
                int stripe = s;
                LOG.warning(() -> "bitrot: " + key + " shard " + shard + " stripe " + stripe + " on "
                        + fanOut.endpoint(e).name() + " failed its checksum; reading around it (heal to repair)");
            }
        }
    }

    /** Rebuilds stripe s from any k valid chunks. */
    void decode(int s) {
        boolean[] present = valid[s - s0].clone();
        int have = 0;
        for (boolean p : present) {
            have += p ? 1 : 0;
        }
        if (have < k) {
            if (have + unreachableCount(present) >= k) {
                throw new StorageUnavailableException("get " + key, have, k, lastError);
            }
            throw new CorruptObjectException(key, "stripe " + s + ": only " + have + " intact shards, " + k
                    + " needed");
        }
        for (int i = 0; i < n; i++) {
            if (buf[i] == null) {
                buf[i] = new byte[lead + winLen];
            }
        }
        codec.reconstruct(buf, present, lead + (int) (meta.shardOffset(s) - winStart), meta.chunkLength(s));
        for (int i = 0; i < n; i++) {
            valid[s - s0][i] = true;
        }
    }

    private int unreachableCount(boolean[] present) {
        int c = 0;
        for (int i = 0; i < n; i++) {
            c += !present[i] && unreachable[i] ? 1 : 0;
        }
        // endpoints whose metadata could not be read may hold shards too
        c += v.count(v.failed);
        return c;
    }
}
