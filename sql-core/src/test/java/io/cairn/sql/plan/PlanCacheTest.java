package io.cairn.sql.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.node.testing.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The plan cache: hits, misses, its bound, and many sessions missing or hitting at once. */
class PlanCacheTest {
    private static PlanCache.Key key(int i) {
        return new PlanCache.Key(1, "db", "query", "SELECT c FROM t WHERE id = ? /* " + i + " */");
    }

    private static CompiledQuery plan(long version) {
        return new CompiledQuery(null, null, List.of(), version, Map.of(), List.of());
    }

    @Test
    void compilesOncePerKeyAndCountsHitsAndMisses() {
        PlanCache cache = new PlanCache(10);
        AtomicInteger compiled = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            cache.get(key(1), () -> plan(compiled.incrementAndGet()));
        }
        assertThat(compiled).hasValue(1);
        assertThat(cache.hits()).isEqualTo(2);
        assertThat(cache.misses()).isEqualTo(1);
        assertThat(cache.literalOnly(key(1))).isFalse();
        cache.markLiteralOnly(key(1));
        assertThat(cache.literalOnly(key(1))).isTrue();
    }

    @Test
    void aFailedCompilationIsNotCached() {
        PlanCache cache = new PlanCache(10);
        assertThatThrownBy(() -> cache.get(key(1), () -> {
            throw new IllegalStateException("no such column");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(cache.get(key(1), () -> plan(7)).catalogVersion()).isEqualTo(7);
    }

    @Test
    void staysWithinItsCapacity() {
        PlanCache cache = new PlanCache(10);
        for (int i = 0; i < 100; i++) {
            cache.get(key(i), () -> plan(1));
        }
        assertThat(cache.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void sixteenSessionsMissingOneShapeCompileItOnce() throws Exception {
        PlanCache cache = new PlanCache(1000);
        AtomicInteger compiled = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<CompiledQuery>> sessions = new ArrayList<>();
            List<Thread> arrived = new CopyOnWriteArrayList<>();
            for (int t = 0; t < 16; t++) {
                sessions.add(pool.submit(() -> {
                    start.await();
                    arrived.add(Thread.currentThread());
                    return cache.get(key(1), () -> {
                        compiled.incrementAndGet();
                        // the compilation lasts until every other session waits for it (blocked in the cache)
                        Wait.until("the 15 other sessions wait for this compilation", Duration.ofSeconds(10),
                                () -> arrived.size() == 16 && arrived.stream()
                                        .filter(other -> other != Thread.currentThread())
                                        .allMatch(other -> other.getState() == Thread.State.BLOCKED
                                                || other.getState() == Thread.State.WAITING));
                        return plan(1);
                    });
                }));
            }
            start.countDown();
            CompiledQuery first = sessions.get(0).get(10, TimeUnit.SECONDS);
            for (Future<CompiledQuery> f : sessions) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isSameAs(first);
            }
            assertThat(compiled).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sixteenSessionsHitWhileAnotherCompiles() throws Exception {
        PlanCache cache = new PlanCache(1000);
        cache.get(key(1), () -> plan(1));
        CountDownLatch compiling = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(17);
        try {
            Future<?> slowMiss = pool.submit(() -> cache.get(key(2), () -> {
                compiling.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return plan(2);
            }));
            assertThat(compiling.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<?>> hits = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                hits.add(pool.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        cache.get(key(1), () -> {
                            throw new AssertionError("key 1 is cached");
                        });
                    }
                }));
            }
            for (Future<?> f : hits) {
                f.get(30, TimeUnit.SECONDS);
            }
            release.countDown();
            slowMiss.get(10, TimeUnit.SECONDS);
            assertThat(cache.hits()).isEqualTo(160_000);
            assertThat(cache.misses()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }
}
