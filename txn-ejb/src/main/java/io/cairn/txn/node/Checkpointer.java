package io.cairn.txn.node;

import io.cairn.log.LogService;
import io.cairn.txn.Key;
import io.cairn.txn.Write;
import io.cairn.txn.checkpoint.CheckpointRow;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import io.cairn.txn.checkpoint.TableSegment;
import io.cairn.txn.record.CommitRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Turns the commits the TN reads from the log into checkpoints: per table, the latest state of
 * every key written since the last checkpoint, as one sorted Arrow segment per table; then a
 * manifest listing all segments so far; then the log before the covered LSN is truncated.
 * Order makes it crash-safe: segments, then manifest (the commit point), then truncation; a crash
 * in between leaves either the old checkpoint or the new one complete, and the log still holds
 * everything not covered.
 *
 * <p>Not thread-safe: the TN's driver thread feeds and runs it.
 */
final class Checkpointer {
    private static final Logger LOG = Logger.getLogger(Checkpointer.class.getName());

    private record Pending(long lsn, long ts, byte[] value) {
    }

    private final CheckpointStore store;
    private final LogService log;
    private final TreeMap<Key, Pending> pending = new TreeMap<>();
    private Manifest last;
    private long lastLsn;
    private long lastTs;

    Checkpointer(CheckpointStore store, LogService log) {
        this.store = store;
        this.log = log;
    }

    /** Reads the latest manifest and drops what it already covers; call before taking checkpoints. */
    void recover() {
        last = store.latestManifest().orElse(null);
        if (last != null) {
            pending.values().removeIf(p -> p.lsn() <= last.lsn());
            lastLsn = Math.max(lastLsn, last.lsn());
            lastTs = Math.max(lastTs, last.maxTs());
        }
    }

    /** Notes a commit read from the log at {@code lsn}. */
    void onCommit(long lsn, CommitRecord record) {
        if (last != null && lsn <= last.lsn()) {
            return;
        }
        for (Write write : record.writes()) {
            if (write.kind() != Write.Kind.LOCK) {
                pending.put(write.key(), new Pending(lsn, record.commitTs(), write.value()));
            }
        }
        lastLsn = Math.max(lastLsn, lsn);
        lastTs = Math.max(lastTs, record.commitTs());
    }

    /** Keys changed since the last checkpoint. */
    int pendingKeys() {
        return pending.size();
    }

    /**
     * Writes a checkpoint of everything noted so far and truncates the log before it.
     *
     * @return the new manifest, or null when nothing changed since the last checkpoint
     */
    Manifest checkpoint() {
        if (pending.isEmpty()) {
            return null;
        }
        long seq = last == null ? 1 : last.seq() + 1;
        long coveredLsn = lastLsn;
        Map<Long, List<CheckpointRow>> byTable = new LinkedHashMap<>();
        for (Map.Entry<Key, Pending> entry : pending.entrySet()) {
            Pending p = entry.getValue();
            byTable.computeIfAbsent(entry.getKey().tableId(), id -> new ArrayList<>())
                    .add(new CheckpointRow(entry.getKey().bytes(), p.ts(), p.value()));
        }
        List<Manifest.Segment> segments = new ArrayList<>(last == null ? List.of() : last.segments());
        for (Map.Entry<Long, List<CheckpointRow>> table : byTable.entrySet()) {
            String key = Manifest.segmentKey(seq, table.getKey());
            store.put(key, TableSegment.write(table.getValue()));
            segments.add(new Manifest.Segment(table.getKey(), table.getValue().size(), key));
        }
        Manifest manifest = new Manifest(seq, coveredLsn, lastTs, segments);
        store.put(Manifest.objectKey(seq), manifest.encode());
        last = manifest;
        pending.clear();
        log.truncateBefore(coveredLsn); // keeps the covered entry itself: re-applying it is harmless, and it is committed
        LOG.info(() -> "CAIRN0106I: checkpoint " + seq + " covers the log up to LSN " + coveredLsn + " in "
                + byTable.size() + " new segment(s); the log before it is truncated");
        return manifest;
    }
}
