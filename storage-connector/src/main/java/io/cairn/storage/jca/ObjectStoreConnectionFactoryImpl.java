package io.cairn.storage.jca;

import io.cairn.storage.ObjectStoreConnection;
import io.cairn.storage.ObjectStoreConnectionFactory;
import io.cairn.storage.StorageException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import javax.naming.Reference;

/** The factory applications see; asks the container's connection manager for handles. */
public class ObjectStoreConnectionFactoryImpl implements ObjectStoreConnectionFactory {
    private static final long serialVersionUID = 1L;

    private final ObjectStoreManagedConnectionFactory mcf;
    private final ConnectionManager cm;
    private Reference reference;

    public ObjectStoreConnectionFactoryImpl(ObjectStoreManagedConnectionFactory mcf, ConnectionManager cm) {
        this.mcf = mcf;
        this.cm = cm;
    }

    @Override
    public ObjectStoreConnection getConnection() {
        try {
            return (ObjectStoreConnection) cm.allocateConnection(mcf, null);
        } catch (ResourceException e) {
            throw new StorageException("cannot get a storage connection: " + e.getMessage(), e);
        }
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }
}
