package io.cairn.compute;

import io.cairn.txn.CommitRequest;
import io.cairn.txn.CommitResult;
import io.cairn.txn.DeadlockException;
import io.cairn.txn.LockRequest;
import io.cairn.txn.LockResult;
import io.cairn.txn.SnapshotTooOldException;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.TransactionService;
import io.cairn.txn.WriteConflictException;
import io.cairn.txn.record.CommitRpc;
import io.cairn.txn.record.LockRpc;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/**
 * The TN of another server, reached over HTTPS with the cluster's mutual TLS (or plain HTTP on a
 * loopback-only cluster without it). 200 carries the answer; 409 a refused commit or a
 * deadlock victim (the {@code Cairn-Error} header says which); anything else, or no answer, means
 * the outcome is unknown ({@link TransactionNodeUnavailableException}) and the caller repeats the
 * same request. A lock call waits at the TN for less than the read timeout.
 */
final class RemoteTransactionNode implements TransactionService, AutoCloseable {
    private final String endpoint;
    private final String secret;
    private final TransactionNodeClient client;

    /**
     * Liberty's SSL configuration with the cluster key and trust stores ({@code liberty-config/cluster-tls.xml}).
     * Liberty's JAX-RS client takes its TLS settings from such a configuration, named by the property
     * below; an {@code SSLContext} handed to the builder is not used (the call fails for want of a default
     * SSL configuration).
     */
    static final String CLUSTER_SSL_CONFIG = "cairnClusterSSL";
    private static final String LIBERTY_SSL_CONFIG_PROPERTY = "com.ibm.ws.jaxrs.client.ssl.config";

    /**
     * @param endpoint the TN's internal HTTP(S) address, {@code host:port}
     * @param secret   the cluster secret, sent with every call
     * @param https    over HTTPS with the cluster certificate ({@link #CLUSTER_SSL_CONFIG}: this server's
     *                 certificate presented, only the cluster CA trusted), else plain HTTP (loopback only)
     */
    RemoteTransactionNode(String endpoint, String secret, boolean https, Duration timeout) {
        this.endpoint = endpoint;
        this.secret = secret;
        RestClientBuilder builder = RestClientBuilder.newBuilder()
                .baseUri(URI.create((https ? "https://" : "http://") + endpoint));
        if (https) {
            builder = builder.property(LIBERTY_SSL_CONFIG_PROPERTY, CLUSTER_SSL_CONFIG);
        }
        this.client = builder
                .connectTimeout(1, TimeUnit.SECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .property("microprofile.rest.client.disable.default.mapper", true)
                .build(TransactionNodeClient.class);
    }

    String endpoint() {
        return endpoint;
    }

    @Override
    public CommitResult commit(CommitRequest request) {
        byte[] body = call(() -> client.commit(secret, CommitRpc.encodeRequest(request)));
        return CommitRpc.decodeResult(body);
    }

    @Override
    public LockResult lock(LockRequest request) {
        return LockRpc.decodeResult(call(() -> client.lock(secret, LockRpc.encodeRequest(request))));
    }

    @Override
    public void abandonWait(String txnId) {
        call(() -> client.abandonWait(secret, LockRpc.encodeName(txnId)));
    }

    @Override
    public void release(String txnId) {
        call(() -> client.release(secret, LockRpc.encodeName(txnId)));
    }

    @Override
    public void keepAlive(String owner) {
        call(() -> client.keepAlive(secret, LockRpc.encodeName(owner)));
    }

    /** Makes a call; the body of a 200 (or 204: empty), else the refusal or unavailability it means. */
    private byte[] call(Supplier<Response> call) {
        Response response;
        try {
            response = call.get();
        } catch (ProcessingException e) {
            throw new TransactionNodeUnavailableException("transaction node " + endpoint + " did not answer: "
                    + e.getMessage(), e);
        }
        try (response) {
            int status = response.getStatus();
            if (status == 200) {
                return response.readEntity(byte[].class);
            }
            if (status == 204) {
                return new byte[0];
            }
            String message = response.hasEntity() ? response.readEntity(String.class) : "HTTP " + status;
            if (status == 409) {
                String kind = response.getHeaderString(TransactionNodeClient.ERROR_HEADER);
                if ("snapshot-too-old".equals(kind)) {
                    throw new SnapshotTooOldException(message);
                }
                if ("deadlock".equals(kind)) {
                    throw new DeadlockException(message);
                }
                throw new WriteConflictException(message);
            }
            throw new TransactionNodeUnavailableException("transaction node " + endpoint + " answered " + status
                    + ": " + message, null);
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            java.util.logging.Logger.getLogger(RemoteTransactionNode.class.getName())
                    .log(java.util.logging.Level.FINE, "closing the client of " + endpoint, e);
        }
    }
}
