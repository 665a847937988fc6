package io.cairn.storage.impl;

import io.cairn.storage.HealReport;
import io.cairn.storage.StorageException;
import io.cairn.storage.impl.FanOut.Outcome;
import io.cairn.storage.impl.MetaQuorum.MetaView;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.IntStream;

/**
 * The heals of an {@link ErasureCodedStore}: rewrites every missing or corrupt shard object of a key (record and
 * shard in one put), decoding it from the others, and replaces one of another write; across all keys, also
 * purges the shard objects of failed puts once they are old enough.
 *
 * <p>Thread-safe; heals of one key are serialised with its puts and deletes within this process
 * ({@link KeyLocks}).
 */
final class ShardHealer {
    private final StoreParts parts;
    private final int n;
    private final int k;
    private final int m;

    ShardHealer(StoreParts parts) {
        this.parts = parts;
        this.k = parts.k();
        this.m = parts.m();
        this.n = parts.n();
    }

    /** See {@link io.cairn.storage.ObjectStoreConnection#heal(String)}. */
    HealReport heal(String key) {
        List<HealReport.Repair> repairs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        ReentrantLock lock = parts.locks().lock(key);
        try {
            healLocked(key, parts.quorum().readMetas(key), repairs, failures);
        } finally {
            lock.unlock();
        }
        return new HealReport(1, repairs, failures);
    }

    private void healLocked(String key, MetaView v, List<HealReport.Repair> repairs, List<String> failures) {
        ShardMeta meta = v.require("heal");
        int stripes = meta.stripes();
        int head = meta.encodedLength();
        // rebuilt shards are written with their record in front: leave room for it
        StripeWindow w = stripes == 0 ? null : new StripeWindow(parts.fanOut(), parts.codec(), key, v, 0, stripes - 1, head);
        HealReport.Reason[] reason = new HealReport.Reason[n];
        if (w != null) {
            Map<Integer, int[]> everything = new HashMap<>();
            for (int i = 0; i < n; i++) {
                everything.put(i, new int[] {0, stripes - 1});
            }
            w.fetch(everything);
            for (int i = 0; i < n; i++) {
                for (int s = 0; s < stripes; s++) {
                    if (!w.valid[s][i] && reason[i] == null && v.endpointOfShard[i] >= 0 && !w.unreachable[i]) {
                        reason[i] = w.buf[i] == null ? HealReport.Reason.MISSING : HealReport.Reason.CORRUPT;
                    }
                }
            }
            for (int s = 0; s < stripes; s++) {
                boolean all = true;
                for (int i = 0; i < n; i++) {
                    all &= w.valid[s][i];
                }
                if (!all) {
                    w.decode(s);
                }
            }
        }
        // Shards without a record of the winning write go to endpoints without one.
        List<Integer> homeless = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (v.endpointOfShard[i] < 0) {
                homeless.add(i);
            }
        }
        ShardPlacement rotation = ShardPlacement.of(key, n);
        Map<Integer, Integer> placement = new HashMap<>(); // endpoint -> shard
        Map<Integer, HealReport.Reason> why = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int e = v.endpointOfShard[i];
            if (e >= 0 && reason[i] != null) {
                placement.put(e, i);
                why.put(e, reason[i]);
            }
        }
        List<Integer> free = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            if (!v.holdsWinner(e)) {
                free.add(e);
            }
        }
        // Prefer the endpoint the rotation assigns to the shard.
        free.sort(Comparator.comparingInt(e -> homeless.contains(rotation.shardOn(e)) ? 0 : 1));
        for (int shard : homeless) {
            Integer target = free.stream().filter(e -> rotation.shardOn(e) == shard).findFirst()
                    .orElse(free.stream().filter(e -> !placement.containsKey(e)).findFirst().orElse(null));
            if (target == null) {
                failures.add(key + ": no endpoint to hold shard " + shard);
                continue;
            }
            free.remove(target);
            placement.put(target, shard);
            why.put(target, v.corrupt[target] ? HealReport.Reason.CORRUPT
                    : v.records[target] != null ? HealReport.Reason.STALE : HealReport.Reason.MISSING);
        }
        String name = ShardNames.shard(key);
        int[] targets = placement.keySet().stream().mapToInt(Integer::intValue).filter(e -> {
            if (v.failed[e]) {
                failures.add(key + ": " + parts.fanOut().endpoint(e).name() + " unreachable, shard " + placement.get(e)
                        + " not rebuilt");
                return false;
            }
            return true;
        }).toArray();
        Map<Integer, Outcome<Object>> res = parts.fanOut().call(targets, e -> () -> {
            int shard = placement.get(e);
            byte[] object = w == null ? new byte[head] : w.buf[shard]; // each shard has one target: no sharing
            meta.forShard(shard).encodeInto(object);
            parts.fanOut().endpoint(e).put(name, object); // replaces what was there (another write's leftover, a corrupt copy)
            return null;
        });
        res.forEach((e, o) -> {
            if (o.ok()) {
                repairs.add(new HealReport.Repair(key, parts.fanOut().endpoint(e).name(), placement.get(e), why.get(e)));
            } else {
                failures.add(key + ": rebuilding shard " + placement.get(e) + " on " + parts.fanOut().endpoint(e).name()
                        + " failed: " + o.error());
            }
        });
    }

    /** See {@link io.cairn.storage.ObjectStoreConnection#healAll()}. */
    HealReport healAll() {
        Map<String, Integer> counts = parts.quorum().listShardCounts("", k);
        List<HealReport.Repair> repairs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String name : new TreeSet<>(counts.keySet())) {
            String key = ShardNames.keyOfShard(name);
            ReentrantLock lock = parts.locks().lock(key);
            try {
                MetaView v = parts.quorum().readMetas(key);
                if (v.winner == null && v.count(v.notFound) > m) {
                    purgeLeftovers(key, v, repairs, failures);
                } else {
                    healLocked(key, v, repairs, failures);
                }
            } catch (StorageException e) {
                failures.add(key + ": " + e.getMessage());
            } finally {
                lock.unlock();
            }
        }
        return new HealReport(counts.size(), repairs, failures);
    }

    /**
     * Removes the shard objects of a write that never committed (its undo failed) or was partly deleted, once
     * their records are older than {@code orphanGrace} (younger ones may belong to a put still in progress
     * elsewhere).
     */
    private void purgeLeftovers(String key, MetaView v, List<HealReport.Repair> repairs, List<String> failures) {
        long cutoff = parts.clock().millis() - parts.config().orphanGrace().toMillis();
        int[] stale = IntStream.range(0, n)
                .filter(e -> v.records[e] != null && v.records[e].createdMillis() <= cutoff).toArray();
        String name = ShardNames.shard(key);
        Map<Integer, Outcome<Object>> res = parts.fanOut().call(stale, e -> () -> {
            parts.fanOut().endpoint(e).delete(name);
            return null;
        });
        res.forEach((e, o) -> {
            if (o.ok()) {
                repairs.add(new HealReport.Repair(key, parts.fanOut().endpoint(e).name(), v.records[e].shardIndex(),
                        HealReport.Reason.STALE));
            } else {
                failures.add(key + ": removing leftover on " + parts.fanOut().endpoint(e).name() + " failed: " + o.error());
            }
        });
    }
}
