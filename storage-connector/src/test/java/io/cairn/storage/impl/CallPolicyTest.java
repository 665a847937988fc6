package io.cairn.storage.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallPolicyTest {
    private final AtomicLong now = new AtomicLong();
    private final List<Duration> sleeps = new ArrayList<>();
    private final CallPolicy policy = new CallPolicy(3, Duration.ofMillis(10), 2, Duration.ZERO,
            Duration.ofSeconds(1), Duration.ofSeconds(5), now::get, sleeps::add);

    @Test
    void retriesTransientFailuresWithBackoff() throws IOException {
        CallPolicy.Guard g = policy.newGuard("e");
        AtomicInteger calls = new AtomicInteger();
        String r = g.call(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new IOException("transient");
            }
            return "ok";
        });
        assertThat(r).isEqualTo("ok");
        assertThat(sleeps).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20));
    }

    @Test
    void notFoundIsAnAnswerNotRetried() {
        CallPolicy.Guard g = policy.newGuard("e");
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> g.call(() -> {
            calls.incrementAndGet();
            throw new ShardNotFoundException("e", "x");
        })).isInstanceOf(ShardNotFoundException.class);
        assertThat(calls).hasValue(1);
        assertThat(g.isOpen()).isFalse();
    }

    @Test
    void breakerOpensAfterExhaustedRetriesAndLetsOneProbeThroughLater() throws IOException {
        CallPolicy.Guard g = policy.newGuard("e");
        AtomicInteger calls = new AtomicInteger();
        CallPolicy.EndpointCall<String> failing = () -> {
            calls.incrementAndGet();
            throw new IOException("down");
        };
        assertThatThrownBy(() -> g.call(failing)).hasMessage("down");
        assertThat(calls).hasValue(3);
        assertThat(g.isOpen()).isTrue();
        assertThatThrownBy(() -> g.call(failing)).isInstanceOf(CallPolicy.RejectedCallException.class);
        assertThat(calls).hasValue(3);
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThatThrownBy(() -> g.call(failing)).hasMessage("down"); // the probe: one attempt
        assertThat(calls).hasValue(4);
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(g.call(() -> "back")).isEqualTo("back");
        assertThat(g.isOpen()).isFalse();
    }

    @Test
    void bulkheadRejectsBeyondItsSlots() throws IOException {
        CallPolicy.Guard g = policy.newGuard("e");
        g.acquire();
        g.acquire();
        assertThatThrownBy(g::acquire).isInstanceOf(CallPolicy.RejectedCallException.class)
                .hasMessageContaining("bulkhead full");
        g.release();
        g.acquire();
    }

    @Test
    void deadlineCoversAllAttempts() {
        assertThat(policy.deadline()).isEqualTo(Duration.ofSeconds(15).plusMillis(30));
    }
}
