package io.cairn.data;

import io.cairn.txn.DroppedKeySpaces;
import io.cairn.txn.Key;
import io.cairn.txn.Write;
import io.cairn.txn.checkpoint.CheckpointRow;
import java.nio.ByteBuffer;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The compute node's in-memory multi-version store: for every key, its committed versions, newest
 * first, each with its commit timestamp. A read at snapshot {@code ts} sees, per key, the newest
 * version committed at or before {@code ts}.
 *
 * <p>Versions no snapshot can read any more are dropped by {@link #prune}: below the oldest snapshot
 * in use only the newest version of a key is visible, and a key whose newest version is an old
 * deletion goes altogether. Only keys that got a second version or a deletion are revisited.
 *
 * <p>A key space is dropped by a marker row in {@link #DROPPED_KEY_SPACES} ({@link #dropMarker}): once
 * no snapshot older than the marker's commit is in use, pruning frees the whole key space.
 *
 * <p>Below the versions in memory lies, optionally, the checkpoint the CN started from
 * ({@link CheckpointBase}, read on demand): a key without a version visible at the snapshot reads
 * its checkpoint row. So that a deletion keeps hiding a checkpoint row, deletions of a table the
 * checkpoint holds are never pruned; a freed key space hides its checkpoint rows too.
 *
 * <p>Threading: one writer (the log tailer) calls {@link #apply}, {@link #load} and {@link #prune};
 * any number of readers read concurrently without locks. A version becomes visible to readers only
 * through the snapshot timestamp, which the tailer publishes after the whole commit is applied, so a
 * reader never sees half a transaction.
 */
public final class MvccStore {
    /** One committed version; {@code value == null} is a deletion. Only {@link #older} changes: pruning cuts it. */
    private static final class Version {
        final long ts;
        final byte[] value;
        volatile Version older;

        Version(long ts, byte[] value, Version older) {
            this.ts = ts;
            this.value = value;
            this.older = older;
        }
    }

    /** A key with more than one version or a deletion, to look at when pruning (equal by content). */
    private record Prunable(long tableId, ByteBuffer pk) {
    }

    /** The key space of drop markers: one row per dropped key space, keyed by its id. */
    public static final long DROPPED_KEY_SPACES = DroppedKeySpaces.MARKERS;

    private final Map<Long, ConcurrentSkipListMap<byte[], Version>> tables = new ConcurrentHashMap<>();
    /** The checkpoint under the versions in memory, or null. */
    private final CheckpointBase base;
    /**
     * Whether this CN follows checkpoints: then a deletion stays in memory until a checkpoint covering it is
     * adopted ({@link #rebase} drops it), as a checkpoint cut before it may still hold the row it deleted.
     */
    private final boolean followsCheckpoints;
    /** Key spaces freed after their drop: their checkpoint rows are gone too. */
    private final Set<Long> freed = ConcurrentHashMap.newKeySet();
    /** Snapshots before this read {@link #previous}, the store this one replaced; 0: it serves every snapshot. */
    private long floorTs;
    private volatile MvccStore previous;
    /** Dropped key spaces not freed yet, with the commit timestamp of their drop. */
    private final Map<Long, Long> drops = new HashMap<>();
    private Set<Prunable> prunable = new LinkedHashSet<>();

    /** A store with nothing below it, of a CN without checkpoints. */
    MvccStore() {
        this(null, false);
    }

    /** A store over the checkpoint {@code base}; versions applied later are all newer than its rows. */
    MvccStore(CheckpointBase base) {
        this(base, true);
    }

    private MvccStore(CheckpointBase base, boolean followsCheckpoints) {
        this.base = base;
        this.followsCheckpoints = followsCheckpoints;
    }

    /** The store of a CN that follows checkpoints but has none to start from yet. */
    static MvccStore beforeFirstCheckpoint() {
        return new MvccStore(null, true);
    }

    private ConcurrentSkipListMap<byte[], Version> table(long tableId) {
        return tables.computeIfAbsent(tableId, id -> new ConcurrentSkipListMap<>(Arrays::compareUnsigned));
    }

    /** Adds the writes of one commit; lock-only writes change nothing. Commits must come in timestamp order. */
    void apply(long commitTs, List<Write> writes) {
        for (Write write : writes) {
            if (write.kind() == Write.Kind.LOCK) {
                continue;
            }
            add(write.key().tableId(), write.key().sharedBytes(), commitTs, write.value());
        }
    }

    /** Adds the state of one key from a checkpoint segment; {@code value == null} is a deletion. */
    void load(long tableId, byte[] pk, long ts, byte[] value) {
        add(tableId, pk, ts, value);
    }

    /**
     * A new store over {@code newer}, a checkpoint covering every commit up to {@code coveredTs}: it
     * keeps only the versions committed after that, everything older is in the checkpoint. Reads at
     * snapshots from {@code coveredTs} on see the same in both stores; older snapshots must stay on
     * this one, which is left unchanged. Call on the writer's thread, with every commit up to
     * {@code coveredTs} applied.
     */
    MvccStore rebase(CheckpointBase newer, long coveredTs) {
        MvccStore next = new MvccStore(newer);
        next.replace(this, coveredTs);
        next.drops.putAll(drops);
        next.freed.addAll(freed);
        tables.forEach((tableId, keys) -> keys.forEach((pk, newest) -> {
            Version copy = null;
            Version last = null;
            for (Version v = newest; v != null && v.ts > coveredTs; v = v.older) {
                Version version = new Version(v.ts, v.value, null);
                if (copy == null) {
                    copy = version;
                } else {
                    last.older = version;
                }
                last = version;
            }
            if (copy != null) {
                next.table(tableId).put(pk, copy);
                if (copy.older != null || copy.value == null) {
                    next.prunable.add(new Prunable(tableId, ByteBuffer.wrap(pk)));
                }
            }
        }));
        return next;
    }

    /**
     * Makes this store the successor of {@code older} for snapshots from {@code floorTs} on; older
     * snapshots keep reading {@code older}, which holds every commit up to {@code floorTs}. Call
     * before this store is published.
     */
    void replace(MvccStore older, long floorTs) {
        this.previous = older;
        this.floorTs = floorTs;
    }

    /** The store that serves snapshot {@code ts}: this one, or one it replaced. */
    MvccStore forSnapshot(long ts) {
        MvccStore store = this;
        while (ts < store.floorTs && store.previous != null) {
            store = store.previous;
        }
        return store;
    }

    /**
     * Lets the replaced stores go that no snapshot from {@code horizonTs} on reads: behind the newest store
     * in the chain whose floor the horizon has reached. Checkpoints can come faster than an old snapshot ends,
     * so the chain may be several stores long, and each holds one checkpoint interval's versions; the ones
     * behind the horizon go at once, not when the horizon passes the newest floor. Writer's thread.
     */
    void forgetReplacedBefore(long horizonTs) {
        for (MvccStore store = this; store != null; store = store.previous) {
            if (horizonTs >= store.floorTs) {
                store.previous = null;
                return;
            }
        }
    }

    /** The number of keys with versions in memory in {@code tableId} (for tests). */
    int keysInMemory(long tableId) {
        ConcurrentSkipListMap<byte[], Version> table = tables.get(tableId);
        return table == null ? 0 : table.size();
    }

    /** The marker row that drops {@code keySpace}. */
    static Key dropMarker(long keySpace) {
        return DroppedKeySpaces.marker(keySpace);
    }

    private void add(long tableId, byte[] pk, long ts, byte[] value) {
        if (tableId == DROPPED_KEY_SPACES && value != null) {
            drops.putIfAbsent(DroppedKeySpaces.keySpace(pk), ts);
        }
        ConcurrentSkipListMap<byte[], Version> table = table(tableId);
        // A new key (nearly every key of a bulk load) costs one search of the skip list: compute() made two,
        // a look-up and then an insert. A key that has versions takes a second search; readers see its older
        // versions until then. Only this thread writes, so nothing changes them in between.
        Version older = table.putIfAbsent(pk, new Version(ts, value, null));
        if (older != null) {
            table.put(pk, new Version(ts, value, older));
        }
        if (older != null || value == null) {
            prunable.add(new Prunable(tableId, ByteBuffer.wrap(pk)));
        }
    }

    /**
     * Drops the versions no snapshot at or after {@code horizonTs} can read.
     *
     * @return the number of versions dropped (a freed key space counts its keys)
     */
    long prune(long horizonTs) {
        long dropped = 0;
        for (var it = drops.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Long, Long> drop = it.next();
            if (drop.getValue() <= horizonTs) {
                freed.add(drop.getKey());
                ConcurrentSkipListMap<byte[], Version> gone = tables.remove(drop.getKey());
                dropped += gone == null ? 0 : gone.size();
                it.remove();
            }
        }
        Set<Prunable> pending = prunable;
        prunable = new LinkedHashSet<>();
        for (Prunable p : pending) {
            byte[] pk = p.pk().array();
            ConcurrentSkipListMap<byte[], Version> table = tables.get(p.tableId());
            Version newest = table == null ? null : table.get(pk);
            if (newest == null) {
                continue;
            }
            Version kept = newest;
            while (kept != null && kept.ts > horizonTs) {
                kept = kept.older;
            }
            if (kept == null) {
                prunable.add(p); // every version is newer than the horizon: look again later
                continue;
            }
            for (Version v = kept.older; v != null; v = v.older) {
                dropped++;
            }
            kept.older = null;
            // a deletion goes only where no checkpoint can come under it: a checkpoint cut before the deletion,
            // adopted later, would show the deleted row again (CheckpointIT saw one under load)
            if (kept == newest && kept.value == null && !followsCheckpoints) {
                table.remove(pk, newest);
                dropped++;
            } else if (kept != newest) {
                prunable.add(p); // newer versions will need the same later
            }
        }
        return dropped;
    }

    private boolean hasCheckpointRows(long tableId) {
        return base != null && base.hasTable(tableId) && !freed.contains(tableId);
    }

    /**
     * The number of keys per key space: in memory plus the checkpoint's row counts (weakly
     * consistent and approximate, a key in both counts twice; for monitoring).
     */
    public Map<Long, Integer> keyCounts() {
        Map<Long, Integer> out = new java.util.TreeMap<>();
        tables.forEach((id, keys) -> out.put(id, keys.size()));
        if (base != null) {
            base.rowCounts().forEach((id, rows) -> {
                if (!freed.contains(id)) {
                    out.merge(id, (int) Math.min(Integer.MAX_VALUE, rows), Integer::sum);
                }
            });
        }
        return out;
    }

    /** The number of versions of {@code key}, deletions included (for tests). */
    int versionCount(Key key) {
        ConcurrentSkipListMap<byte[], Version> table = tables.get(key.tableId());
        int n = 0;
        for (Version v = table == null ? null : table.get(key.bytes()); v != null; v = v.older) {
            n++;
        }
        return n;
    }

    /** The value of {@code key} at snapshot {@code ts}, or {@code null} when absent or deleted. */
    public byte[] get(Key key, long ts) {
        ConcurrentSkipListMap<byte[], Version> table = tables.get(key.tableId());
        byte[] pk = key.bytes();
        Version version = atOrBefore(table == null ? null : table.get(pk), ts);
        if (version != null) {
            return version.value;
        }
        return hasCheckpointRows(key.tableId()) ? base.get(key.tableId(), pk) : null;
    }

    /** The newest version committed at or before {@code ts} (a deletion included), or null. */
    private static Version atOrBefore(Version newest, long ts) {
        Version v = newest;
        while (v != null && v.ts > ts) {
            v = v.older;
        }
        return v;
    }

    private static Version visible(Version newest, long ts) {
        Version v = atOrBefore(newest, ts);
        return v == null || v.value == null ? null : v;
    }

    /**
     * The live rows of a table with {@code from <= pk < to} at snapshot {@code ts}, in key order.
     * {@code from == null} starts at the first key, {@code to == null} runs to the last. The
     * iterator is weakly consistent but, through the snapshot, shows exactly the snapshot's rows.
     */
    public Iterator<Map.Entry<byte[], byte[]>> scan(long tableId, byte[] from, byte[] to, long ts) {
        ConcurrentSkipListMap<byte[], Version> table = tables.get(tableId);
        NavigableMap<byte[], Version> range;
        if (table == null) {
            range = java.util.Collections.emptyNavigableMap();
        } else if (from == null && to == null) {
            range = table;
        } else if (from == null) {
            range = table.headMap(to, false);
        } else if (to == null) {
            range = table.tailMap(from, true);
        } else {
            range = table.subMap(from, true, to, false);
        }
        Iterator<Map.Entry<byte[], Version>> versions = range.entrySet().iterator();
        if (!hasCheckpointRows(tableId)) {
            return new LookaheadIterator<>() {
                @Override
                protected Map.Entry<byte[], byte[]> advance() {
                    while (versions.hasNext()) {
                        Map.Entry<byte[], Version> entry = versions.next();
                        Version v = visible(entry.getValue(), ts);
                        if (v != null) {
                            return new AbstractMap.SimpleImmutableEntry<>(entry.getKey(), v.value);
                        }
                    }
                    return null;
                }
            };
        }
        return new CheckpointMerge(versions, base.scan(tableId, from, to), ts);
    }

    /**
     * Memory versions over checkpoint rows, in key order: a key with a version at or before the
     * snapshot shows that version (a deletion hides the key); otherwise its checkpoint row shows.
     */
    private static final class CheckpointMerge extends LookaheadIterator<Map.Entry<byte[], byte[]>> {
        private final Iterator<Map.Entry<byte[], Version>> memory;
        private final Iterator<CheckpointRow> checkpoint;
        private final long ts;
        private Map.Entry<byte[], Version> m;
        private CheckpointRow c;

        CheckpointMerge(Iterator<Map.Entry<byte[], Version>> memory, Iterator<CheckpointRow> checkpoint, long ts) {
            this.memory = memory;
            this.checkpoint = checkpoint;
            this.ts = ts;
            this.m = memory.hasNext() ? memory.next() : null;
            this.c = checkpoint.hasNext() ? checkpoint.next() : null;
        }

        @Override
        protected Map.Entry<byte[], byte[]> advance() {
            while (m != null || c != null) {
                int order = m == null ? 1 : c == null ? -1 : Arrays.compareUnsigned(m.getKey(), c.key());
                if (order > 0) {
                    CheckpointRow row = c;
                    c = checkpoint.hasNext() ? checkpoint.next() : null;
                    return new AbstractMap.SimpleImmutableEntry<>(row.key(), row.value());
                }
                byte[] pk = m.getKey();
                Version v = atOrBefore(m.getValue(), ts);
                m = memory.hasNext() ? memory.next() : null;
                CheckpointRow below = null;
                if (order == 0) {
                    below = c;
                    c = checkpoint.hasNext() ? checkpoint.next() : null;
                }
                if (v != null) {
                    if (v.value != null) {
                        return new AbstractMap.SimpleImmutableEntry<>(pk, v.value);
                    }
                } else if (below != null) {
                    return new AbstractMap.SimpleImmutableEntry<>(pk, below.value());
                }
            }
            return null;
        }
    }
}
