package io.cairn.admin;

import io.cairn.log.LogRole;
import io.cairn.node.HealthReport;
import io.cairn.node.Node;
import io.cairn.node.Probe;
import io.cairn.node.Role;
import io.cairn.server.ProxySessions;
import io.cairn.server.ServerAssembly;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The Jakarta side of this server's {@link ServerAssembly}: starts it when the application starts, with the
 * server variables (MicroProfile Config) and the storage connector's checkpoint store, and stops it with the
 * application. The role modules give their factories themselves; the assembly starts the node once it has
 * them all. The log role's appends are reported to {@link LogMetrics}.
 */
@ApplicationScoped
public class NodeBootstrap {
    @Inject
    Config config;

    @Inject
    StorageAccess storage;

    @Inject
    LogMetrics logMetrics;

    private final ServerAssembly assembly = ServerAssembly.shared();

    void onStart(@Observes Startup startup) {
        assembly.observeLogAppends(logMetrics);
        assembly.start(key -> config.getOptionalValue(key, String.class), storage.checkpointStore());
    }

    @PreDestroy
    void stop() {
        assembly.stop();
    }

    /** This server's proxy, or empty when it runs none. */
    public Optional<ProxySessions> proxy() {
        return assembly.role(Role.PROXY, ProxySessions.class);
    }

    /** This server's log role, or empty when it runs none. */
    public Optional<LogRole> log() {
        return assembly.role(Role.LOG, LogRole.class);
    }

    /** The running node, or empty when the configuration kept it from starting. */
    public Optional<Node> node() {
        return assembly.node();
    }

    HealthReport health(Role role, Probe probe) {
        return assembly.health(role, probe);
    }

    HealthReport membershipHealth(Probe probe) {
        return assembly.membershipHealth(probe);
    }
}
