package io.cairn.server;

import io.cairn.storage.ObjectStore;
import io.cairn.storage.ObjectStoreConnection;
import io.cairn.txn.checkpoint.CheckpointStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Checkpoints in the storage connector's object store, key for key. The connector's errors (unchecked)
 * reach the TN and CN, which retry or report them.
 */
public final class ObjectStoreCheckpoints implements CheckpointStore {
    private final Supplier<ObjectStoreConnection> connections;
    private final ObjectStore store;

    private ObjectStoreCheckpoints(Supplier<ObjectStoreConnection> connections, ObjectStore store) {
        this.connections = connections;
        this.store = store;
    }

    /** Over the connector's connection factory, as a server has it: each call takes its own handle and closes it. */
    public static ObjectStoreCheckpoints perCall(Supplier<ObjectStoreConnection> connections) {
        return new ObjectStoreCheckpoints(connections, null);
    }

    /** Over one store that stays open (a test's in-memory or erasure-coded store). */
    public static ObjectStoreCheckpoints over(ObjectStore store) {
        return new ObjectStoreCheckpoints(null, store);
    }

    private <T> T call(Function<ObjectStore, T> operation) {
        if (store != null) {
            return operation.apply(store);
        }
        try (ObjectStoreConnection c = connections.get()) {
            return operation.apply(c);
        }
    }

    @Override
    public void put(String key, byte[] bytes) {
        call(s -> {
            s.put(key, bytes);
            return null;
        });
    }

    @Override
    public void put(String key, Path file) {
        call(s -> {
            try (InputStream in = Files.newInputStream(file)) {
                s.put(key, in, Files.size(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            return null;
        });
    }

    @Override
    public void put(String key, InputStream in, long length) {
        call(s -> {
            s.put(key, in, length);
            return null;
        });
    }

    @Override
    public byte[] get(String key) {
        return call(s -> s.get(key));
    }

    @Override
    public byte[] get(String key, long offset, int length) {
        return call(s -> s.get(key, offset, length));
    }

    @Override
    public int copyTo(String key, WritableByteChannel out) throws IOException {
        if (store != null) {
            return store.copyTo(key, out);
        }
        try (ObjectStoreConnection c = connections.get()) {
            return c.copyTo(key, out);
        }
    }

    @Override
    public List<String> list(String prefix) {
        return call(s -> s.list(prefix));
    }

    @Override
    public void delete(String key) {
        call(s -> {
            s.delete(key);
            return null;
        });
    }
}
