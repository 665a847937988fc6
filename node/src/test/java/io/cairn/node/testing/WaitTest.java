package io.cairn.node.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaitTest {
    @Test
    void returnsOnceTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();
        Wait.until("the third poll", Duration.ofSeconds(10), () -> polls.incrementAndGet() == 3);
        assertThat(polls).hasValue(3);
    }

    @Test
    void aConditionThatNeverHoldsFailsNamingWhatWasAwaited() {
        assertThatThrownBy(() -> Wait.until("the moon to turn blue", Duration.ofMillis(50), () -> false))
                .isInstanceOf(AssertionError.class)
                .hasMessage("timed out after 50 ms waiting for: the moon to turn blue");
    }

    @Test
    void withinTellsWhetherTheConditionHeld() throws InterruptedException {
        assertThat(Wait.within(Duration.ofMillis(20), () -> false)).isFalse();
        assertThat(Wait.within(Duration.ZERO, () -> true)).isTrue();
    }

    @Test
    void anExceptionOfACheckedConditionEndsTheWaitAsItsCause() {
        IOException broken = new IOException("broken pipe");
        assertThatThrownBy(() -> Wait.until("a reply", Duration.ofSeconds(10), Wait.checked(() -> {
            throw broken;
        }))).isInstanceOf(AssertionError.class).hasMessageContaining("waiting for: a reply").hasCause(broken);
    }

    @Test
    void anInterruptedWaitFailsAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Wait.until("nothing", Duration.ofSeconds(10), () -> false))
                    .isInstanceOf(AssertionError.class).hasMessage("interrupted while waiting for: nothing");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
