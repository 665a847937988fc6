package io.cairn.txn.testing;

import io.cairn.storage.ObjectStore;
import io.cairn.txn.checkpoint.CheckpointStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    public byte[] get(String key, long offset, int length) {
        return store.get(key, offset, length);
    }

    @Override
    public void put(String key, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            store.put(key, in, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
