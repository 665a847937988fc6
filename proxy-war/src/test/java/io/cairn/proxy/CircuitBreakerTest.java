package io.cairn.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final CircuitBreaker breaker = new CircuitBreaker(now::get);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    /**
     * Chaos suite: a paused CN under many sessions got one failure per session and was skipped for 30 s
     * after it came back. Failures during a back-off are one outage.
     */
    @Test
    void failuresDuringABackOffDoNotLengthenIt() {
        for (int session = 0; session < 16; session++) {
            breaker.failed("cn1");
        }
        assertThat(breaker.available("cn1")).isFalse();
        advance(CircuitBreaker.FIRST_BACKOFF);
        assertThat(breaker.available("cn1")).as("one outage: the first back-off").isTrue();
    }

    @Test
    void aFailedTryAfterTheBackOffDoublesItAndASuccessClearsIt() {
        breaker.failed("cn1");
        advance(CircuitBreaker.FIRST_BACKOFF);
        breaker.failed("cn1"); // tried again, failed again
        advance(CircuitBreaker.FIRST_BACKOFF);
        assertThat(breaker.available("cn1")).isFalse();
        advance(CircuitBreaker.FIRST_BACKOFF);
        assertThat(breaker.available("cn1")).isTrue();
        breaker.failed("cn1");
        breaker.succeeded("cn1");
        assertThat(breaker.available("cn1")).isTrue();
        assertThat(breaker.available("cn2")).as("other CNs are not affected").isTrue();
    }
}
