package io.cairn.compute;

import io.cairn.node.Role;
import io.cairn.server.ServerAssembly;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;

/**
 * Gives the server its CN ({@link ComputeNodeRole#create}) when this module starts; the
 * {@link ServerAssembly} builds and starts it if the server's roles include {@code cn}.
 */
@Singleton
@Startup
public class ComputeNodeBean {
    @PostConstruct
    void provide() {
        ServerAssembly.shared().provide(Role.CN, ComputeNodeRole::create);
    }
}
