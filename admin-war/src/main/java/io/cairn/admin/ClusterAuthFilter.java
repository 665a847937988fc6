package io.cairn.admin;

import io.cairn.node.ConfigException;
import io.cairn.node.NodeConfig;
import io.cairn.node.tls.ClusterTls;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Authenticates server-to-server calls ({@code /api/internal/…}).
 *
 * <p>With cluster TLS ({@code cairn.cluster.tls.*}) a call must come over the internal HTTPS port
 * ({@code cairn.internal.port}); plain HTTP and the admin API's HTTPS port are refused with 403. That port
 * ({@code liberty-config/cluster-tls.xml}) requires a client certificate
 * that chains to its trust store, which holds only the cluster CA, so a call that arrived over it came
 * from a server of the cluster. (A check of the chain in the servlet request's
 * {@code jakarta.servlet.request.X509Certificate} attribute, with the certificate only requested, refused
 * a valid cluster certificate on Liberty 25.0.0.11, not diagnosed further; so the check is the TLS
 * handshake's.) In every case the call must also carry the cluster secret
 * ({@code cairn.cluster.secret}) in the {@code Cairn-Cluster-Secret} header: the certificate says
 * "a server of this cluster", the secret stays a second factor and is what authenticates the
 * loopback-only cluster without TLS. Without a configured secret the internal API refuses every call.
 */
@Provider
public class ClusterAuthFilter implements ContainerRequestFilter {
    static final String SECRET = NodeConfig.CLUSTER_SECRET;
    static final String HEADER = "Cairn-Cluster-Secret";
    static final String PATH_PREFIX = "internal/";

    @Inject
    Config config;

    private byte[] expected;
    private ClusterTls clusterTls;
    private int internalPort;
    private String disabled;

    @Context
    HttpServletRequest servletRequest;

    @PostConstruct
    void init() {
        expected = config.getOptionalValue(SECRET, String.class).filter(s -> !s.isEmpty())
                .map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
        if (expected == null) {
            disabled = "internal API disabled: set " + SECRET;
        }
        try {
            clusterTls = ClusterTls.load(key -> config.getOptionalValue(key, String.class)).orElse(null);
            internalPort = config.getOptionalValue(NodeConfig.INTERNAL_PORT, Integer.class).orElse(9643);
        } catch (ConfigException e) {
            disabled = "internal API disabled: " + e.getMessage();
        }
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
        refusal(request, servletRequest.getLocalPort()).ifPresent(refusal -> request.abortWith(Response.status(refusal.status())
                .type(MediaType.TEXT_PLAIN).entity(refusal.message()).build()));
    }

    /** Why an internal call that arrived on {@code localPort} is refused, or empty when it may pass. */
    Optional<Refusal> refusal(ContainerRequestContext request, int localPort) {
        if (disabled != null) {
            return Optional.of(new Refusal(Response.Status.UNAUTHORIZED, disabled));
        }
        if (clusterTls != null && (!request.getSecurityContext().isSecure() || localPort != internalPort)) {
            return Optional.of(new Refusal(Response.Status.FORBIDDEN,
                    "internal API requires HTTPS with the cluster certificate"));
        }
        String given = request.getHeaderString(HEADER);
        if (given == null || given.length() > 256
                || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected)) {
            return Optional.of(new Refusal(Response.Status.UNAUTHORIZED, "cluster secret required"));
        }
        return Optional.empty();
    }

    /** An HTTP status and the plain-text reason sent with it. */
    record Refusal(Response.Status status, String message) {
    }
}
