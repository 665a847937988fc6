package io.cairn.admin;

import io.cairn.node.HealthReport;
import io.cairn.node.Probe;
import io.cairn.node.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;

/**
 * Whether each part of this server should get traffic now (readiness probe). One check per active role, plus
 * the cluster membership and, on servers with a CN or TN, object storage.
 *
 * <p>Storage is checked for readiness only: a server whose storage endpoints are down should stop getting
 * traffic, but restarting it (liveness) or holding its start (startup) would not bring them back.
 */
@ApplicationScoped
public class ReadinessChecks {
    @Inject
    NodeBootstrap bootstrap;

    @Inject
    StorageAccess storage;

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

    /** DOWN when fewer than k storage endpoints answer (the connector's {@code health()}). */
    @Produces
    @Readiness
    @ForRole({Role.CN, Role.TN})
    HealthCheck storage() {
        return () -> HealthResponses.of("storage", storage.readiness());
    }

    private HealthCheck role(Role role) {
        return () -> HealthResponses.of(role.configName(), bootstrap.health(role, Probe.READY));
    }
}
