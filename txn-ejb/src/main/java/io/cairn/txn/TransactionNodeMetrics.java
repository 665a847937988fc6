package io.cairn.txn;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;

/**
 * The transaction node's MicroProfile Metrics (application registry, {@code /metrics}), read from its
 * {@link TransactionNodeRole} when scraped: the lease epoch and whether this TN holds the lease.
 */
@ApplicationScoped
public class TransactionNodeMetrics {
    @Inject
    MetricRegistry registry;

    private final AtomicReference<TransactionNodeRole> role = new AtomicReference<>();

    @PostConstruct
    void registerGauges() {
        gauge("cairn.tn.lease.epoch", "The TN lease epoch this transaction node holds or last saw in the log (each"
                + " takeover raises it)", TransactionNodeRole::epoch);
        gauge("cairn.tn.active", "1 while this transaction node holds the lease (the active TN), else 0",
                tn -> tn.active() ? 1 : 0);
    }

    /** Measures {@code tn}, this server's transaction node, from now on. */
    void watch(TransactionNodeRole tn) {
        role.set(tn);
    }

    private void gauge(String name, String description, ToDoubleFunction<TransactionNodeRole> read) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).withUnit(MetricUnits.NONE)
                .build(), role, r -> {
                    TransactionNodeRole tn = r.get();
                    return tn == null ? Double.NaN : read.applyAsDouble(tn);
                });
    }
}
