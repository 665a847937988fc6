package io.cairn.proxy.web;

import io.cairn.txn.CommitRequest;
import io.cairn.txn.CommitResult;
import io.cairn.txn.DeadlockException;
import io.cairn.txn.LockRequest;
import io.cairn.txn.SnapshotTooOldException;
import io.cairn.txn.TransactionNodeBean;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.TransactionService;
import io.cairn.txn.WriteConflictException;
import io.cairn.txn.record.CommitRpc;
import io.cairn.txn.record.LockRpc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * This server's TN, for CNs on other servers: the HTTP face of {@link TransactionService} (commits
 * and row locks). 200 with the answer (204 for the lock calls that return nothing); 409 with
 * {@code Cairn-Error: write-conflict|snapshot-too-old|deadlock}; 503 when this TN is not active or
 * the outcome is unknown; 400 for a malformed body. Authenticated by {@link ClusterAuthFilter}.
 *
 * <p>One instance serves every call, and it asks the EJB for the TN only until it has one (a server's TN,
 * once started, stays the same object): a request-scoped resource and an EJB call per RPC were most of
 * the TN server's CPU under sysbench read_write on a 3-server cluster (Weld and the EJB container 55 of
 * 169 samples, the TN's own work 8).
 */
@Path("internal/tn")
@ApplicationScoped
public class TransactionNodeResource {
    private static final String ERROR_HEADER = "Cairn-Error";

    @Inject
    TransactionNodeBean transactionNode;
    private volatile TransactionService started;

    /** This server's TN, or null when it runs none or it has not started yet. */
    private TransactionService service() {
        TransactionService tn = started;
        if (tn == null) {
            tn = started = transactionNode.service();
        }
        return tn;
    }

    @POST
    @Path("commit")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Response commit(byte[] body) {
        CommitRequest request;
        try {
            request = CommitRpc.decodeRequest(body);
        } catch (IllegalArgumentException e) {
            return text(Response.Status.BAD_REQUEST, e.getMessage(), null);
        }
        TransactionService tn = service();
        if (tn == null) {
            return text(Response.Status.SERVICE_UNAVAILABLE, "this server runs no transaction node", null);
        }
        try {
            CommitResult result = tn.commit(request);
            return Response.ok(CommitRpc.encodeResult(result), MediaType.APPLICATION_OCTET_STREAM).build();
        } catch (WriteConflictException e) {
            return text(Response.Status.CONFLICT, e.getMessage(), "write-conflict");
        } catch (SnapshotTooOldException e) {
            return text(Response.Status.CONFLICT, e.getMessage(), "snapshot-too-old");
        } catch (TransactionNodeUnavailableException e) {
            return text(Response.Status.SERVICE_UNAVAILABLE, e.getMessage(), null);
        }
    }

    @POST
    @Path("lock")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Response lock(byte[] body) {
        LockRequest request;
        try {
            request = LockRpc.decodeRequest(body);
        } catch (IllegalArgumentException e) {
            return text(Response.Status.BAD_REQUEST, e.getMessage(), null);
        }
        TransactionService tn = service();
        if (tn == null) {
            return text(Response.Status.SERVICE_UNAVAILABLE, "this server runs no transaction node", null);
        }
        try {
            return Response.ok(LockRpc.encodeResult(tn.lock(request)), MediaType.APPLICATION_OCTET_STREAM).build();
        } catch (DeadlockException e) {
            return text(Response.Status.CONFLICT, e.getMessage(), "deadlock");
        } catch (TransactionNodeUnavailableException e) {
            return text(Response.Status.SERVICE_UNAVAILABLE, e.getMessage(), null);
        }
    }

    @POST
    @Path("abandon-wait")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    public Response abandonWait(byte[] body) {
        return named(body, CommitRequest.MAX_TXN_ID, (tn, txnId) -> tn.abandonWait(txnId));
    }

    @POST
    @Path("release")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    public Response release(byte[] body) {
        return named(body, CommitRequest.MAX_TXN_ID, (tn, txnId) -> tn.release(txnId));
    }

    @POST
    @Path("keep-alive")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    public Response keepAlive(byte[] body) {
        return named(body, LockRequest.MAX_OWNER, (tn, owner) -> tn.keepAlive(owner));
    }

    /** A lock call whose body is one name (a transaction or an owner id). */
    private Response named(byte[] body, int maxLength, java.util.function.BiConsumer<TransactionService, String> call) {
        String name;
        try {
            name = LockRpc.decodeName(body, maxLength);
        } catch (IllegalArgumentException e) {
            return text(Response.Status.BAD_REQUEST, e.getMessage(), null);
        }
        TransactionService tn = service();
        if (tn == null) {
            return text(Response.Status.SERVICE_UNAVAILABLE, "this server runs no transaction node", null);
        }
        try {
            call.accept(tn, name);
            return Response.noContent().build();
        } catch (TransactionNodeUnavailableException e) {
            return text(Response.Status.SERVICE_UNAVAILABLE, e.getMessage(), null);
        }
    }

    private static Response text(Response.Status status, String message, String kind) {
        Response.ResponseBuilder builder = Response.status(status).type(MediaType.TEXT_PLAIN).entity(message);
        if (kind != null) {
            builder.header(ERROR_HEADER, kind);
        }
        return builder.build();
    }
}
