package io.cairn.admin;

import io.cairn.storage.ObjectStoreConnection;
import io.cairn.storage.StorageException;
import io.cairn.storage.StorageStatistics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Object storage's MicroProfile Metrics (application registry, {@code /metrics}), read from the storage
 * connector's {@link StorageStatistics} when scraped (a connection handle each time, no I/O): calls and storage
 * failures per operation, shard objects rewritten by heals. They count this server's store since it started.
 */
@ApplicationScoped
public class StorageMetrics {
    @Inject
    MetricRegistry registry;

    @Inject
    StorageAccess storage;

    void register(@Observes Startup startup) {
        Metadata operations = Metadata.builder().withName("cairn.storage.operations")
                .withDescription("Calls to this server's object store by operation (put, get, head, list, delete,"
                        + " heal) since it started").withUnit(MetricUnits.NONE).build();
        Metadata errors = Metadata.builder().withName("cairn.storage.errors")
                .withDescription("Calls to this server's object store that failed because storage could not serve"
                        + " them (too few endpoints, corrupt object), by operation").withUnit(MetricUnits.NONE).build();
        for (String op : StorageStatistics.OPERATIONS) {
            registry.gauge(operations, this, m -> m.read(s -> s.operations().getOrDefault(op, 0L)), new Tag("operation", op));
            registry.gauge(errors, this, m -> m.read(s -> s.errors().getOrDefault(op, 0L)), new Tag("operation", op));
        }
        registry.gauge(Metadata.builder().withName("cairn.storage.healed.shards")
                .withDescription("Shard objects heals rewrote or removed since this server started")
                .withUnit(MetricUnits.NONE).build(), this, m -> m.read(StorageStatistics::healedShards));
    }

    private double read(ToDoubleFunction<StorageStatistics> field) {
        try (ObjectStoreConnection c = storage.connection()) {
            return field.applyAsDouble(c.statistics());
        } catch (StorageException | IllegalStateException e) {
            return Double.NaN; // the adapter is misconfigured or stopped: readiness says why
        }
    }
}
