package io.cairn.txn.node;

import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.txn.checkpoint.Manifest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Deletes checkpoint objects no CN can need any more, a grace period after they stopped being
 * needed:
 * <ul>
 * <li>a manifest other than the latest, once this TN has seen it superseded for the grace period (a
 * CN that read it just before must be able to finish loading it; a CN that fails anyway starts over
 * from the latest);</li>
 * <li>then every segment that only such deleted manifests referred to;</li>
 * <li>a segment no manifest refers to, once this TN has seen it unreferenced for the grace period (a
 * checkpoint that failed before its manifest; a checkpoint still being written is published
 * well within the grace period).</li>
 * </ul>
 * The times are this process's own observations, so after a restart or takeover the grace period
 * starts again: objects may live longer, never shorter. Nothing is deleted unless the TN still
 * holds its lease just before.
 *
 * <p>Not thread-safe: the checkpoint thread uses it after each published checkpoint.
 */
final class CheckpointGarbage {
    private static final Logger LOG = Logger.getLogger(CheckpointGarbage.class.getName());

    private final CheckpointStore store;
    private final Ticker ticker;
    private final Duration grace;
    /** Object key → when this TN first saw it superseded or unreferenced. */
    private final Map<String, Long> since = new HashMap<>();

    CheckpointGarbage(CheckpointStore store, Ticker ticker, Duration grace) {
        this.store = store;
        this.ticker = ticker;
        this.grace = grace;
    }

    /**
     * One collection pass.
     *
     * @param holdsLease asked right before anything is deleted
     * @return the number of objects deleted
     */
    int collect(BooleanSupplier holdsLease) {
        long now = ticker.nanoTime();
        List<String> manifests = new ArrayList<>(store.list(Manifest.PREFIX));
        if (manifests.isEmpty()) {
            return 0;
        }
        manifests.sort(null);
        String latest = manifests.get(manifests.size() - 1);
        Set<String> waiting = new HashSet<>();
        Set<String> live = new HashSet<>();
        List<String> expiredManifests = new ArrayList<>();
        Set<String> referencedByExpired = new HashSet<>();
        for (String key : manifests) {
            List<String> segments = Manifest.decode(store.get(key)).segments().stream()
                    .map(Manifest.Segment::objectKey).toList();
            if (!key.equals(latest) && expired(key, now, waiting)) {
                expiredManifests.add(key);
                referencedByExpired.addAll(segments);
            } else {
                live.addAll(segments);
            }
        }
        List<String> expiredSegments = new ArrayList<>();
        for (String key : store.list(Manifest.SEGMENT_PREFIX)) {
            if (!live.contains(key) && (referencedByExpired.contains(key) || expired(key, now, waiting))) {
                expiredSegments.add(key);
            }
        }
        Set<String> garbage = new HashSet<>(waiting);
        garbage.addAll(expiredManifests);
        garbage.addAll(expiredSegments);
        since.keySet().retainAll(garbage); // what became live again or vanished starts over
        if (expiredManifests.isEmpty() && expiredSegments.isEmpty()) {
            return 0;
        }
        if (!holdsLease.getAsBoolean()) {
            throw new LeaseLostException("lease lost before deleting superseded checkpoint objects");
        }
        // Manifests first: once a manifest is gone no CN starts from it, then its segments can go.
        int deleted = 0;
        List<String> inOrder = new ArrayList<>(expiredManifests);
        inOrder.addAll(expiredSegments);
        for (String key : inOrder) {
            store.delete(key);
            since.remove(key);
            deleted++;
        }
        int count = deleted;
        LOG.fine(() -> "deleted " + count + " superseded checkpoint objects");
        return deleted;
    }

    /** True once {@code key} has been garbage for the grace period; notes it as garbage from now otherwise. */
    private boolean expired(String key, long now, Set<String> waiting) {
        long first = since.computeIfAbsent(key, k -> now);
        if (now - first >= grace.toNanos()) {
            return true;
        }
        waiting.add(key);
        return false;
    }
}
