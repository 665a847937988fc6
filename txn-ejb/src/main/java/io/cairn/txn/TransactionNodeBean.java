package io.cairn.txn;

import io.cairn.node.Role;
import io.cairn.server.ServerAssembly;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;

/**
 * Gives the server its TN ({@link TransactionNodeRole#create}) when this module starts; the
 * {@link ServerAssembly} builds and starts it if the server's roles include {@code tn}.
 */
@Singleton
@Startup
public class TransactionNodeBean {
    @PostConstruct
    void provide() {
        ServerAssembly.shared().provide(Role.TN, TransactionNodeRole::create);
    }
}
