package io.cairn.admin;

import jakarta.json.Json;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The admin API's refusals with their reason: a resource's {@code BadRequestException("…")} (and the other
 * {@link WebApplicationException}s) answers its status with {@code {"error": "…"}}, so that {@code bin/cairn} and
 * the console can say why, instead of an empty body (and a stack trace in the server log for every 400).
 */
@Provider
public class ErrorMessages implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
        Response response = e.getResponse();
        if (response.hasEntity()) {
            return response;
        }
        String message = e.getMessage() == null ? response.getStatusInfo().getReasonPhrase() : e.getMessage();
        return Response.status(response.getStatus()).type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder().add("error", message).build()).build();
    }
}
