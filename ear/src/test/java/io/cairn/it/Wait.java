package io.cairn.it;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits on a condition with a deadline; the tests never sleep for a fixed time. */
final class Wait {
    private Wait() {
    }

    /** Polls {@code condition} every 250 ms until it is true; fails naming {@code what} at the deadline. */
    static void until(String what, Duration timeout, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
