package io.cairn.proxy;

import io.cairn.node.Role;
import io.cairn.server.ServerAssembly;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;

/**
 * Gives the server its proxy ({@link ProxyRole#create}) when this module starts; the {@link ServerAssembly}
 * builds and starts it if the server's roles include {@code proxy}.
 */
@ApplicationScoped
public class ProxyModule {
    void provide(@Observes Startup startup) {
        ServerAssembly.shared().provide(Role.PROXY, ProxyRole::create);
    }
}
