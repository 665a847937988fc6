package io.cairn.proxy.web;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * HTTP Basic authentication of every admin API call against {@code cairn.admin.user} (default
 * {@code admin}) and {@code cairn.admin.password}. Without a configured password the API refuses
 * every call: there is no default secret. {@code bin/cairn} generates one per installation.
 */
@Provider
public class AdminAuthFilter implements ContainerRequestFilter {
    static final String USER = "cairn.admin.user";
    static final String PASSWORD = "cairn.admin.password";
    private static final int MAX_HEADER = 1024;

    @Inject
    Config config;

    private byte[] expected;

    @PostConstruct
    void init() {
        String user = config.getOptionalValue(USER, String.class).orElse("admin");
        Optional<String> password = config.getOptionalValue(PASSWORD, String.class).filter(p -> !p.isEmpty());
        expected = password.map(p -> (user + ":" + p).getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (ClusterAuthFilter.isInternal(request)) {
            return; // server-to-server calls: ClusterAuthFilter
        }
        if (expected == null) {
            request.abortWith(refusal(Response.Status.SERVICE_UNAVAILABLE,
                    "admin API disabled: set " + PASSWORD));
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() > MAX_HEADER || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            request.abortWith(challenge());
            return;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            request.abortWith(challenge());
            return;
        }
        if (!MessageDigest.isEqual(given, expected)) {
            request.abortWith(challenge());
        }
    }

    private static Response challenge() {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"cairn-admin\"")
                .type(MediaType.TEXT_PLAIN).entity("admin credentials required").build();
    }

    private static Response refusal(Response.Status status, String message) {
        return Response.status(status).type(MediaType.TEXT_PLAIN).entity(message).build();
    }
}
