package io.cairn.admin;

import io.cairn.log.GroupInfo;
import io.cairn.log.LogAdmin;
import io.cairn.log.LogException;
import io.cairn.log.LogRole;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;

/**
 * The shared log's group as this server's log peer sees it, and the operator's leadership transfer
 * (fault injection and maintenance). 404 on a server without the log role; 503 when the log cannot
 * answer or the transfer did not complete in time.
 */
@Path("cluster/log")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class LogResource {
    @Inject
    NodeBootstrap bootstrap;

    /** Leader, term and each peer's progress. */
    @RolesAllowed({AdminRoles.READER, AdminRoles.OPERATOR})
    @GET
    public GroupInfo group() {
        try {
            return log().groupInfo();
        } catch (LogException e) {
            throw new ServiceUnavailableException(e.getMessage());
        }
    }

    /**
     * Hands the leadership to peer {@code to}, or, without it, to the first other peer with the least lag;
     * answers the group once the transfer completed. Note that the active TN pulls the leadership back to
     * its own peer after a while (see txn-ejb's README).
     */
    @RolesAllowed(AdminRoles.OPERATOR)
    @POST
    @Path("leader/transfer")
    public GroupInfo transfer(@QueryParam("to") String to) {
        try {
            GroupInfo before = log().groupInfo();
            String target = to != null && !to.isBlank() ? to.trim() : before.peers().stream()
                    .filter(p -> !p.id().equals(before.leaderId()) && p.lag() >= 0)
                    .min((a, b) -> Long.compare(a.lag(), b.lag()))
                    .map(GroupInfo.PeerInfo::id)
                    .orElseThrow(() -> new ServiceUnavailableException("no caught-up peer to take the leadership"));
            if (before.peers().stream().noneMatch(p -> p.id().equals(target))) {
                throw new BadRequestException("no log peer named " + target);
            }
            log().transferLeadership(target);
            return log().groupInfo();
        } catch (LogException e) {
            throw new ServiceUnavailableException(e.getMessage());
        }
    }

    private LogAdmin log() {
        LogRole role = bootstrap.log().orElseThrow(() -> new NotFoundException("this server runs no log peer"));
        try {
            return role.logAdmin();
        } catch (IllegalStateException e) {
            throw new ServiceUnavailableException(e.getMessage());
        }
    }
}
