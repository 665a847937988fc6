package io.cairn.data;

import io.cairn.storage.ObjectStoreConnection;
import io.cairn.storage.ObjectStoreConnectionFactory;
import io.cairn.storage.jca.CairnStorageResourceAdapter;
import io.cairn.storage.jca.ObjectStoreManagedConnectionFactory;
import io.cairn.storage.testing.S3Endpoints;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.server.ObjectStoreCheckpoints;

/**
 * Checkpoint storage on real S3 endpoints: six in-process S3Proxy servers under 4+2 erasure
 * coding, through the storage connector's JCA classes as a server configures them (non-managed,
 * short timeouts so that a stopped endpoint costs little).
 */
final class S3Checkpoints implements AutoCloseable {
    private final S3Endpoints endpoints;
    private final CairnStorageResourceAdapter adapter = new CairnStorageResourceAdapter();
    private final ObjectStoreConnection connection;
    private final CheckpointStore store;

    S3Checkpoints() {
        endpoints = S3Endpoints.builder().count(6).build();
        try {
            adapter.start(null);
            ObjectStoreManagedConnectionFactory mcf = new ObjectStoreManagedConnectionFactory();
            mcf.setEndpoints(String.join(",", endpoints.specs()));
            mcf.setAccessKey(S3Endpoints.ACCESS_KEY);
            mcf.setSecretKey(S3Endpoints.SECRET_KEY);
            mcf.setBucket(S3Endpoints.BUCKET);
            mcf.setDataShards(4);
            mcf.setParityShards(2);
            mcf.setConnectTimeoutMillis(500);
            mcf.setRequestTimeoutMillis(10_000);
            mcf.setMaxAttempts(2);
            mcf.setResourceAdapter(adapter);
            connection = ((ObjectStoreConnectionFactory) mcf.createConnectionFactory()).getConnection();
        } catch (RuntimeException e) {
            adapter.stop();
            endpoints.close();
            throw new IllegalStateException("cannot open the erasure-coded store over S3Proxy: " + e, e);
        }
        store = ObjectStoreCheckpoints.over(connection);
    }

    CheckpointStore store() {
        return store;
    }

    S3Endpoints endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        try {
            connection.close();
            adapter.stop();
        } finally {
            endpoints.close();
        }
    }
}
