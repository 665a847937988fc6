package io.cairn.admin;

import io.cairn.storage.HealReport;
import io.cairn.storage.ObjectNotFoundException;
import io.cairn.storage.ObjectStore;
import io.cairn.storage.ObjectStoreConnection;
import io.cairn.storage.StorageException;
import io.cairn.storage.StorageHealth;
import io.cairn.storage.StorageUnavailableException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Object storage for operators, under {@code /api/storage} (status: both admin roles; heal and self-test: operator):
 * <ul>
 *   <li>{@code GET health}: every endpoint, up or down, and whether reads can work (at least k up);</li>
 *   <li>{@code POST heal} (all objects) or {@code POST heal?key=K}: rebuild missing or corrupt shards, and
 *       report what was done;</li>
 *   <li>{@code POST selftest}: a round trip under a fresh random key ({@link StorageSelfTest}); 200 when
 *       every step passed, 503 when storage was unavailable, 500 otherwise.</li>
 * </ul>
 * Errors: a {@link StorageUnavailableException} is 503, a misconfigured adapter 503 with its message.
 */
@Path("storage")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class StorageResource {
    @Inject
    StorageAccess storage;

    @RolesAllowed({AdminRoles.READER, AdminRoles.OPERATOR})
    @GET
    @Path("health")
    public JsonObject health() {
        try (ObjectStoreConnection c = connection()) {
            StorageHealth h = c.health();
            JsonArrayBuilder endpoints = Json.createArrayBuilder();
            for (StorageHealth.EndpointStatus e : h.endpoints()) {
                JsonObjectBuilder b = Json.createObjectBuilder().add("endpoint", e.endpoint()).add("up", e.up());
                if (e.error() != null) {
                    b.add("error", e.error());
                }
                endpoints.add(b);
            }
            return Json.createObjectBuilder().add("up", h.isUp()).add("answering", h.healthyEndpoints())
                    .add("required", h.required()).add("endpoints", endpoints).build();
        }
    }

    @RolesAllowed(AdminRoles.OPERATOR)
    @POST
    @Path("heal")
    public JsonObject heal(@QueryParam("key") String key) {
        if (key != null && (key.isEmpty() || key.length() > ObjectStore.MAX_KEY_LENGTH)) {
            throw new BadRequestException("key must have 1.." + ObjectStore.MAX_KEY_LENGTH + " characters");
        }
        try (ObjectStoreConnection c = connection()) {
            HealReport r = key == null ? c.healAll() : c.heal(key);
            JsonArrayBuilder repairs = Json.createArrayBuilder();
            for (HealReport.Repair repair : r.repairs()) {
                repairs.add(Json.createObjectBuilder().add("key", repair.key()).add("endpoint", repair.endpoint())
                        .add("shard", repair.shardIndex()).add("reason", repair.reason().name()));
            }
            return Json.createObjectBuilder().add("objectsChecked", r.objectsChecked()).add("repairs", repairs)
                    .add("failures", Json.createArrayBuilder(r.failures())).add("clean", r.isClean()).build();
        } catch (ObjectNotFoundException e) {
            throw new NotFoundException("no object under the key", e);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage(), e);
        } catch (StorageUnavailableException e) {
            throw unavailable(e);
        }
    }

    @RolesAllowed(AdminRoles.OPERATOR)
    @POST
    @Path("selftest")
    public Response selfTest() {
        StorageSelfTest.Result result;
        try (ObjectStoreConnection c = connection()) {
            result = new StorageSelfTest(c, System::nanoTime).run();
        }
        JsonArrayBuilder steps = Json.createArrayBuilder();
        for (StorageSelfTest.Step s : result.steps()) {
            steps.add(Json.createObjectBuilder().add("step", s.name()).add("ok", s.ok()).add("millis", s.millis())
                    .add("detail", String.valueOf(s.detail())));
        }
        JsonObject body = Json.createObjectBuilder().add("key", result.key()).add("ok", result.ok())
                .add("steps", steps).build();
        Response.Status status = result.ok() ? Response.Status.OK
                : result.unavailable() ? Response.Status.SERVICE_UNAVAILABLE : Response.Status.INTERNAL_SERVER_ERROR;
        return Response.status(status).entity(body).build();
    }

    /** A connection handle; a misconfigured or stopped adapter is 503 with its message. */
    private ObjectStoreConnection connection() {
        try {
            return storage.connection();
        } catch (StorageException e) {
            throw unavailable(e);
        }
    }

    private static ServiceUnavailableException unavailable(StorageException e) {
        return new ServiceUnavailableException(Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .type(MediaType.TEXT_PLAIN).entity(e.getMessage()).build(), e);
    }
}
