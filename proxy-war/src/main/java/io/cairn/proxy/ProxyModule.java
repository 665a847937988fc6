package io.cairn.proxy;

import io.cairn.node.Role;
import io.cairn.server.ServerAssembly;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;

/**
 * Gives the server its proxy ({@link ProxyRole#create}) when this module starts; the {@link ServerAssembly}
 * builds and starts it if the server's roles include {@code proxy}; {@link ProxyMetrics} measures it.
 */
@ApplicationScoped
public class ProxyModule {
    @Inject
    ProxyMetrics metrics;

    void provide(@Observes Startup startup) {
        ServerAssembly.shared().provide(Role.PROXY, context -> {
            ProxyRole proxy = ProxyRole.create(context);
            metrics.watch(proxy);
            return proxy;
        });
    }
}
