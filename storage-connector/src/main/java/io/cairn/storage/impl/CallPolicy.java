package io.cairn.storage.impl;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Fault-tolerance policy for calls to one endpoint: a bulkhead (at most {@code maxConcurrent} calls in
 * flight, callers wait at most {@code bulkheadWait} for a slot), retries of transient failures with
 * exponential backoff, and a circuit breaker that, after a call failed all its attempts, fails further calls
 * at once for {@code openFor} so that a dead endpoint costs nothing, letting one probe call through per
 * period. A {@link ShardNotFoundException} is an answer, not a failure: never retried, never opens the breaker.
 *
 * <p>Per-call timeouts are enforced by the endpoint clients themselves (connect/read/write timeouts); the
 * store additionally bounds how long it waits for a fan-out ({@link #deadline()}).
 *
 * <p>This is plain Java rather than MicroProfile Fault Tolerance: MP FT interceptors only apply to CDI beans,
 * and the classes of a resource adapter are not CDI beans. Time and sleeping are injected for tests.
 * Thread-safe.
 */
public final class CallPolicy {

    /** A call to an endpoint. */
    @FunctionalInterface
    public interface EndpointCall<T> {
        T call() throws IOException;
    }

    /** Sleeps between attempts; injected so tests need not wait. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** The endpoint's breaker is open or its bulkhead is full: the call was not attempted. */
    public static final class RejectedCallException extends IOException {
        private static final long serialVersionUID = 1L;

        RejectedCallException(String message) {
            super(message);
        }
    }

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final int maxConcurrent;
    private final Duration bulkheadWait;
    private final Duration openFor;
    private final Duration requestTimeout;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    /** {@link #deadline()}, computed once: every fan-out asks for it. */
    private final Duration deadline;

    public CallPolicy(int maxAttempts, Duration initialBackoff, int maxConcurrent, Duration bulkheadWait,
                      Duration openFor, Duration requestTimeout, LongSupplier nanoTime, Sleeper sleeper) {
        if (maxAttempts < 1 || maxConcurrent < 1 || initialBackoff.isNegative() || bulkheadWait.isNegative()
                || openFor.isNegative() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("invalid call policy");
        }
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxConcurrent = maxConcurrent;
        this.bulkheadWait = bulkheadWait;
        this.openFor = openFor;
        this.requestTimeout = requestTimeout;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        Duration backoffs = Duration.ZERO;
        Duration b = initialBackoff;
        for (int i = 1; i < maxAttempts; i++) {
            backoffs = backoffs.plus(b);
            b = b.multipliedBy(2);
        }
        this.deadline = requestTimeout.multipliedBy(maxAttempts).plus(backoffs).plus(bulkheadWait);
    }

    /** Production defaults: real clock, {@link Thread#sleep}. */
    public static CallPolicy of(int maxAttempts, int maxConcurrent, Duration requestTimeout) {
        return new CallPolicy(maxAttempts, Duration.ofMillis(25), maxConcurrent, requestTimeout,
                Duration.ofSeconds(2), requestTimeout, System::nanoTime, d -> Thread.sleep(d.toMillis()));
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    /**
     * Upper bound on one guarded call including all attempts and backoffs: what a fan-out waits at most for
     * an endpoint before counting it as failed.
     */
    public Duration deadline() {
        return deadline;
    }

    /** Creates the per-endpoint state (bulkhead permits, breaker). */
    public Guard newGuard(String endpoint) {
        return new Guard(endpoint);
    }

    /** Per-endpoint state. */
    public final class Guard {
        private final String endpoint;
        private final Semaphore permits = new Semaphore(maxConcurrent);
        /** nanoTime until which the breaker is open; Long.MIN_VALUE when closed. */
        private final AtomicLong openUntil = new AtomicLong(Long.MIN_VALUE);
        private volatile boolean open;

        private Guard(String endpoint) {
            this.endpoint = endpoint;
        }

        /** Takes a bulkhead slot, waiting at most bulkheadWait. Pair with {@link #release()}. */
        public void acquire() throws IOException {
            try {
                if (!permits.tryAcquire(bulkheadWait.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new RejectedCallException(endpoint + ": bulkhead full (" + maxConcurrent
                            + " calls in flight)");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for a bulkhead slot of " + endpoint);
            }
        }

        public void release() {
            permits.release();
        }

        public boolean isOpen() {
            return open;
        }

        /** Closes the breaker (e.g. after a successful health probe). */
        public void reset() {
            open = false;
            openUntil.set(Long.MIN_VALUE);
        }

        /**
         * Runs the call with retries, honouring the breaker. Bulkhead slots are taken by the caller
         * ({@link #acquire()}), so that a fan-out never queues more work than there are slots.
         */
        public <T> T call(EndpointCall<T> call) throws IOException {
            boolean probe = false;
            if (open) {
                long until = openUntil.get();
                long now = nanoTime.getAsLong();
                if (now - until < 0 || !openUntil.compareAndSet(until, now + openFor.toNanos())) {
                    throw new RejectedCallException(endpoint + ": circuit open after repeated failures");
                }
                probe = true; // this caller won the half-open probe; one attempt only
            }
            int attempts = probe ? 1 : maxAttempts;
            Duration backoff = initialBackoff;
            IOException last = null;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                try {
                    T result = call.call();
                    reset();
                    return result;
                } catch (ShardNotFoundException e) {
                    reset();
                    throw e;
                } catch (InterruptedIOException e) {
                    throw e;
                } catch (IOException e) {
                    last = e;
                }
                if (attempt < attempts) {
                    try {
                        sleeper.sleep(backoff);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        InterruptedIOException iie = new InterruptedIOException("interrupted retrying " + endpoint);
                        iie.addSuppressed(last);
                        throw iie;
                    }
                    backoff = backoff.multipliedBy(2);
                }
            }
            openUntil.set(nanoTime.getAsLong() + openFor.toNanos());
            open = true;
            throw last;
        }
    }
}
