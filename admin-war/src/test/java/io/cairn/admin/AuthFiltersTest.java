package io.cairn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import io.cairn.node.tls.TestPki;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which calls the cluster filter guards. Found by the chaos suite: Liberty gives the request path with a
 * leading slash ({@code /internal/tn/commit}), so the filters took a CN's commit for an admin call,
 * answered it 401 "admin credentials required", and no CN could commit through another server's TN.
 * (Admin calls are authenticated by the container now: {@code web.xml} leaves {@code /api/internal/*}
 * without a constraint, which {@code AllInOneServerIT} checks.)
 */
class AuthFiltersTest {
    private static final String SECRET = "s3cret";

    @Test
    void aCommitFromAnotherServerPassesWithTheClusterSecretWhateverThePathForm() {
        for (String path : new String[] {"/internal/tn/commit", "internal/tn/commit"}) {
            Map<String, String> headers = Map.of(ClusterAuthFilter.HEADER, SECRET);
            assertThat(refusal(cluster(), path, headers)).as("cluster filter, %s", path).isNull();
        }
    }

    /** (Refusals build a Response, which needs a JAX-RS runtime; the classification behind them is checked here.) */
    @Test
    void internalCallsAreTheClusterFiltersWhateverThePathFormAndOnlyThey() {
        assertThat(ClusterAuthFilter.isInternal(request("/internal/tn/commit", Map.of(), null))).isTrue();
        assertThat(ClusterAuthFilter.isInternal(request("internal/tn/commit", Map.of(), null))).isTrue();
        assertThat(ClusterAuthFilter.isInternal(request("/cluster/members", Map.of(), null))).isFalse();
        assertThat(ClusterAuthFilter.isInternal(request("/cluster/internal/x", Map.of(), null))).isFalse();
    }

    @Test
    void anAdminCallPassesTheClusterFilterWithoutTheSecret() {
        assertThat(refusal(cluster(), "/cluster/members", Map.of())).isNull();
    }

    @Test
    void withClusterTlsAnInternalCallNeedsHttpsAndTheSecret(@TempDir Path temp) throws Exception {
        TestPki pki = TestPki.create(temp.resolve("cluster"));
        Map<String, String> settings = new HashMap<>(pki.settings(pki.issue("s1")));
        settings.put(ClusterAuthFilter.SECRET, SECRET);
        ClusterAuthFilter f = new ClusterAuthFilter();
        f.config = config(settings);
        f.init();
        Map<String, String> withSecret = Map.of(ClusterAuthFilter.HEADER, SECRET);

        assertThat(f.refusal(call(false, withSecret), 9080)).get().extracting(ClusterAuthFilter.Refusal::status)
                .as("plain HTTP").isEqualTo(Response.Status.FORBIDDEN);
        assertThat(f.refusal(call(true, withSecret), 9443)).get().extracting(ClusterAuthFilter.Refusal::status)
                .as("the admin API's HTTPS port (no client certificate asked)").isEqualTo(Response.Status.FORBIDDEN);
        assertThat(f.refusal(call(true, Map.of()), 9643)).get().extracting(ClusterAuthFilter.Refusal::message)
                .as("HTTPS without the secret").isEqualTo("cluster secret required");
        assertThat(f.refusal(call(true, withSecret), 9643)).isEmpty();
    }

    private static ContainerRequestContext call(boolean secure, Map<String, String> headers) {
        SecurityContext security = stub(SecurityContext.class, (name, args) -> "isSecure".equals(name) ? secure : null);
        UriInfo uri = stub(UriInfo.class, (name, args) -> "getPath".equals(name) ? "/internal/tn/commit" : null);
        return stub(ContainerRequestContext.class, (name, args) -> switch (name) {
            case "getUriInfo" -> uri;
            case "getSecurityContext" -> security;
            case "getHeaderString" -> headers.get((String) args[0]);
            default -> throw new UnsupportedOperationException(name);
        });
    }

    private static ClusterAuthFilter cluster() {
        ClusterAuthFilter f = new ClusterAuthFilter();
        f.config = config(Map.of(ClusterAuthFilter.SECRET, SECRET));
        f.servletRequest = stub(HttpServletRequest.class, (name, args) -> "getLocalPort".equals(name) ? 9080 : null);
        f.init();
        return f;
    }

    /** What the filter aborted the request with, or null if it let it through. */
    private static Response refusal(ContainerRequestFilter filter, String path, Map<String, String> headers) {
        AtomicReference<Response> aborted = new AtomicReference<>();
        try {
            filter.filter(request(path, headers, aborted));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return aborted.get();
    }

    private static ContainerRequestContext request(String path, Map<String, String> headers,
            AtomicReference<Response> aborted) {
        UriInfo uri = stub(UriInfo.class, (name, args) -> "getPath".equals(name) ? path : null);
        return stub(ContainerRequestContext.class, (name, args) -> switch (name) {
            case "getUriInfo" -> uri;
            case "getHeaderString" -> headers.get((String) args[0]);
            case "abortWith" -> {
                aborted.set((Response) args[0]);
                yield null;
            }
            default -> throw new UnsupportedOperationException(name);
        });
    }

    private static Config config(Map<String, String> values) {
        return stub(Config.class, (name, args) -> {
            if ("getOptionalValue".equals(name)) {
                return Optional.ofNullable(values.get((String) args[0]));
            }
            throw new UnsupportedOperationException(name);
        });
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T stub(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(AuthFiltersTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answer.answer(method.getName(), args)));
    }
}
