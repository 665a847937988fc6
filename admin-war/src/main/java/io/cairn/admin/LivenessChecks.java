package io.cairn.admin;

import io.cairn.node.HealthReport;
import io.cairn.node.Probe;
import io.cairn.node.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Liveness;

/** Whether each part of this server still works or the server should be restarted (liveness probe). One check per active role, plus the cluster membership. */
@ApplicationScoped
public class LivenessChecks {
    @Inject
    NodeBootstrap bootstrap;

    @Produces
    @Liveness
    HealthCheck membership() {
        return () -> HealthResponses.of("membership", bootstrap.membershipHealth(Probe.LIVE));
    }

    @Produces
    @Liveness
    @ForRole(Role.LOG)
    HealthCheck log() {
        return role(Role.LOG);
    }

    @Produces
    @Liveness
    @ForRole(Role.TN)
    HealthCheck tn() {
        return role(Role.TN);
    }

    @Produces
    @Liveness
    @ForRole(Role.CN)
    HealthCheck cn() {
        return role(Role.CN);
    }

    @Produces
    @Liveness
    @ForRole(Role.PROXY)
    HealthCheck proxy() {
        return role(Role.PROXY);
    }

    private HealthCheck role(Role role) {
        return () -> HealthResponses.of(role.configName(), bootstrap.health(role, Probe.LIVE));
    }
}
