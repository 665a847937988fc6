package io.cairn.txn.testing;

import io.cairn.storage.ObjectStore;
import io.cairn.txn.checkpoint.CheckpointStore;
import java.util.List;

/**
 * Checkpoints in a storage-connector {@link ObjectStore} (the in-memory fixture, or a real
 * erasure-coded store over S3 endpoints), as the server's adapter does it.
 */
public final class ObjectStoreCheckpoints implements CheckpointStore {
    private final ObjectStore store;

    public ObjectStoreCheckpoints(ObjectStore store) {
        this.store = store;
    }

    @Override
    public void put(String key, byte[] bytes) {
        store.put(key, bytes);
    }

    @Override
    public byte[] get(String key) {
        return store.get(key);
    }

    @Override
    public List<String> list(String prefix) {
        return store.list(prefix);
    }

    @Override
    public void delete(String key) {
        store.delete(key);
    }
}
