package io.cairn.storage.impl;

import io.cairn.storage.StorageException;
import io.cairn.storage.StorageHealth;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Calls endpoints of an {@link ErasureCodedStore} in parallel and collects their answers. Each call runs
 * guarded by its endpoint's {@link CallPolicy.Guard} on one bounded pool (k+m times the per-endpoint
 * bulkhead); the calling thread waits, at most the policy's deadline from the start of the fan-out.
 *
 * <p>Thread-safe. Owns the pool; {@link #close()} stops it and closes the endpoints.
 */
final class FanOut implements AutoCloseable {
    private final List<Endpoint> endpoints;
    private final CallPolicy.Guard[] guards;
    private final CallPolicy policy;
    private final ThreadPoolExecutor pool;

    FanOut(List<Endpoint> endpoints, CallPolicy policy) {
        this.endpoints = List.copyOf(endpoints);
        this.policy = policy;
        int n = this.endpoints.size();
        this.guards = new CallPolicy.Guard[n];
        for (int i = 0; i < n; i++) {
            guards[i] = policy.newGuard(this.endpoints.get(i).name());
        }
        int threads = n * policy.maxConcurrent();
        AtomicInteger seq = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "cairn-storage-" + seq.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        // Callers take a bulkhead slot before submitting, so at most `threads` tasks exist: the queue stays short.
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), tf);
        this.pool.allowCoreThreadTimeOut(true);
    }

    /** One endpoint's answer: a value, or the failure (a {@link ShardNotFoundException} is an answer). */
    record Outcome<T>(T value, IOException error) {
        boolean ok() {
            return error == null;
        }

        boolean notFound() {
            return error instanceof ShardNotFoundException;
        }
    }

    /**
     * Calls started by {@link #submit}: their futures, the outcomes of those that could not start, and the
     * nanoTime by which {@link #await} stops waiting.
     */
    record Pending<T>(Map<Integer, Future<T>> futures, Map<Integer, Outcome<T>> out, long deadline) {
    }

    Endpoint endpoint(int i) {
        return endpoints.get(i);
    }

    /** Every endpoint index, 0..n-1. */
    int[] all() {
        int[] a = new int[endpoints.size()];
        Arrays.setAll(a, i -> i);
        return a;
    }

    /**
     * Runs {@code call(i)} on each endpoint index in {@code targets} in parallel and waits for all. The calling
     * thread makes the last call itself rather than wait idle: one hand-off to the pool and back fewer.
     */
    <T> Map<Integer, Outcome<T>> call(int[] targets, IntFunction<CallPolicy.EndpointCall<T>> call) {
        return await(submit(targets, call, true));
    }

    /**
     * Starts {@code call(i)} on each endpoint index in {@code targets} ({@link #await} collects them); with
     * {@code callerRunsLast}, the last one runs on the calling thread before this returns.
     */
    <T> Pending<T> submit(int[] targets, IntFunction<CallPolicy.EndpointCall<T>> call, boolean callerRunsLast) {
        long deadline = System.nanoTime() + policy.deadline().toNanos();
        Map<Integer, Future<T>> futures = new LinkedHashMap<>();
        Map<Integer, Outcome<T>> out = new HashMap<>();
        FutureTask<T> here = null;
        for (int x = 0; x < targets.length; x++) {
            int i = targets[x];
            CallPolicy.Guard guard = guards[i];
            try {
                guard.acquire();
            } catch (IOException e) {
                out.put(i, new Outcome<>(null, e));
                continue;
            }
            CallPolicy.EndpointCall<T> c = call.apply(i);
            FutureTask<T> task = new FutureTask<>(() -> guard.call(c)) {
                @Override
                protected void done() {
                    guard.release();
                }
            };
            futures.put(i, task);
            if (callerRunsLast && x == targets.length - 1) {
                here = task;
                continue;
            }
            try {
                pool.execute(task);
            } catch (RuntimeException e) {
                task.cancel(false);
                futures.remove(i);
                out.put(i, new Outcome<>(null, new IOException("storage executor rejected the call", e)));
            }
        }
        if (here != null) {
            here.run(); // bounded like a pool call: the endpoint's timeouts and the policy's attempts
        }
        return new Pending<>(futures, out, deadline);
    }

    /** Waits for the calls of a {@link #submit}, at most until its deadline (the policy's, from its start). */
    <T> Map<Integer, Outcome<T>> await(Pending<T> pending) {
        Map<Integer, Future<T>> futures = pending.futures();
        Map<Integer, Outcome<T>> out = pending.out();
        long deadline = pending.deadline();
        boolean interrupted = false;
        for (Map.Entry<Integer, Future<T>> e : futures.entrySet()) {
            Future<T> f = e.getValue();
            try {
                long wait = interrupted ? 0 : Math.max(0, deadline - System.nanoTime());
                out.put(e.getKey(), new Outcome<>(f.get(wait, TimeUnit.NANOSECONDS), null));
            } catch (ExecutionException ex) {
                Throwable cause = ex.getCause();
                out.put(e.getKey(), new Outcome<>(null, cause instanceof IOException io ? io
                        : new IOException(endpoints.get(e.getKey()).name() + ": " + cause, cause)));
            } catch (TimeoutException ex) {
                f.cancel(true);
                out.put(e.getKey(), new Outcome<>(null, new IOException(endpoints.get(e.getKey()).name()
                        + ": no answer within " + policy.deadline(), ex)));
            } catch (InterruptedException ex) {
                interrupted = true;
                f.cancel(true);
                out.put(e.getKey(), new Outcome<>(null, new InterruptedIOException("interrupted")));
            } catch (CancellationException ex) {
                out.put(e.getKey(), new Outcome<>(null, new IOException("cancelled", ex)));
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for storage endpoints");
        }
        return out;
    }

    /** The endpoint indexes that answered without an error, in order. */
    static int[] succeeded(Map<Integer, ? extends Outcome<?>> res) {
        return res.entrySet().stream().filter(e -> e.getValue().ok()).mapToInt(Map.Entry::getKey).sorted().toArray();
    }

    /** The last failure among the outcomes that is not a "no such object", or null. */
    static IOException lastError(Map<Integer, ? extends Outcome<?>> outcomes) {
        IOException last = null;
        for (Outcome<?> o : outcomes.values()) {
            if (!o.ok() && !o.notFound()) {
                last = o.error();
            }
        }
        return last;
    }

    /**
     * Pings every endpoint (one attempt each, bypassing the breaker, which a success closes).
     *
     * @param probeTimeout what each ping bounds itself to ({@link StoreConfig#probeTimeout()})
     */
    List<StorageHealth.EndpointStatus> ping(Duration probeTimeout) {
        int n = endpoints.size();
        Map<Integer, Future<Object>> futures = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Endpoint ep = endpoints.get(i);
            futures.put(i, pool.submit(() -> {
                ep.ping();
                return null;
            }));
        }
        // The probes bound themselves (StoreConfig.probeTimeout); the margin covers scheduling only.
        long deadline = System.nanoTime() + probeTimeout.plusMillis(500).toNanos();
        List<StorageHealth.EndpointStatus> statuses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = endpoints.get(i).name();
            Future<Object> f = futures.get(i);
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                guards[i].reset();
                statuses.add(new StorageHealth.EndpointStatus(name, true, null));
            } catch (ExecutionException e) {
                statuses.add(new StorageHealth.EndpointStatus(name, false, String.valueOf(e.getCause())));
            } catch (TimeoutException e) {
                f.cancel(true);
                statuses.add(new StorageHealth.EndpointStatus(name, false, "no answer in time"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted while probing storage endpoints");
            }
        }
        return statuses;
    }

    /** Stops the pool (waiting up to 5 s for calls in flight), then closes the endpoints. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            endpoints.forEach(Endpoint::close);
        }
    }
}
