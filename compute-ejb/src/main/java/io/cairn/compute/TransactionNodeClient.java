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
    /** Header naming the kind of a refused commit: {@code write-conflict} or {@code snapshot-too-old}. */
    String ERROR_HEADER = "Cairn-Error";

    @POST
    @Path("commit")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    Response commit(@HeaderParam(SECRET_HEADER) String secret, byte[] request);
}
