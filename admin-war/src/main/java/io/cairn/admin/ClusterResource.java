package io.cairn.admin;

import io.cairn.node.MemberInfo;
import io.cairn.node.Node;
import io.cairn.node.TransactionNodeStatus;
import io.cairn.server.ProxySessions;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** The cluster as this server sees it, and the operator's controls of compute nodes. */
@Path("cluster")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {
    @Inject
    NodeBootstrap bootstrap;

    /** The members of the cluster, oldest first; 503 while this server has not joined. */
    @RolesAllowed({AdminRoles.READER, AdminRoles.OPERATOR})
    @GET
    @Path("members")
    public List<MemberInfo> members() {
        List<MemberInfo> members = bootstrap.node().map(node -> node.members()).orElse(List.of());
        if (members.isEmpty()) {
            throw new ServiceUnavailableException("this server has not joined the cluster");
        }
        return members;
    }

    /**
     * The transaction node of every server with the tn role: ACTIVE or STANDBY, lease epoch, lease holder, the
     * lease's age and duration, as each server published it through membership (at most about a second old; no
     * call to the servers). 503 while this server has not joined.
     */
    @RolesAllowed({AdminRoles.READER, AdminRoles.OPERATOR})
    @GET
    @Path("tn")
    public List<TransactionNodeStatus> transactionNodes() {
        members(); // 503 before joining
        return joinedNode().transactionNodes();
    }

    /**
     * Drains the compute node of {@code server}: proxies send it no new sessions and move its sessions
     * to other CNs of its group, idle ones at once, the others at their next transaction boundary.
     */
    @RolesAllowed(AdminRoles.OPERATOR)
    @POST
    @Path("cn/{server}/drain")
    public MemberInfo drain(@PathParam("server") String server) {
        computeNode(server);
        joinedNode().setDraining(server, true);
        return computeNode(server);
    }

    /** Ends a drain: the compute node takes new sessions again. */
    @RolesAllowed(AdminRoles.OPERATOR)
    @POST
    @Path("cn/{server}/undrain")
    public MemberInfo undrain(@PathParam("server") String server) {
        computeNode(server);
        joinedNode().setDraining(server, false);
        return computeNode(server);
    }

    /**
     * Puts the compute node of {@code server} into CN group {@code group} (the body, plain text; empty:
     * back to its configured {@code cairn.cn.group}). Its sessions of the old group move away at their
     * next transaction boundary.
     */
    @RolesAllowed(AdminRoles.OPERATOR)
    @PUT
    @Path("cn/{server}/group")
    @Consumes(MediaType.TEXT_PLAIN)
    public MemberInfo group(@PathParam("server") String server, String group) {
        computeNode(server);
        String g = group == null || group.isBlank() ? null : group.trim();
        try {
            joinedNode().setCnGroup(server, g);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        return computeNode(server);
    }

    /** This server's proxy sessions per compute node endpoint (404 on a server without the proxy role). */
    @RolesAllowed({AdminRoles.READER, AdminRoles.OPERATOR})
    @GET
    @Path("proxy/sessions")
    public Map<String, Integer> proxySessions() {
        return bootstrap.proxy().map(ProxySessions::sessions)
                .orElseThrow(() -> new NotFoundException("this server runs no proxy"));
    }

    /** This server's proxy sessions: id, user, group, compute node, whether inside a transaction. */
    @RolesAllowed({AdminRoles.READER, AdminRoles.OPERATOR})
    @GET
    @Path("proxy/connections")
    public List<ProxySessions.SessionView> proxyConnections() {
        return bootstrap.proxy().map(ProxySessions::sessionViews)
                .orElseThrow(() -> new NotFoundException("this server runs no proxy"));
    }

    /** Ends this server's proxy session {@code id} as KILL does (its running statement too); 404 if there is none. */
    @RolesAllowed(AdminRoles.OPERATOR)
    @POST
    @Path("proxy/connections/{id}/kill")
    public void kill(@PathParam("id") long id) {
        ProxySessions proxy = bootstrap.proxy().orElseThrow(() -> new NotFoundException("this server runs no proxy"));
        if (!proxy.kill(id)) {
            throw new NotFoundException("no session " + id + " on this server's proxy");
        }
    }

    private Node joinedNode() {
        return bootstrap.node().orElseThrow(() -> new ServiceUnavailableException("this server has not started"));
    }

    private MemberInfo computeNode(String server) {
        return members().stream().filter(m -> server.equals(m.name()) && m.roles().contains("cn")).findFirst()
                .orElseThrow(() -> new NotFoundException("no compute node on a server named " + server));
    }
}
