package io.cairn.admin;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.Set;

/**
 * Writes an {@link AuditEntry} for every admin call that can change state (any method but GET, HEAD,
 * OPTIONS) and for every call refused with 401 or 403, whatever its method, once the answer is known: who
 * (the authenticated user), from which address, method, path, query, a short text body (a CN group name),
 * status, duration. Pre-matching and first among the filters, so calls to unknown paths and calls refused
 * by {@code @RolesAllowed} are written too. Logins refused before the application (no or wrong credentials)
 * are written by {@link AdminAuthentication}. Server-to-server calls ({@code /api/internal/…}) are not
 * admin calls and are left out.
 */
@Provider
@PreMatching
@Priority(100)
public class AuditFilter implements ContainerRequestFilter, ContainerResponseFilter {
    private static final String STARTED = AuditFilter.class.getName() + ".started";
    private static final String BODY = AuditFilter.class.getName() + ".body";
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    /** Text bodies up to this size are logged (a CN group name is at most 64 characters). */
    private static final int MAX_LOGGED_BODY = 128;

    @Inject
    AuditLog audit;

    @Context
    HttpServletRequest servletRequest;

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        if (ClusterAuthFilter.isInternal(request)) {
            return;
        }
        request.setProperty(STARTED, System.nanoTime());
        if (!READS.contains(request.getMethod()) && MediaType.TEXT_PLAIN_TYPE.isCompatible(request.getMediaType())
                && request.hasEntity()) {
            // Read a little more than is logged, and hand the resource the same bytes.
            InputStream in = request.getEntityStream();
            byte[] head = in.readNBytes(MAX_LOGGED_BODY + 1);
            if (head.length <= MAX_LOGGED_BODY) {
                request.setProperty(BODY, new String(head, StandardCharsets.UTF_8));
            }
            request.setEntityStream(new SequenceInputStream(new ByteArrayInputStream(head), in));
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object started = request.getProperty(STARTED);
        int status = response.getStatus();
        if (!(started instanceof Long) || READS.contains(request.getMethod()) && status != 401 && status != 403) {
            return;
        }
        Principal who = request.getSecurityContext().getUserPrincipal();
        audit.record(new AuditEntry(Instant.now(), who == null ? null : who.getName(), servletRequest.getRemoteAddr(),
                request.getMethod(), servletRequest.getRequestURI(), servletRequest.getQueryString(),
                (String) request.getProperty(BODY), status, (System.nanoTime() - (Long) started) / 1_000_000));
    }
}
