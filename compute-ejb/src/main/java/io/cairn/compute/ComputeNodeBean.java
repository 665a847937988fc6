package io.cairn.compute;

import io.cairn.node.Role;
import io.cairn.server.ServerAssembly;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

/**
 * Gives the server its CN ({@link ComputeNodeRole#create}) when this module starts; the
 * {@link ServerAssembly} builds and starts it if the server's roles include {@code cn}. Its commits go through
 * {@link GuardedCommitCalls}, whose Fault Tolerance policies the container applies; {@link ComputeNodeMetrics}
 * measures it.
 */
@Singleton
@Startup
public class ComputeNodeBean {
    @Inject
    GuardedCommitCalls commitCalls;

    @Inject
    ComputeNodeMetrics metrics;

    @PostConstruct
    void provide() {
        ServerAssembly.shared().provide(Role.CN, context -> {
            ComputeNodeRole cn = ComputeNodeRole.create(context, commitCalls);
            metrics.watch(cn);
            return cn;
        });
    }
}
