package io.cairn.proxy;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The proxy's MicroProfile Metrics (application registry, {@code /metrics}), read from its {@link ProxyRole} when
 * scraped: client connections, session moves, and sessions per compute node and CN group.
 *
 * <p>A gauge per compute node and group exists once that pair has been seen: every {@value #DISCOVER_SECONDS} s
 * this bean registers one for each pair the proxy knows (each CN of the membership with its group, and wherever
 * sessions are), so a new CN shows up within that time; a CN that left stays listed, at 0.
 */
@ApplicationScoped
public class ProxyMetrics {
    static final int DISCOVER_SECONDS = 5;
    private static final Metadata SESSIONS = Metadata.builder().withName("cairn.proxy.sessions")
            .withDescription("This proxy's logged-in client sessions on a compute node (cn: its MySQL endpoint) for"
                    + " a CN group").withUnit(MetricUnits.NONE).build();

    @Inject
    MetricRegistry registry;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final AtomicReference<ProxyRole> role = new AtomicReference<>();
    private final Set<ProxyServer.Placement> registered = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> discovering;

    @PostConstruct
    void registerGauges() {
        registry.gauge(Metadata.builder().withName("cairn.proxy.connections")
                .withDescription("Client connections open at this proxy").withUnit(MetricUnits.NONE).build(), role,
                r -> r.get() == null ? Double.NaN : r.get().connections());
        registry.gauge(Metadata.builder().withName("cairn.proxy.session.moves")
                .withDescription("Sessions this proxy moved to another compute node since it started (a CN failed,"
                        + " was drained or was far above its group's load)").withUnit(MetricUnits.NONE).build(),
                role, r -> r.get() == null ? Double.NaN : r.get().sessionMoves());
        discovering = scheduler.scheduleWithFixedDelay(this::discover, DISCOVER_SECONDS, DISCOVER_SECONDS,
                TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (discovering != null) {
            discovering.cancel(false);
        }
    }

    /** Measures {@code proxy}, this server's proxy, from now on. */
    void watch(ProxyRole proxy) {
        role.set(proxy);
    }

    /** Registers a sessions gauge for every compute node and group the proxy knows now. */
    void discover() {
        ProxyRole proxy = role.get();
        if (proxy == null) {
            return;
        }
        for (ProxyServer.Placement p : proxy.sessionsByPlacement().keySet()) {
            if (registered.add(p)) {
                registry.gauge(SESSIONS, role, r -> sessions(r.get(), p), new Tag("cn", p.computeNode()),
                        new Tag("group", p.group()));
            }
        }
    }

    private static double sessions(ProxyRole proxy, ProxyServer.Placement p) {
        return proxy == null ? Double.NaN : proxy.sessionsByPlacement().getOrDefault(p, 0);
    }
}
