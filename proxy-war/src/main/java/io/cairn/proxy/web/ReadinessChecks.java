package io.cairn.proxy.web;

import io.cairn.node.HealthReport;
import io.cairn.node.Probe;
import io.cairn.node.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;

/** Whether each part of this server should get traffic now (readiness probe). One check per active role, plus the cluster membership. */
@ApplicationScoped
public class ReadinessChecks {
    @Inject
    NodeBootstrap bootstrap;

    @Produces
    @Readiness
    HealthCheck membership() {
        return () -> HealthResponses.of("membership", bootstrap.membershipHealth(Probe.READY));
    }

    @Produces
    @Readiness
    @ForRole(Role.LOG)
    HealthCheck log() {
        return role(Role.LOG);
    }

    @Produces
    @Readiness
    @ForRole(Role.TN)
    HealthCheck tn() {
        return role(Role.TN);
    }

    @Produces
    @Readiness
    @ForRole(Role.CN)
    HealthCheck cn() {
        return role(Role.CN);
    }

    @Produces
    @Readiness
    @ForRole(Role.PROXY)
    HealthCheck proxy() {
        return role(Role.PROXY);
    }

    private HealthCheck role(Role role) {
        return () -> HealthResponses.of(role.configName(), bootstrap.health(role, Probe.READY));
    }
}
