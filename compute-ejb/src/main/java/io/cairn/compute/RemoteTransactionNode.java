package io.cairn.compute;

import io.cairn.txn.CommitRequest;
import io.cairn.txn.CommitResult;
import io.cairn.txn.DeadlockException;
import io.cairn.txn.LockRequest;
import io.cairn.txn.LockResult;
import io.cairn.txn.ReadOnlyClusterException;
import io.cairn.txn.SnapshotTooOldException;
import io.cairn.txn.TransactionNodeBusyException;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.TransactionService;
import io.cairn.txn.WriteConflictException;
import io.cairn.txn.record.CommitRpc;
import io.cairn.txn.record.LockRpc;
import io.cairn.txn.record.TnRpc;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * The TN of another server, reached over HTTPS with the cluster's mutual TLS (or plain HTTP on a
 * loopback-only cluster without it). 200 carries the answer; 409 a refused commit or a
 * deadlock victim (the {@code Cairn-Error} header says which); 429 a commit held back and not made
 * ({@link TransactionNodeBusyException}); anything else, or no answer, means
 * the outcome is unknown ({@link TransactionNodeUnavailableException}) and the caller repeats the
 * same request. A lock call waits at the TN for less than the read timeout.
 *
 * <p>The JDK's {@link HttpClient} with the cluster's {@link SSLContext}, not a MicroProfile Rest Client: with a
 * client certificate, Liberty's Rest Client (RESTEasy on Apache HttpClient) leased no pooled connection to a
 * new request, so every lock and commit call made a full TLS handshake (86 % of the commit-call thread's CPU
 * under sysbench read_write on a 3-server cluster, which made 18–32 transactions/s). The JDK client keeps its
 * HTTP/1.1 connections open and reuses them. Thread-safe.
 */
final class RemoteTransactionNode implements TransactionService, AutoCloseable {
    private final String endpoint;
    private final String secret;
    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param endpoint the TN's internal HTTP(S) address, {@code host:port}
     * @param secret   the cluster secret, sent with every call
     * @param tls      the cluster's TLS context (this server's certificate presented, only the cluster CA
     *                 trusted), or null for plain HTTP (a loopback-only cluster)
     * @param timeout  how long one call may take, its answer included
     */
    RemoteTransactionNode(String endpoint, String secret, SSLContext tls, Duration timeout) {
        this.endpoint = endpoint;
        this.secret = secret;
        this.base = URI.create((tls != null ? "https://" : "http://") + endpoint + TnRpc.PATH);
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    String endpoint() {
        return endpoint;
    }

    @Override
    public CommitResult commit(CommitRequest request) {
        return CommitRpc.decodeResult(call(TnRpc.COMMIT, CommitRpc.encodeRequest(request)));
    }

    @Override
    public LockResult lock(LockRequest request) {
        return LockRpc.decodeResult(call(TnRpc.LOCK, LockRpc.encodeRequest(request)));
    }

    @Override
    public void abandonWait(String txnId) {
        call(TnRpc.ABANDON_WAIT, LockRpc.encodeName(txnId));
    }

    @Override
    public void release(String txnId) {
        call(TnRpc.RELEASE, LockRpc.encodeName(txnId));
    }

    @Override
    public void keepAlive(String owner) {
        call(TnRpc.KEEP_ALIVE, LockRpc.encodeName(owner));
    }

    /** POSTs {@code body}; the answer of a 200 (or 204: empty), else the refusal or unavailability it means. */
    private byte[] call(String operation, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(operation)).timeout(timeout)
                .header(TnRpc.SECRET_HEADER, secret).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new TransactionNodeUnavailableException("transaction node " + endpoint + " did not answer: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransactionNodeUnavailableException("interrupted while calling transaction node " + endpoint, e);
        }
        int status = response.statusCode();
        if (status == 200) {
            return response.body();
        }
        if (status == 204) {
            return new byte[0];
        }
        byte[] answer = response.body();
        String message = answer == null || answer.length == 0 ? "HTTP " + status : new String(answer, StandardCharsets.UTF_8);
        if (status == 409) {
            String kind = response.headers().firstValue(TnRpc.ERROR_HEADER).orElse("");
            if (TnRpc.SNAPSHOT_TOO_OLD.equals(kind)) {
                throw new SnapshotTooOldException(message);
            }
            if (TnRpc.DEADLOCK.equals(kind)) {
                throw new DeadlockException(message);
            }
            if (TnRpc.READ_ONLY.equals(kind)) {
                throw new ReadOnlyClusterException(message);
            }
            throw new WriteConflictException(message);
        }
        if (status == 429) {
            throw new TransactionNodeBusyException(message);
        }
        throw new TransactionNodeUnavailableException("transaction node " + endpoint + " answered " + status
                + ": " + message, null);
    }

    /** Nothing to release: the JDK client's idle connections close on their own (Java 17 has no close()). */
    @Override
    public void close() {
    }
}
