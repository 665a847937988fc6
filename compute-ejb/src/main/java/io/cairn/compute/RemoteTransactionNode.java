package io.cairn.compute;

import io.cairn.txn.CommitRequest;
import io.cairn.txn.CommitResult;
import io.cairn.txn.SnapshotTooOldException;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.TransactionService;
import io.cairn.txn.WriteConflictException;
import io.cairn.txn.record.CommitRpc;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/**
 * The TN of another server, reached over HTTP. 200 carries the commit; 409 a refused commit (the
 * {@code Cairn-Error} header says which); anything else, or no answer, means the outcome is
 * unknown ({@link TransactionNodeUnavailableException}) and the caller repeats the same request.
 */
final class RemoteTransactionNode implements TransactionService, AutoCloseable {
    private final String endpoint;
    private final String secret;
    private final TransactionNodeClient client;

    RemoteTransactionNode(String endpoint, String secret, Duration timeout) {
        this.endpoint = endpoint;
        this.secret = secret;
        this.client = RestClientBuilder.newBuilder()
                .baseUri(URI.create("http://" + endpoint))
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
        Response response;
        try {
            response = client.commit(secret, CommitRpc.encodeRequest(request));
        } catch (ProcessingException e) {
            throw new TransactionNodeUnavailableException("transaction node " + endpoint + " did not answer: "
                    + e.getMessage(), e);
        }
        try (response) {
            int status = response.getStatus();
            if (status == 200) {
                return CommitRpc.decodeResult(response.readEntity(byte[].class));
            }
            String message = response.hasEntity() ? response.readEntity(String.class) : "HTTP " + status;
            if (status == 409) {
                String kind = response.getHeaderString(TransactionNodeClient.ERROR_HEADER);
                if ("snapshot-too-old".equals(kind)) {
                    throw new SnapshotTooOldException(message);
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
