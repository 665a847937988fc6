package io.cairn.storage.jca;

import io.cairn.storage.StorageException;
import io.cairn.storage.impl.ErasureCodedStore;
import io.cairn.storage.impl.StoreConfig;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.Subject;

/**
 * Outbound connection factory of the storage adapter: a JavaBean of config properties (see ra.xml and the
 * module README) that owns one {@link ErasureCodedStore}, created on first use and shared by all its
 * managed connections. Configuration is validated once, when the store is created; a bad value gives a
 * {@link ResourceException} naming the property.
 */
public class ObjectStoreManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation {
    private static final long serialVersionUID = 1L;

    private String endpoints;
    private String accessKey;
    private String secretKey;
    private String bucket = "cairn";
    private Integer dataShards = 4;
    private Integer parityShards = 2;
    /** 0: k chunks of {@link StoreConfig#DEFAULT_CHUNK_SIZE}. */
    private Integer stripeSize = 0;
    private Integer connectTimeoutMillis = 2000;
    private Integer requestTimeoutMillis = 30000;
    private Integer maxAttempts = 3;
    private Integer maxConcurrentPerEndpoint = 8;
    private Long maxObjectSize = 256L << 20;

    private transient ResourceAdapter resourceAdapter;
    private transient PrintWriter logWriter;
    private transient ErasureCodedStore store;

    /** The validated config built from the properties. */
    public StoreConfig toConfig() {
        return StoreConfig.builder()
                .endpoints(endpoints == null ? "" : endpoints)
                .accessKey(accessKey).secretKey(secretKey).bucket(bucket)
                .dataShards(dataShards).parityShards(parityShards).stripeSize(stripeSize)
                .connectTimeout(Duration.ofMillis(connectTimeoutMillis))
                .requestTimeout(Duration.ofMillis(requestTimeoutMillis))
                .maxAttempts(maxAttempts).maxConcurrentPerEndpoint(maxConcurrentPerEndpoint)
                .maxObjectSize(maxObjectSize)
                .build();
    }

    /** The shared store, created on first call. */
    synchronized ErasureCodedStore store() throws ResourceException {
        if (store == null) {
            try {
                store = ErasureCodedStore.open(toConfig());
            } catch (IllegalArgumentException | StorageException e) {
                throw new ResourceException("Cairn storage: " + e.getMessage(), e);
            }
        }
        return store;
    }

    /** Closes the shared store (endpoint clients, threads); a later connection opens a new one. */
    public synchronized void closeStore() {
        if (store != null) {
            try {
                store.close();
            } finally {
                store = null;
            }
        }
    }

    @Override
    public Object createConnectionFactory(ConnectionManager cm) {
        return new ObjectStoreConnectionFactoryImpl(this, cm);
    }

    /** Non-managed use (outside a server): connections are created directly. */
    @Override
    public Object createConnectionFactory() {
        return new ObjectStoreConnectionFactoryImpl(this, new DirectConnectionManager());
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        return new ObjectStoreManagedConnection(this, store());
    }

    /** All connections of this factory are equivalent (no per-user credentials): any one matches. */
    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set set, Subject subject, ConnectionRequestInfo info) {
        for (Object o : set) {
            if (o instanceof ObjectStoreManagedConnection mc && mc.factory() == this) {
                return mc;
            }
        }
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) {
        this.resourceAdapter = ra;
        if (ra instanceof CairnStorageResourceAdapter c) {
            c.register(this);
        }
    }

    // ---- config properties (JavaBean; types as declared in ra.xml)

    public String getEndpoints() {
        return endpoints;
    }

    public void setEndpoints(String v) {
        endpoints = v;
    }

    public String getAccessKey() {
        return accessKey;
    }

    public void setAccessKey(String v) {
        accessKey = v;
    }

    public String getSecretKey() {
        return secretKey;
    }

    public void setSecretKey(String v) {
        secretKey = v;
    }

    public String getBucket() {
        return bucket;
    }

    public void setBucket(String v) {
        bucket = v;
    }

    public Integer getDataShards() {
        return dataShards;
    }

    public void setDataShards(Integer v) {
        dataShards = v;
    }

    public Integer getParityShards() {
        return parityShards;
    }

    public void setParityShards(Integer v) {
        parityShards = v;
    }

    public Integer getStripeSize() {
        return stripeSize;
    }

    public void setStripeSize(Integer v) {
        stripeSize = v;
    }

    public Integer getConnectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    public void setConnectTimeoutMillis(Integer v) {
        connectTimeoutMillis = v;
    }

    public Integer getRequestTimeoutMillis() {
        return requestTimeoutMillis;
    }

    public void setRequestTimeoutMillis(Integer v) {
        requestTimeoutMillis = v;
    }

    public Integer getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(Integer v) {
        maxAttempts = v;
    }

    public Integer getMaxConcurrentPerEndpoint() {
        return maxConcurrentPerEndpoint;
    }

    public void setMaxConcurrentPerEndpoint(Integer v) {
        maxConcurrentPerEndpoint = v;
    }

    public Long getMaxObjectSize() {
        return maxObjectSize;
    }

    public void setMaxObjectSize(Long v) {
        maxObjectSize = v;
    }

    /** JCA requires value equality over the configuration. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectStoreManagedConnectionFactory f && Objects.equals(endpoints, f.endpoints)
                && Objects.equals(accessKey, f.accessKey) && Objects.equals(secretKey, f.secretKey)
                && Objects.equals(bucket, f.bucket) && Objects.equals(dataShards, f.dataShards)
                && Objects.equals(parityShards, f.parityShards) && Objects.equals(stripeSize, f.stripeSize)
                && Objects.equals(connectTimeoutMillis, f.connectTimeoutMillis)
                && Objects.equals(requestTimeoutMillis, f.requestTimeoutMillis)
                && Objects.equals(maxAttempts, f.maxAttempts)
                && Objects.equals(maxConcurrentPerEndpoint, f.maxConcurrentPerEndpoint)
                && Objects.equals(maxObjectSize, f.maxObjectSize);
    }

    @Override
    public int hashCode() {
        return Objects.hash(endpoints, bucket, dataShards, parityShards);
    }
}
