package io.cairn.txn;

import io.cairn.txn.standby.Standby;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;

/**
 * The transaction node's MicroProfile Metrics (application registry, {@code /metrics}), read from its
 * {@link TransactionNodeRole} when scraped: the lease epoch, whether this TN holds the lease, whether it takes
 * writes, and on a standby cluster how far it is behind its primary.
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
        gauge("cairn.tn.writes.refused", "1 while this transaction node refuses client writes (a standby not promoted,"
                + " a primary fenced by its standby's promotion or drained for a switchover), else 0",
                tn -> tn.writesRefused() ? 1 : 0);
        gauge("cairn.standby.lag.seconds", "On a standby cluster's active TN: how far the last replayed commits were"
                + " behind the primary when they became durable here (0 once replayed to the archive's end); NaN"
                + " elsewhere", tn -> following(tn).map(Standby.Status::lagSeconds).orElse(Double.NaN));
        gauge("cairn.standby.applied.timestamp.seconds", "On a standby cluster's active TN: the commit time of the"
                + " newest of the primary's commits it holds, in seconds since 1970 UTC; NaN elsewhere",
                tn -> following(tn).map(s -> s.appliedTs() / 1e6).orElse(Double.NaN));
    }

    /** The standby's status while this server's TN follows the primary, else empty. */
    private static Optional<Standby.Status> following(TransactionNodeRole tn) {
        return tn.standby().map(Standby::status).filter(s -> s.state() == Standby.State.FOLLOWING);
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
