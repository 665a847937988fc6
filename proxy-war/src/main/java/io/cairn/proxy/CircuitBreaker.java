package io.cairn.proxy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Compute nodes that refused a connection or did not answer in time, skipped until their back-off
 * ends: 1 s after the first failure, doubling up to 30 s each time a try after the back-off fails too;
 * one success clears it. Failures reported while a back-off runs are the same outage seen by other
 * sessions and do not lengthen it (a CN paused under 16 sessions was skipped for 30 s after it came back,
 * and the next fault found every session on one CN). Membership takes up to 5 s to drop a dead server;
 * this keeps the proxy from trying it again in the meantime. Thread-safe; time from an injected nanosecond
 * clock.
 */
final class CircuitBreaker {
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private record Down(int failures, long untilNanos) {
    }

    private final LongSupplier nanoClock;
    private final Map<String, Down> down = new ConcurrentHashMap<>();

    CircuitBreaker(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Whether {@code endpoint} may be tried now. */
    boolean available(String endpoint) {
        Down d = down.get(endpoint);
        return d == null || nanoClock.getAsLong() - d.untilNanos >= 0;
    }

    /** {@code endpoint} refused or timed out: skip it for the next back-off. */
    void failed(String endpoint) {
        down.compute(endpoint, (k, old) -> {
            long now = nanoClock.getAsLong();
            if (old != null && now - old.untilNanos < 0) {
                return old;
            }
            int failures = old == null ? 1 : Math.min(old.failures + 1, 16);
            long backoff = Math.min(FIRST_BACKOFF.toNanos() << (failures - 1), MAX_BACKOFF.toNanos());
            return new Down(failures, now + backoff);
        });
    }

    /** {@code endpoint} took a login: trust it again. */
    void succeeded(String endpoint) {
        if (!down.isEmpty()) {
            down.remove(endpoint);
        }
    }
}
