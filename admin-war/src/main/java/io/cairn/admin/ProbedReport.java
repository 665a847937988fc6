package io.cairn.admin;

import io.cairn.node.HealthReport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A health report probed in the background and answered from memory, so that a probe that takes long (a
 * storage endpoint that accepts no connection answers only after the connect timeout) never holds a health
 * check: Kubernetes' readiness probe answers within its own timeout whatever the endpoints do. A report older
 * than {@code maxAge} (the prober is stuck or stopped) is DOWN. Thread-safe.
 */
final class ProbedReport {
    private final Supplier<HealthReport> probe;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private volatile HealthReport last;
    private volatile long lastAt;

    /**
     * @param probe    what {@link #probe()} runs
     * @param maxAge   how old the last report may be before it counts as DOWN
     * @param nanoTime the clock ({@link System#nanoTime} but in tests)
     */
    ProbedReport(Supplier<HealthReport> probe, Duration maxAge, LongSupplier nanoTime) {
        this.probe = probe;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Runs the probe and keeps its report; the background task calls it. */
    void probe() {
        HealthReport report = probe.get();
        lastAt = nanoTime.getAsLong();
        last = report;
    }

    /** The last report with its age in milliseconds; never waits for a probe. */
    HealthReport current() {
        HealthReport report = last;
        if (report == null) {
            return HealthReport.down(Map.of("error", "not probed yet"));
        }
        long age = nanoTime.getAsLong() - lastAt;
        Map<String, Object> data = new LinkedHashMap<>(report.data());
        data.put("probedMsAgo", age / 1_000_000);
        if (age > maxAgeNanos) {
            data.put("error", "the last probe is older than " + maxAgeNanos / 1_000_000 + " ms");
            return HealthReport.down(data);
        }
        return HealthReport.of(report.up(), data);
    }
}
