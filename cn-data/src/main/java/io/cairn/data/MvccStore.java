package io.cairn.data;

import io.cairn.txn.DroppedKeySpaces;
import io.cairn.txn.Key;
import io.cairn.txn.Write;
import io.cairn.txn.checkpoint.CheckpointRow;
import java.nio.ByteBuffer;
import java.util.AbstractMap;
import java.util.ArrayList;
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
 * <p>Moving onto a newer checkpoint ({@link #rebase}) copies nothing: the versions in memory are kept in
 * generations, one per checkpoint the CN moved onto. The new store starts a new generation and keeps, frozen,
 * the older generations that hold a version newer than the checkpoint; the others, wholly covered by it, go.
 * A version a kept generation holds at or below the checkpoint is harmless: it is the newest one of its key
 * up to a point the checkpoint covers, so the checkpoint says the same. Reads look into the generations
 * newest first, then the checkpoint. (Rebuilding the store by copying every version newer than the
 * checkpoint, as before, took as much of a CN's log tailer as applying the commits in a bulk load, at every
 * checkpoint: every few seconds.)
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

    /** The versions one store applied, frozen when a newer store took over, with the newest commit among them. */
    private record Generation(Map<Long, ConcurrentSkipListMap<byte[], Version>> tables, long newestTs) {
    }

    /** A key with more than one version or a deletion, to look at when pruning (equal by content). */
    private record Prunable(long tableId, ByteBuffer pk) {
    }

    /** The key space of drop markers: one row per dropped key space, keyed by its id. */
    public static final long DROPPED_KEY_SPACES = DroppedKeySpaces.MARKERS;

    /** The versions of the commits applied since this store took over, per key space; the one generation written. */
    private final Map<Long, ConcurrentSkipListMap<byte[], Version>> tables = new ConcurrentHashMap<>();
    /** The highest commit timestamp added to {@link #tables}. Writer's thread. */
    private long newestTs;
    /** Older generations still needed over the checkpoint, newest first; never written again. */
    private List<Generation> frozen = List.of();
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
     * keeps the generations of versions that hold a commit after that, frozen, and starts a new one; the
     * others are in the checkpoint. Reads at snapshots from {@code coveredTs} on see the same in both stores;
     * older snapshots must stay on this one, which is left unchanged (it is not written any more). Call on the
     * writer's thread, with every commit up to {@code coveredTs} applied.
     */
    MvccStore rebase(CheckpointBase newer, long coveredTs) {
        MvccStore next = new MvccStore(newer);
        next.replace(this, coveredTs);
        next.drops.putAll(drops);
        next.freed.addAll(freed);
        List<Generation> kept = new ArrayList<>();
        if (newestTs > coveredTs) {
            kept.add(new Generation(tables, newestTs));
        }
        for (Generation g : frozen) {
            if (g.newestTs() > coveredTs) {
                kept.add(g);
            }
        }
        next.frozen = List.copyOf(kept);
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

    /** The number of keys with versions in memory in {@code tableId}, a key in two generations twice (for tests). */
    int keysInMemory(long tableId) {
        int n = 0;
        for (ConcurrentSkipListMap<byte[], Version> table : generations(tableId)) {
            n += table.size();
        }
        return n;
    }

    /** The skip lists of {@code tableId}, newest generation first; none once the key space is freed. */
    private List<ConcurrentSkipListMap<byte[], Version>> generations(long tableId) {
        if (freed.contains(tableId)) {
            return List.of();
        }
        ConcurrentSkipListMap<byte[], Version> current = tables.get(tableId);
        if (frozen.isEmpty()) {
            return current == null ? List.of() : List.of(current);
        }
        List<ConcurrentSkipListMap<byte[], Version>> out = new ArrayList<>(frozen.size() + 1);
        if (current != null) {
            out.add(current);
        }
        for (Generation g : frozen) {
            ConcurrentSkipListMap<byte[], Version> table = g.tables().get(tableId);
            if (table != null) {
                out.add(table);
            }
        }
        return out;
    }

    /** The marker row that drops {@code keySpace}. */
    static Key dropMarker(long keySpace) {
        return DroppedKeySpaces.marker(keySpace);
    }

    private void add(long tableId, byte[] pk, long ts, byte[] value) {
        if (tableId == DROPPED_KEY_SPACES && value != null) {
            drops.putIfAbsent(DroppedKeySpaces.keySpace(pk), ts);
        }
        newestTs = Math.max(newestTs, ts);
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
        for (Generation g : frozen) {
            g.tables().forEach((id, keys) -> {
                if (!freed.contains(id)) {
                    out.merge(id, keys.size(), Integer::sum);
                }
            });
        }
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
        int n = 0;
        for (ConcurrentSkipListMap<byte[], Version> table : generations(key.tableId())) {
            for (Version v = table.get(key.bytes()); v != null; v = v.older) {
                n++;
            }
        }
        return n;
    }

    /** The value of {@code key} at snapshot {@code ts}, or {@code null} when absent or deleted. */
    public byte[] get(Key key, long ts) {
        byte[] pk = key.bytes();
        ConcurrentSkipListMap<byte[], Version> current = tables.get(key.tableId());
        Version version = current == null ? null : atOrBefore(current.get(pk), ts);
        if (version != null) {
            return version.value;
        }
        if (!frozen.isEmpty() && !freed.contains(key.tableId())) {
            for (Generation g : frozen) {
                ConcurrentSkipListMap<byte[], Version> table = g.tables().get(key.tableId());
                version = table == null ? null : atOrBefore(table.get(pk), ts);
                if (version != null) {
                    return version.value;
                }
            }
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

    /**
     * The live rows of a table with {@code from <= pk < to} at snapshot {@code ts}, in key order.
     * {@code from == null} starts at the first key, {@code to == null} runs to the last. The
     * iterator is weakly consistent but, through the snapshot, shows exactly the snapshot's rows.
     */
    public Iterator<Map.Entry<byte[], byte[]>> scan(long tableId, byte[] from, byte[] to, long ts) {
        List<ConcurrentSkipListMap<byte[], Version>> tables = generations(tableId);
        List<Iterator<Map.Entry<byte[], Version>>> ranges = new ArrayList<>(tables.size());
        for (ConcurrentSkipListMap<byte[], Version> table : tables) {
            ranges.add(range(table, from, to).entrySet().iterator());
        }
        Iterator<Map.Entry<byte[], Version>> versions = new GenerationMerge(ranges, ts);
        if (!hasCheckpointRows(tableId)) {
            return new LookaheadIterator<>() {
                @Override
                protected Map.Entry<byte[], byte[]> advance() {
                    while (versions.hasNext()) {
                        Map.Entry<byte[], Version> entry = versions.next();
                        Version v = entry.getValue();
                        if (v.value != null) {
                            return new AbstractMap.SimpleImmutableEntry<>(entry.getKey(), v.value);
                        }
                    }
                    return null;
                }
            };
        }
        return new CheckpointMerge(versions, base.scan(tableId, from, to));
    }

    private static NavigableMap<byte[], Version> range(ConcurrentSkipListMap<byte[], Version> table, byte[] from,
            byte[] to) {
        if (from == null && to == null) {
            return table;
        } else if (from == null) {
            return table.headMap(to, false);
        } else if (to == null) {
            return table.tailMap(from, true);
        }
        return table.subMap(from, true, to, false);
    }

    /** Marker of a key that memory holds but has no version of at the snapshot: the checkpoint's row shows. */
    private static final Version NONE_AT_SNAPSHOT = new Version(Long.MAX_VALUE, null, null);

    /**
     * The keys of the generations (newest first; one or more) in key order: per key the version the snapshot sees
     * in the newest generation that has one ({@link #NONE_AT_SNAPSHOT} when none has).
     */
    private static final class GenerationMerge extends LookaheadIterator<Map.Entry<byte[], Version>> {
        private final List<Iterator<Map.Entry<byte[], Version>>> sources;
        private final List<Map.Entry<byte[], Version>> heads;
        private final long ts;

        GenerationMerge(List<Iterator<Map.Entry<byte[], Version>>> sources, long ts) {
            this.sources = sources;
            this.ts = ts;
            this.heads = new ArrayList<>(sources.size());
            for (Iterator<Map.Entry<byte[], Version>> source : sources) {
                heads.add(source.hasNext() ? source.next() : null);
            }
        }

        @Override
        protected Map.Entry<byte[], Version> advance() {
            byte[] least = null;
            for (Map.Entry<byte[], Version> head : heads) {
                if (head != null && (least == null || Arrays.compareUnsigned(head.getKey(), least) < 0)) {
                    least = head.getKey();
                }
            }
            if (least == null) {
                return null;
            }
            Version seen = null;
            for (int i = 0; i < heads.size(); i++) {
                Map.Entry<byte[], Version> head = heads.get(i);
                if (head != null && Arrays.equals(head.getKey(), least)) {
                    if (seen == null) {
                        seen = atOrBefore(head.getValue(), ts);
                    }
                    Iterator<Map.Entry<byte[], Version>> source = sources.get(i);
                    heads.set(i, source.hasNext() ? source.next() : null);
                }
            }
            return new AbstractMap.SimpleImmutableEntry<>(least, seen == null ? NONE_AT_SNAPSHOT : seen);
        }
    }

    /**
     * Memory versions over checkpoint rows, in key order: a key with a version at or before the
     * snapshot shows that version (a deletion hides the key); otherwise ({@link #NONE_AT_SNAPSHOT}) its
     * checkpoint row shows.
     */
    private static final class CheckpointMerge extends LookaheadIterator<Map.Entry<byte[], byte[]>> {
        private final Iterator<Map.Entry<byte[], Version>> memory;
        private final Iterator<CheckpointRow> checkpoint;
        private Map.Entry<byte[], Version> m;
        private CheckpointRow c;

        CheckpointMerge(Iterator<Map.Entry<byte[], Version>> memory, Iterator<CheckpointRow> checkpoint) {
            this.memory = memory;
            this.checkpoint = checkpoint;
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
                Version v = m.getValue() == NONE_AT_SNAPSHOT ? null : m.getValue();
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
