package io.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReadBarrierTest {
    /** Each round returns the number of rounds started so far, so a value tells when its round began. */
    private final AtomicLong roundsStarted = new AtomicLong();

    private long slowRound() {
        long started = roundsStarted.incrementAndGet();
        try {
            Thread.sleep(2); // a round takes time, so that callers arrive while one is running: the behaviour tested
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return started;
    }

    @Test
    void everyCallerGetsARoundThatStartedAfterItArrivedAndRoundsAreShared() throws Exception {
        ReadBarrier barrier = new ReadBarrier(this::slowRound);
        int threads = 16;
        int callsEach = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> stale = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                stale.add(pool.submit(() -> {
                    int violations = 0;
                    for (int i = 0; i < callsEach; i++) {
                        long before = roundsStarted.get();
                        if (barrier.await() <= before) {
                            violations++;
                        }
                    }
                    return violations;
                }));
            }
            for (Future<Integer> f : stale) {
                assertThat(f.get()).as("answers from rounds that began before the call").isZero();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(roundsStarted.get()).as("rounds for %d calls", threads * callsEach)
                .isLessThan(threads * callsEach / 4L);
    }

    @Test
    void aFailedRoundFailsItsCallersAndTheNextCallStartsAFreshRound() {
        AtomicLong calls = new AtomicLong();
        ReadBarrier barrier = new ReadBarrier(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("no majority");
            }
            return 42;
        });
        assertThatThrownBy(barrier::await).isInstanceOf(IllegalStateException.class).hasMessage("no majority");
        assertThat(barrier.await()).isEqualTo(42);
    }
}
