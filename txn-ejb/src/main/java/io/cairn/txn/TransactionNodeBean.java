package io.cairn.txn;

import io.cairn.node.Role;
import io.cairn.server.ServerAssembly;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

/**
 * Gives the server its TN ({@link TransactionNodeRole#create}) when this module starts; the
 * {@link ServerAssembly} builds and starts it if the server's roles include {@code tn};
 * {@link TransactionNodeMetrics} measures it.
 */
@Singleton
@Startup
public class TransactionNodeBean {
    @Inject
    TransactionNodeMetrics metrics;

    @PostConstruct
    void provide() {
        ServerAssembly.shared().provide(Role.TN, context -> {
            TransactionNodeRole tn = TransactionNodeRole.create(context);
            metrics.watch(tn);
            return tn;
        });
    }
}
