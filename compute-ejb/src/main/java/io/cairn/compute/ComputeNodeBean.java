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
 * {@link GuardedCommitCalls}, whose Fault Tolerance policies the container applies.
 */
@Singleton
@Startup
public class ComputeNodeBean {
    @Inject
    GuardedCommitCalls commitCalls;

    @PostConstruct
    void provide() {
        ServerAssembly.shared().provide(Role.CN, context -> ComputeNodeRole.create(context, commitCalls));
    }
}
