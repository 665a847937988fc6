package io.cairn.proxy.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

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

    private static ClusterAuthFilter cluster() {
        ClusterAuthFilter f = new ClusterAuthFilter();
        f.config = config(Map.of(ClusterAuthFilter.SECRET, SECRET));
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
