package io.cairn.storage.jca;

import io.cairn.storage.HealReport;
import io.cairn.storage.ObjectMetadata;
import io.cairn.storage.ObjectStoreConnection;
import io.cairn.storage.StorageHealth;
import io.cairn.storage.impl.ErasureCodedStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.WritableByteChannel;
import java.util.List;

/** The connection handle: delegates to the managed connection's shared store until closed. */
public class ObjectStoreConnectionImpl implements ObjectStoreConnection {
    private volatile ObjectStoreManagedConnection mc;
    private volatile boolean closed;

    ObjectStoreConnectionImpl(ObjectStoreManagedConnection mc) {
        this.mc = mc;
    }

    void reassociate(ObjectStoreManagedConnection other) {
        ObjectStoreManagedConnection old = mc;
        if (old != null && old != other) {
            old.dissociate(this);
        }
        mc = other;
    }

    void invalidate() {
        closed = true;
    }

    private ErasureCodedStore store() {
        ObjectStoreManagedConnection c = mc;
        if (closed || c == null) {
            throw new IllegalStateException("storage connection is closed");
        }
        return c.store();
    }

    @Override
    public void put(String key, byte[] data) {
        store().put(key, data);
    }

    @Override
    public void put(String key, InputStream data, long length) {
        store().put(key, data, length);
    }

    @Override
    public byte[] get(String key) {
        return store().get(key);
    }

    @Override
    public byte[] get(String key, long offset, int length) {
        return store().get(key, offset, length);
    }

    /** The stream reads from the shared store: it stays usable after this handle closes, until the adapter stops. */
    @Override
    public InputStream open(String key) {
        return store().open(key);
    }

    @Override
    public int copyTo(String key, WritableByteChannel out) throws IOException {
        return store().copyTo(key, out);
    }

    @Override
    public ObjectMetadata head(String key) {
        return store().head(key);
    }

    @Override
    public List<String> list(String prefix) {
        return store().list(prefix);
    }

    @Override
    public void delete(String key) {
        store().delete(key);
    }

    @Override
    public StorageHealth health() {
        return store().health();
    }

    @Override
    public io.cairn.storage.StorageStatistics statistics() {
        return store().statistics();
    }

    @Override
    public HealReport heal(String key) {
        return store().heal(key);
    }

    @Override
    public HealReport healAll() {
        return store().healAll();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ObjectStoreManagedConnection c = mc;
            if (c != null) {
                c.handleClosed(this);
            }
        }
    }
}
