package io.cairn.admin;

import io.cairn.node.Role;
import io.cairn.server.ServerAssembly;
import io.cairn.txn.TransactionNodeRole;
import io.cairn.txn.backup.Promotion;
import io.cairn.txn.standby.Standby;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;

/**
 * The standby cluster and switchovers, under {@code /api/standby}, on a server with the TN role (the actions on
 * the server of the active TN):
 * <ul>
 *   <li>{@code GET}: a standby's state, the primary's archive it follows, the newest commit it holds and its lag
 *   (both admin roles); 404 on a cluster that is no standby;</li>
 *   <li>{@code POST promote[?force=true]}: makes the standby a primary, fencing the old one (operator); 409 when it
 *   cannot (the reason says why, and whether {@code force} would);</li>
 *   <li>{@code POST drain}: on the primary, before a planned switchover: refuses writes from now on and answers
 *   once the log archive holds every commit (operator); {@code DELETE drain} takes writes again.</li>
 * </ul>
 */
@Path("standby")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class StandbyResource {
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    @RolesAllowed({AdminRoles.READER, AdminRoles.OPERATOR})
    @GET
    public Standby.Status status() {
        return standby().status();
    }

    @RolesAllowed(AdminRoles.OPERATOR)
    @POST
    @Path("promote")
    public Promotion promote(@QueryParam("force") boolean force) {
        try {
            return standby().promote(force);
        } catch (IllegalStateException e) {
            throw new ClientErrorException(e.getMessage(), Response.Status.CONFLICT);
        }
    }

    @RolesAllowed(AdminRoles.OPERATOR)
    @POST
    @Path("drain")
    public TransactionNodeRole.Drained drain() {
        try {
            return tn().drain(DRAIN_TIMEOUT);
        } catch (IllegalStateException e) {
            throw new ClientErrorException(e.getMessage(), Response.Status.CONFLICT);
        }
    }

    @RolesAllowed(AdminRoles.OPERATOR)
    @DELETE
    @Path("drain")
    public Response undrain() {
        tn().undrain();
        return Response.noContent().build();
    }

    private static TransactionNodeRole tn() {
        return ServerAssembly.shared().role(Role.TN, TransactionNodeRole.class)
                .orElseThrow(() -> new NotFoundException("this server runs no transaction node"));
    }

    private static Standby standby() {
        return tn().standby().orElseThrow(() -> new NotFoundException("this cluster is no standby (cairn.standby.of)"));
    }
}
