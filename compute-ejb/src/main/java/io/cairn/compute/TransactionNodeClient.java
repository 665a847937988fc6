package io.cairn.compute;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The active TN's commit endpoint, as a MicroProfile Rest Client. Bodies are the binary forms of
 * {@link io.cairn.txn.record.CommitRpc}; the answer's status says what happened (see
 * {@link RemoteTransactionNode}).
 */
@Path("/api/internal/tn")
public interface TransactionNodeClient extends AutoCloseable {
    /** Header carrying the cluster secret that authenticates server-to-server calls. */
    String SECRET_HEADER = "Cairn-Cluster-Secret";
    /** Header naming the kind of a refusal: {@code write-conflict}, {@code snapshot-too-old} or {@code deadlock}. */
    String ERROR_HEADER = "Cairn-Error";

    @POST
    @Path("commit")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    Response commit(@HeaderParam(SECRET_HEADER) String secret, byte[] request);

    /** {@link io.cairn.txn.LockService#lock}: body and answer as {@link io.cairn.txn.record.LockRpc}. */
    @POST
    @Path("lock")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    Response lock(@HeaderParam(SECRET_HEADER) String secret, byte[] request);

    /** {@link io.cairn.txn.LockService#abandonWait}: the body is the transaction id. */
    @POST
    @Path("abandon-wait")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    Response abandonWait(@HeaderParam(SECRET_HEADER) String secret, byte[] txnId);

    /** {@link io.cairn.txn.LockService#release}: the body is the transaction id. */
    @POST
    @Path("release")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    Response release(@HeaderParam(SECRET_HEADER) String secret, byte[] txnId);

    /** {@link io.cairn.txn.LockService#keepAlive}: the body is the owner id. */
    @POST
    @Path("keep-alive")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    Response keepAlive(@HeaderParam(SECRET_HEADER) String secret, byte[] owner);
}
