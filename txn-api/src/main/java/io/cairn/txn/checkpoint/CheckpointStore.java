package io.cairn.txn.checkpoint;

import java.util.List;
import java.util.Optional;

/**
 * Where checkpoints live: the object storage, seen through the four calls checkpoints need. Kept
 * apart from the storage connector's own contract so that library code (the CN's data layer) does
 * not depend on the resource adapter's classes; the EJB modules adapt the connector to it.
 *
 * <p>Objects are write-once and atomically visible (the storage contract). Errors are unchecked.
 */
public interface CheckpointStore {
    void put(String key, byte[] bytes);

    byte[] get(String key);

    /** The keys under {@code prefix}, in no particular order. */
    List<String> list(String prefix);

    /**
     * Removes an object; removing an absent one is not an error. The TN's checkpoint garbage
     * collection calls it for objects no checkpoint a CN may start from refers to.
     */
    void delete(String key);

    /** The manifest with the highest (epoch, sequence number), if any checkpoint was taken. */
    default Optional<Manifest> latestManifest() {
        return list(Manifest.PREFIX).stream().max(String::compareTo).map(key -> Manifest.decode(get(key)));
    }
}
