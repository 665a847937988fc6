package io.cairn.sql.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The plan cache: hits, misses, eviction of the least recently used, and lookups from many sessions at once. */
class PlanCacheTest {
    private static PlanCache.Key key(int i) {
        return new PlanCache.Key(1, "db", "query", "SELECT c FROM t WHERE id = ? /* " + i + " */");
    }

    @Test
    void compilesOncePerKeyAndCountsHitsAndMisses() {
        PlanCache cache = new PlanCache(10);
        AtomicInteger compiled = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            cache.get(key(1), () -> {
                compiled.incrementAndGet();
                return null;
            });
        }
        assertThat(compiled).hasValue(1);
        assertThat(cache.hits()).isEqualTo(2);
        assertThat(cache.misses()).isEqualTo(1);
        assertThat(cache.literalOnly(key(1))).isFalse();
        cache.markLiteralOnly(key(1));
        assertThat(cache.literalOnly(key(1))).isTrue();
    }

    @Test
    void dropsTheLeastRecentlyUsedBeyondCapacity() throws InterruptedException {
        PlanCache cache = new PlanCache(10);
        for (int i = 0; i < 10; i++) {
            cache.get(key(i), () -> null);
        }
        Thread.sleep(5); // last-use times are recorded at millisecond grain
        cache.get(key(0), () -> null); // key 0 is now the most recently used
        Thread.sleep(5);
        cache.get(key(10), () -> null); // over capacity: the oldest tenth (key 1, then 2) goes
        assertThat(cache.size()).isLessThanOrEqualTo(10);
        AtomicInteger compiled = new AtomicInteger();
        cache.get(key(0), () -> {
            compiled.incrementAndGet();
            return null;
        });
        assertThat(compiled).as("the recently used key survived").hasValue(0);
        cache.get(key(1), () -> {
            compiled.incrementAndGet();
            return null;
        });
        assertThat(compiled).as("the least recently used key was dropped").hasValue(1);
    }

    @Test
    void sixteenSessionsHitWhileAnotherCompiles() throws Exception {
        PlanCache cache = new PlanCache(1000);
        cache.get(key(1), () -> null);
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
                return null;
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
