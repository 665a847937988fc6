package io.cairn.proxy.web;

import io.cairn.node.MemberInfo;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The cluster as this server sees it. */
@Path("cluster")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {
    @Inject
    NodeBootstrap bootstrap;

    /** The members of the cluster, oldest first; 503 while this server has not joined. */
    @GET
    @Path("members")
    public List<MemberInfo> members() {
        List<MemberInfo> members = bootstrap.node().map(node -> node.members()).orElse(List.of());
        if (members.isEmpty()) {
            throw new ServiceUnavailableException("this server has not joined the cluster");
        }
        return members;
    }
}
