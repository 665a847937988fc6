package io.cairn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every admin resource method names its roles: reads both, changes the operator alone. Found by reflection
 * over the compiled resource classes, so a new endpoint without {@code @RolesAllowed} fails here (and
 * {@code web.xml} still keeps it from anyone without an admin role).
 */
class AdminRolesTest {
    @Test
    void everyAdminResourceMethodAllowsReadsToBothRolesAndChangesToTheOperatorOnly() throws Exception {
        List<Method> methods = adminResourceMethods();
        assertThat(methods).as("admin resource methods found").hasSizeGreaterThanOrEqualTo(11);
        for (Method m : methods) {
            RolesAllowed roles = m.getAnnotation(RolesAllowed.class);
            assertThat(roles).as("@RolesAllowed on %s", m).isNotNull();
            boolean read = m.isAnnotationPresent(GET.class) || m.isAnnotationPresent(HEAD.class);
            if (read) {
                assertThat(roles.value()).as(m.toString()).containsExactlyInAnyOrder(AdminRoles.READER, AdminRoles.OPERATOR);
            } else {
                assertThat(roles.value()).as(m.toString()).containsExactly(AdminRoles.OPERATOR);
            }
        }
    }

    /** The HTTP methods of every {@code @Path} class of this package outside {@code internal/}. */
    static List<Method> adminResourceMethods() throws IOException, URISyntaxException, ClassNotFoundException {
        java.nio.file.Path dir = java.nio.file.Path.of(AdminApplication.class.getResource("AdminApplication.class").toURI())
                .getParent();
        List<Method> found = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.list(dir)) {
            for (java.nio.file.Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = f.getFileName().toString();
                Class<?> c = Class.forName(AdminApplication.class.getPackageName() + "."
                        + name.substring(0, name.length() - ".class".length()));
                Path path = c.getAnnotation(Path.class);
                if (path == null || path.value().startsWith("internal")) {
                    continue;
                }
                Arrays.stream(c.getDeclaredMethods()).filter(m -> Arrays.stream(m.getAnnotations())
                        .anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class))).forEach(found::add);
            }
        }
        return found;
    }
}
