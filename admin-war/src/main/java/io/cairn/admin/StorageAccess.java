package io.cairn.admin;

import io.cairn.node.HealthReport;
import io.cairn.storage.ObjectStoreConnection;
import io.cairn.server.ObjectStoreCheckpoints;
import io.cairn.txn.checkpoint.CheckpointStore;
import io.cairn.storage.ObjectStoreConnectionFactory;
import io.cairn.storage.StorageException;
import io.cairn.storage.StorageHealth;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * This server's object storage: the connection factory of the storage resource adapter embedded in the
 * EAR, as configured in {@code cairn.xml} and bound at {@value #JNDI_NAME}. The readiness check and the
 * admin API reach storage only through it.
 *
 * <p>Thread-safe; every call takes its own connection handle (cheap, no I/O) and closes it.
 */
@ApplicationScoped
public class StorageAccess {
    /** Where {@code cairn.xml} binds the storage connection factory. */
    public static final String JNDI_NAME = "jca/cairn/storage";
    private static final Logger LOG = Logger.getLogger(StorageAccess.class.getName());
    private static final int PROBE_EVERY_SECONDS = 2;
    private static final Duration PROBE_EVERY = Duration.ofSeconds(PROBE_EVERY_SECONDS);

    @Resource(lookup = JNDI_NAME)
    ObjectStoreConnectionFactory factory;

    /** Runs the storage probe in the background (Jakarta Concurrency: the application's context on its threads). */
    @Resource
    ManagedScheduledExecutorService scheduler;

    /** The readiness check answers from this: a probe of endpoints that do not answer takes seconds. */
    private final ProbedReport probed = new ProbedReport(this::probe, Duration.ofSeconds(10), System::nanoTime);
    private ScheduledFuture<?> probing;

    /** The last readiness outcome, to log transitions once instead of on every probe. */
    private final AtomicReference<Boolean> lastUp = new AtomicReference<>();

    /** A new connection handle; the caller closes it. */
    ObjectStoreConnection connection() {
        return factory.getConnection();
    }

    @PostConstruct
    void startProbing() {
        probing = scheduler.scheduleWithFixedDelay(probed::probe, 0, PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stopProbing() {
        if (probing != null) {
            probing.cancel(false);
        }
    }

    /**
     * Whether storage can serve, from the last background probe (every {@value #PROBE_EVERY_SECONDS} s; its age is
     * in the data): answers at once. DOWN before the first probe and when the last one is more than 10 s old.
     */
    HealthReport readiness() {
        return probed.current();
    }

    /**
     * Probes every endpoint through the connector ({@link ObjectStoreConnection#health()}): UP when at least
     * k answer. A misconfigured or stopped adapter is DOWN with its message. Bounded by the connector's
     * probe timeout (about twice the connect timeout per endpoint, all probed in parallel).
     */
    private HealthReport probe() {
        HealthReport report;
        try (ObjectStoreConnection c = connection()) {
            report = toReport(c.health());
        } catch (StorageException | IllegalStateException e) {
            report = HealthReport.down(Map.of("error", String.valueOf(e.getMessage())));
        }
        Boolean before = lastUp.getAndSet(report.up());
        if (before == null || before != report.up()) {
            HealthReport r = report;
            LOG.info(() -> "CAIRN0100I: object storage is " + (r.up() ? "UP" : "DOWN") + ": " + r.data());
        }
        return report;
    }

    /** The checkpoints' view of this storage: each call takes its own connection handle. */
    CheckpointStore checkpointStore() {
        return ObjectStoreCheckpoints.perCall(this::connection);
    }

    /** Health data: counts, and the endpoints that did not answer with their errors. */
    static HealthReport toReport(StorageHealth health) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("endpoints", health.endpoints().size());
        data.put("answering", health.healthyEndpoints());
        data.put("required", health.required());
        String down = health.endpoints().stream().filter(e -> !e.up())
                .map(e -> e.endpoint() + " (" + e.error() + ")").collect(Collectors.joining(", "));
        if (!down.isEmpty()) {
            data.put("down", down);
        }
        return HealthReport.of(health.isUp(), data);
    }
}
