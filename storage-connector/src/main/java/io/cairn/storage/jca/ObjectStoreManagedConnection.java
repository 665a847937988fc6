package io.cairn.storage.jca;

import io.cairn.storage.impl.ErasureCodedStore;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

/**
 * A pooled "physical" connection. It holds no socket of its own: the factory's shared store does the I/O, so
 * this class only tracks handles and tells the container when they close. No transactions (NoTransaction).
 */
public class ObjectStoreManagedConnection implements ManagedConnection {
    private final ObjectStoreManagedConnectionFactory factory;
    private final ErasureCodedStore store;
    private final Set<ObjectStoreConnectionImpl> handles = ConcurrentHashMap.newKeySet();
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private PrintWriter logWriter;

    ObjectStoreManagedConnection(ObjectStoreManagedConnectionFactory factory, ErasureCodedStore store) {
        this.factory = factory;
        this.store = store;
    }

    ObjectStoreManagedConnectionFactory factory() {
        return factory;
    }

    ErasureCodedStore store() {
        return store;
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) {
        ObjectStoreConnectionImpl h = new ObjectStoreConnectionImpl(this);
        handles.add(h);
        return h;
    }

    void handleClosed(ObjectStoreConnectionImpl h) {
        if (handles.remove(h)) {
            ConnectionEvent ev = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
            ev.setConnectionHandle(h);
            for (ConnectionEventListener l : listeners) {
                l.connectionClosed(ev);
            }
        }
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof ObjectStoreConnectionImpl h)) {
            throw new ResourceException("not a storage connection handle: " + connection);
        }
        h.reassociate(this);
        handles.add(h);
    }

    void dissociate(ObjectStoreConnectionImpl h) {
        handles.remove(h);
    }

    @Override
    public void cleanup() {
        for (ObjectStoreConnectionImpl h : handles) {
            h.invalidate();
        }
        handles.clear();
    }

    @Override
    public void destroy() {
        cleanup();
        listeners.clear();
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener l) {
        listeners.add(l);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener l) {
        listeners.remove(l);
    }

    @Override
    public XAResource getXAResource() throws ResourceException {
        throw new NotSupportedException("storage connections are not transactional");
    }

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        throw new NotSupportedException("storage connections are not transactional");
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new ManagedConnectionMetaData() {
            @Override
            public String getEISProductName() {
                return "Cairn erasure-coded object storage";
            }

            @Override
            public String getEISProductVersion() {
                return "1";
            }

            @Override
            public int getMaxConnections() {
                return 0;
            }

            @Override
            public String getUserName() {
                return null;
            }
        };
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }
}
