package io.cairn.admin;

import io.cairn.node.HealthReport;
import io.cairn.node.Probe;
import io.cairn.node.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Startup;

/** Whether each part of this server has finished starting (Kubernetes startup probe). One check per active role, plus the cluster membership. */
@ApplicationScoped
public class StartupChecks {
    @Inject
    NodeBootstrap bootstrap;

    @Produces
    @Startup
    HealthCheck membership() {
        return () -> HealthResponses.of("membership", bootstrap.membershipHealth(Probe.STARTED));
    }

    @Produces
    @Startup
    @ForRole(Role.LOG)
    HealthCheck log() {
        return role(Role.LOG);
    }

    @Produces
    @Startup
    @ForRole(Role.TN)
    HealthCheck tn() {
        return role(Role.TN);
    }

    @Produces
    @Startup
    @ForRole(Role.CN)
    HealthCheck cn() {
        return role(Role.CN);
    }

    @Produces
    @Startup
    @ForRole(Role.PROXY)
    HealthCheck proxy() {
        return role(Role.PROXY);
    }

    private HealthCheck role(Role role) {
        return () -> HealthResponses.of(role.configName(), bootstrap.health(role, Probe.STARTED));
    }
}
