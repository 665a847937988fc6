package io.cairn.admin;

import io.cairn.log.GroupInfo;
import io.cairn.log.LogAdmin;
import io.cairn.log.LogException;
import io.cairn.log.LogRole;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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

    /**
     * Adds peer {@code id} at {@code address} ({@code host:port} of its log port) as a voter; Ratis brings it up to
     * date before it votes. Its server must run the log role with this id, started (empty when it replaces a
     * peer whose disk was lost) and waiting to be let in. Answers the group with the new peer.
     */
    @RolesAllowed(AdminRoles.OPERATOR)
    @POST
    @Path("peers")
    public GroupInfo addPeer(@QueryParam("id") String id, @QueryParam("address") String address) {
        String peer = peerId(id);
        if (address == null || !address.matches("[A-Za-z0-9.:\\[\\]-]{1,253}:[0-9]{1,5}")) {
            throw new BadRequestException("address must be host:port of the peer's log port, not " + address);
        }
        try {
            log().addPeer(peer, address);
            return log().groupInfo();
        } catch (LogException e) {
            throw new ServiceUnavailableException(e.getMessage());
        }
    }

    /**
     * Removes peer {@code id} from the voters (a server being retired, or one whose disk was lost, before it is
     * added back empty). The group must keep a majority of the peers that remain; the last peer stays.
     */
    @RolesAllowed(AdminRoles.OPERATOR)
    @DELETE
    @Path("peers/{id}")
    public GroupInfo removePeer(@PathParam("id") String id) {
        String peer = peerId(id);
        try {
            GroupInfo before = log().groupInfo();
            if (before.peers().stream().noneMatch(p -> p.id().equals(peer))) {
                throw new NotFoundException("no log peer named " + peer);
            }
            if (before.peers().size() == 1) {
                throw new BadRequestException("cannot remove " + peer + ", the group's last peer");
            }
            log().removePeer(peer);
            return log().groupInfo();
        } catch (LogException e) {
            throw new ServiceUnavailableException(e.getMessage());
        }
    }

    private static String peerId(String id) {
        if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
            throw new BadRequestException("a peer id is 1-63 letters, digits, '.', '_' or '-', not " + id);
        }
        return id;
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
