package io.cairn.storage.impl;

import io.cairn.storage.CorruptObjectException;
import io.cairn.storage.ObjectNotFoundException;
import io.cairn.storage.StorageUnavailableException;
import io.cairn.storage.impl.FanOut.Outcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.IntStream;

/**
 * Reads the metadata records of a key's shard objects ({@link ShardMeta}, at the head of each) and decides by
 * quorum which write they hold: the write whose record at least k endpoints carry wins ({@link MetaView}).
 * Also counts on how many endpoints each shard object name appears, which is how keys are listed.
 *
 * <p>Thread-safe: every call reads afresh.
 */
final class MetaQuorum {
    private static final Logger LOG = Logger.getLogger(MetaQuorum.class.getName());
    /** Bytes read to find a shard object's record: the whole record of objects of up to ~170 stripes (4+2). */
    static final int RECORD_PROBE = 4096;

    private final FanOut fanOut;
    private final int n;
    private final int k;
    private final int m;

    MetaQuorum(FanOut fanOut, int k, int m) {
        this.fanOut = fanOut;
        this.k = k;
        this.m = m;
        this.n = k + m;
    }

    /** What the endpoints' metadata records say about a key. */
    final class MetaView {
        final String key;
        /** per endpoint: the decoded record, or null */
        final ShardMeta[] records = new ShardMeta[n];
        final boolean[] notFound = new boolean[n];
        final boolean[] corrupt = new boolean[n];
        final boolean[] failed = new boolean[n];
        IOException lastError;
        /** the winning write, or null */
        ShardMeta winner;
        /** per shard index: endpoint holding the winner's record for it, or -1 */
        final int[] endpointOfShard = new int[n];
        int winnerCount;
        /** true when only some endpoints were asked (a get's fast path); {@link #complete} asks the rest */
        boolean partial;

        MetaView(String key) {
            this.key = key;
            Arrays.fill(endpointOfShard, -1);
        }

        int count(boolean[] flags) {
            int c = 0;
            for (boolean b : flags) {
                c += b ? 1 : 0;
            }
            return c;
        }

        boolean holdsWinner(int endpoint) {
            return winner != null && records[endpoint] != null && records[endpoint].sameWrite(winner);
        }

        /** Throws the right exception when there is no committed object. */
        ShardMeta require(String op) {
            if (winner != null) {
                return winner;
            }
            if (count(notFound) > m) {
                throw new ObjectNotFoundException(key);
            }
            int unknown = count(failed);
            if (winnerCount + unknown >= k) {
                throw new StorageUnavailableException(op + " " + key, n - unknown, k, lastError);
            }
            throw new CorruptObjectException(key, "only " + winnerCount + " consistent metadata records of " + n
                    + " (" + count(corrupt) + " unreadable), " + k + " needed");
        }
    }

    /** The records of every endpoint's shard object of the key. */
    MetaView readMetas(String key) {
        String name = ShardNames.shard(key);
        return metaView(key, fanOut.call(fanOut.all(), i -> () -> readRecord(fanOut.endpoint(i), name)));
    }

    /**
     * The start of a shard object, holding at least its whole record (when it is one): one request of
     * {@link #RECORD_PROBE} bytes, and a second only for a record longer than that.
     */
    static byte[] readRecord(Endpoint ep, String name) throws IOException {
        byte[] head = ep.getPrefix(name, RECORD_PROBE);
        if (head.length == RECORD_PROBE) {
            try {
                int length = ShardMeta.headerLength(head);
                if (length > head.length) {
                    return ep.getPrefix(name, length);
                }
            } catch (IllegalArgumentException notARecord) {
                // judged (as corrupt) with the other endpoints' answers
            }
        }
        return head;
    }

    /**
     * Builds the view from the endpoints' answers to a read of the key's metadata record. Endpoints absent
     * from {@code res} were not asked: they count as neither answered nor failed ({@link MetaView#partial}).
     */
    MetaView metaView(String key, Map<Integer, Outcome<byte[]>> res) {
        MetaView v = new MetaView(key);
        v.partial = res.size() < n;
        for (int i = 0; i < n; i++) {
            Outcome<byte[]> o = res.get(i);
            if (o == null) {
                continue;
            }
            if (o.ok()) {
                try {
                    ShardMeta r = ShardMeta.decode(o.value());
                    if (r.k() != k || r.m() != m) {
                        // Written with another layout: we cannot use it with this codec.
                        v.corrupt[i] = true;
                    } else {
                        v.records[i] = r;
                    }
                } catch (IllegalArgumentException e) {
                    String ep = fanOut.endpoint(i).name();
                    LOG.warning(() -> ep + ": bad metadata record for " + key + ": " + e.getMessage());
                    v.corrupt[i] = true;
                }
            } else if (o.notFound()) {
                v.notFound[i] = true;
            } else {
                v.failed[i] = true;
                v.lastError = o.error();
            }
        }
        // Group by write; the biggest group wins, ties go to the newest write.
        List<ShardMeta> groups = new ArrayList<>();
        Map<ShardMeta, Integer> counts = new HashMap<>();
        for (ShardMeta r : v.records) {
            if (r == null) {
                continue;
            }
            ShardMeta rep = groups.stream().filter(g -> g.sameWrite(r)).findFirst().orElse(null);
            if (rep == null) {
                groups.add(r);
                counts.put(r, 1);
            } else {
                counts.merge(rep, 1, Integer::sum);
            }
        }
        ShardMeta best = groups.stream()
                .max(Comparator.<ShardMeta>comparingInt(counts::get)
                        .thenComparingLong(ShardMeta::createdMillis)
                        .thenComparing(ShardMeta::writeId))
                .orElse(null);
        v.winnerCount = best == null ? 0 : counts.get(best);
        if (best != null && v.winnerCount >= k) {
            v.winner = best;
            for (int i = 0; i < n; i++) {
                if (v.holdsWinner(i)) {
                    int s = v.records[i].shardIndex();
                    if (v.endpointOfShard[s] < 0) {
                        v.endpointOfShard[s] = i;
                    }
                }
            }
        }
        return v;
    }

    /**
     * Reads the records of the endpoints a partial view did not ask and returns the full view of all n
     * records (the same object, updated, so that readers holding it see the full view).
     */
    MetaView complete(MetaView v) {
        if (!v.partial) {
            return v;
        }
        String name = ShardNames.shard(v.key);
        int[] rest = IntStream.range(0, n)
                .filter(e -> v.records[e] == null && !v.notFound[e] && !v.corrupt[e] && !v.failed[e]).toArray();
        Map<Integer, Outcome<byte[]>> more = fanOut.call(rest, e -> () -> readRecord(fanOut.endpoint(e), name));
        // Rebuild from everything known: the first answers (as records/flags) plus the new ones.
        for (int e = 0; e < n; e++) {
            if (more.containsKey(e)) {
                continue;
            }
            if (v.records[e] != null) {
                more.put(e, new Outcome<>(v.records[e].encode(), null));
            } else if (v.notFound[e]) {
                more.put(e, new Outcome<>(null, new ShardNotFoundException(fanOut.endpoint(e).name(), name)));
            } else if (v.corrupt[e]) {
                more.put(e, new Outcome<>(new byte[0], null)); // undecodable again
            } else {
                more.put(e, new Outcome<>(null, v.lastError != null ? v.lastError : new IOException("no answer")));
            }
        }
        MetaView full = metaView(v.key, more);
        System.arraycopy(full.records, 0, v.records, 0, n);
        System.arraycopy(full.notFound, 0, v.notFound, 0, n);
        System.arraycopy(full.corrupt, 0, v.corrupt, 0, n);
        System.arraycopy(full.failed, 0, v.failed, 0, n);
        System.arraycopy(full.endpointOfShard, 0, v.endpointOfShard, 0, n);
        v.lastError = full.lastError != null ? full.lastError : v.lastError;
        v.winner = full.winner;
        v.winnerCount = full.winnerCount;
        v.partial = false;
        return v;
    }

    /** Shard object names under the prefix and on how many endpoints each appears; needs {@code need} answers. */
    Map<String, Integer> listShardCounts(String prefix, int need) {
        String p = ShardNames.shardPrefix(prefix);
        Map<Integer, Outcome<List<String>>> res = fanOut.call(fanOut.all(), e -> () -> fanOut.endpoint(e).list(p));
        int answered = FanOut.succeeded(res).length;
        if (answered < need) {
            throw new StorageUnavailableException("list " + prefix, answered, need, FanOut.lastError(res));
        }
        Map<String, Integer> counts = new HashMap<>();
        res.values().stream().filter(Outcome::ok).forEach(o -> o.value().forEach(name -> counts.merge(name, 1, Integer::sum)));
        return counts;
    }
}
