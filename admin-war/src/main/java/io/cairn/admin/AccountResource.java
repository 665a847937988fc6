package io.cairn.admin;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code GET /api/account}: who the caller is logged in as, and whether it may change state ({@code operator}).
 * The console asks once, to disable the buttons the read-only account would only get a 403 for; the admin API
 * still enforces the roles on every call.
 */
@Path("account")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {
    @Context
    SecurityContext security;

    @RolesAllowed({AdminRoles.READER, AdminRoles.OPERATOR})
    @GET
    public JsonObject account() {
        return Json.createObjectBuilder()
                .add("user", security.getUserPrincipal().getName())
                .add("operator", security.isUserInRole(AdminRoles.OPERATOR))
                .build();
    }
}
