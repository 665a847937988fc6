package io.cairn.admin;

import io.cairn.node.ConfigException;
import io.cairn.node.NodeConfig;
import io.cairn.node.Role;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Annotated;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessBeanAttributes;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Removes the health checks of roles this server does not run, so {@code /health} lists exactly
 * the active roles (and the checks those roles depend on, such as storage for CN and TN). With an
 * unreadable role list every check stays, and each reports the configuration error.
 */
public class ActiveRoleFilter implements Extension {
    private Set<Role> active;

    void vetoInactive(@Observes ProcessBeanAttributes<?> event) {
        Annotated annotated = event.getAnnotated();
        ForRole forRole = annotated.getAnnotation(ForRole.class);
        if (forRole != null && Arrays.stream(forRole.value()).noneMatch(activeRoles()::contains)) {
            event.veto();
        }
    }

    private Set<Role> activeRoles() {
        if (active == null) {
            String roles = ConfigProvider.getConfig(getClass().getClassLoader())
                    .getOptionalValue(NodeConfig.ROLES, String.class).orElse("proxy,cn,tn,log");
            try {
                active = Role.parseList(NodeConfig.ROLES, roles);
            } catch (ConfigException e) {
                active = EnumSet.allOf(Role.class);
            }
        }
        return active;
    }
}
