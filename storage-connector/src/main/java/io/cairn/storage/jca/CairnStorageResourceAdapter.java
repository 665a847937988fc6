package io.cairn.storage.jca;

import jakarta.resource.ResourceException;
import jakarta.resource.NotSupportedException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.io.Serializable;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.transaction.xa.XAResource;

/**
 * The resource adapter: outbound only. Its one job is lifecycle: on {@link #stop()} it closes the stores
 * (endpoint clients and threads) of every connection factory associated with it.
 */
public class CairnStorageResourceAdapter implements ResourceAdapter, Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(CairnStorageResourceAdapter.class.getName());

    private final transient Set<ObjectStoreManagedConnectionFactory> factories = ConcurrentHashMap.newKeySet();

    @Override
    public void start(BootstrapContext ctx) {
        LOG.info("Cairn storage resource adapter started");
    }

    @Override
    public void stop() {
        for (ObjectStoreManagedConnectionFactory f : factories) {
            f.closeStore();
        }
        factories.clear();
        LOG.info("Cairn storage resource adapter stopped");
    }

    void register(ObjectStoreManagedConnectionFactory f) {
        factories.add(f);
    }

    @Override
    public void endpointActivation(MessageEndpointFactory f, ActivationSpec spec) throws ResourceException {
        throw new NotSupportedException("the storage adapter has no inbound side");
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory f, ActivationSpec spec) {
        // no inbound side
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }
}
