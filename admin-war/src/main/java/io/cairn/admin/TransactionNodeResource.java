package io.cairn.admin;

import io.cairn.node.Role;
import io.cairn.server.ServerAssembly;
import io.cairn.txn.TransactionNodeEndpoint;
import io.cairn.txn.TransactionNodeRole;
import io.cairn.txn.record.TnRpc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * This server's TN, for CNs on other servers: the JAX-RS adapter of {@link TransactionNodeEndpoint}, which
 * decides every answer ({@link TnRpc}). Authenticated by {@link ClusterAuthFilter}.
 *
 * <p>Application-scoped, and the endpoint looks the TN up only until it has one: a request-scoped
 * resource and an EJB call per RPC were a third of the TN server's RPC CPU under sysbench read_write on a
 * 3-server cluster (Weld and the EJB container 55 of 169 samples, the TN's own work 8).
 */
@Path("internal/tn")
@ApplicationScoped
public class TransactionNodeResource {
    private final TransactionNodeEndpoint endpoint = new TransactionNodeEndpoint(() -> ServerAssembly.shared()
            .role(Role.TN, TransactionNodeRole.class).map(TransactionNodeRole::service).orElse(null));

    @POST
    @Path("{operation}")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    public Response call(@PathParam("operation") String operation, byte[] body) {
        TransactionNodeEndpoint.Answer answer = endpoint.call(operation, body);
        if (answer.status() == 204) {
            return Response.noContent().build();
        }
        Response.ResponseBuilder builder = Response.status(answer.status())
                .type(answer.isText() ? MediaType.TEXT_PLAIN_TYPE : MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .entity(answer.body());
        if (answer.errorKind() != null) {
            builder.header(TnRpc.ERROR_HEADER, answer.errorKind());
        }
        return builder.build();
    }
}
