package io.cairn.data;

import io.cairn.txn.Key;
import io.cairn.txn.Write;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The compute node's in-memory multi-version store: for every key, its committed versions, newest
 * first, each with its commit timestamp. A read at snapshot {@code ts} sees, per key, the newest
 * version committed at or before {@code ts}.
 *
 * <p>Threading: one writer (the log tailer) calls {@link #apply} in commit order; any number of
 * readers read concurrently without locks. A version becomes visible to readers only through the
 * snapshot timestamp, which the tailer publishes after the whole commit is applied, so a reader
 * never sees half a transaction.
 */
public final class MvccStore {
    /** One committed version; {@code value == null} is a deletion. Immutable. */
    private record Version(long ts, byte[] value, Version older) {
    }

    private final Map<Long, ConcurrentSkipListMap<byte[], Version>> tables = new ConcurrentHashMap<>();

    private ConcurrentSkipListMap<byte[], Version> table(long tableId) {
        return tables.computeIfAbsent(tableId, id -> new ConcurrentSkipListMap<>(Arrays::compareUnsigned));
    }

    /** Adds the writes of one commit; lock-only writes change nothing. Commits must come in timestamp order. */
    void apply(long commitTs, List<Write> writes) {
        for (Write write : writes) {
            if (write.kind() == Write.Kind.LOCK) {
                continue;
            }
            ConcurrentSkipListMap<byte[], Version> table = table(write.key().tableId());
            byte[] pk = write.key().bytes();
            table.compute(pk, (k, newest) -> new Version(commitTs, write.value(), newest));
        }
    }

    /** Adds the state of one key from a checkpoint segment; {@code value == null} is a deletion. */
    void load(long tableId, byte[] pk, long ts, byte[] value) {
        table(tableId).compute(pk, (k, newest) -> new Version(ts, value, newest));
    }

    /** The value of {@code key} at snapshot {@code ts}, or {@code null} when absent or deleted. */
    public byte[] get(Key key, long ts) {
        ConcurrentSkipListMap<byte[], Version> table = tables.get(key.tableId());
        if (table == null) {
            return null;
        }
        Version version = visible(table.get(key.bytes()), ts);
        return version == null ? null : version.value();
    }

    private static Version visible(Version newest, long ts) {
        Version v = newest;
        while (v != null && v.ts() > ts) {
            v = v.older();
        }
        return v == null || v.value() == null ? null : v;
    }

    /**
     * The live rows of a table with {@code from <= pk < to} at snapshot {@code ts}, in key order.
     * {@code from == null} starts at the first key, {@code to == null} runs to the last. The
     * iterator is weakly consistent but, through the snapshot, shows exactly the snapshot's rows.
     */
    public Iterator<Map.Entry<byte[], byte[]>> scan(long tableId, byte[] from, byte[] to, long ts) {
        ConcurrentSkipListMap<byte[], Version> table = tables.get(tableId);
        if (table == null) {
            return java.util.Collections.emptyIterator();
        }
        NavigableMap<byte[], Version> range;
        if (from == null && to == null) {
            range = table;
        } else if (from == null) {
            range = table.headMap(to, false);
        } else if (to == null) {
            range = table.tailMap(from, true);
        } else {
            range = table.subMap(from, true, to, false);
        }
        Iterator<Map.Entry<byte[], Version>> versions = range.entrySet().iterator();
        return new LookaheadIterator<>() {

            @Override
            protected Map.Entry<byte[], byte[]> advance() {
                while (versions.hasNext()) {
                    Map.Entry<byte[], Version> entry = versions.next();
                    Version v = visible(entry.getValue(), ts);
                    if (v != null) {
                        return new AbstractMap.SimpleImmutableEntry<>(entry.getKey(), v.value());
                    }
                }
                return null;
            }
        };
    }
}
