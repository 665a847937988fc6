package io.cairn.proxy.web;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.microprofile.config.Config;

/**
 * Authenticates server-to-server calls ({@code /api/internal/…}) by the cluster secret
 * ({@code cairn.cluster.secret}) in the {@code Cairn-Cluster-Secret} header. Without a configured
 * secret the internal API refuses every call.
 */
@Provider
public class ClusterAuthFilter implements ContainerRequestFilter {
    static final String SECRET = "cairn.cluster.secret";
    static final String HEADER = "Cairn-Cluster-Secret";
    static final String PATH_PREFIX = "internal/";

    @Inject
    Config config;

    private byte[] expected;

    @PostConstruct
    void init() {
        expected = config.getOptionalValue(SECRET, String.class).filter(s -> !s.isEmpty())
                .map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /**
     * Whether a call goes to the internal API. The path is relative to {@code /api}; Liberty's JAX-RS
     * gives it with a leading slash ({@code /internal/tn/commit}), so that slash is ignored.
     */
    static boolean isInternal(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        return (path.startsWith("/") ? path.substring(1) : path).startsWith(PATH_PREFIX);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!isInternal(request)) {
            return;
        }
        String given = request.getHeaderString(HEADER);
        if (expected == null || given == null || given.length() > 256
                || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected)) {
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED).type(MediaType.TEXT_PLAIN)
                    .entity(expected == null ? "internal API disabled: set " + SECRET : "cluster secret required").build());
        }
    }
}
