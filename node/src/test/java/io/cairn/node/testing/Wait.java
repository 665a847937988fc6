package io.cairn.node.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a condition with a deadline: what tests do instead of a fixed sleep. The one wait helper of
 * every module's tests (node's test-jar); a fixture's own waits ({@code waitForLeader},
 * {@code waitUntilApplied}) are built on it.
 *
 * <p>The condition is checked at once, then polled with a growing pause (1 ms doubling up to 100 ms), so a
 * condition that holds soon is seen soon and one that takes seconds (a server starting) is not polled hard.
 * It runs on the waiting thread. An exception it throws ends the wait: it is not taken as "not yet".
 */
public final class Wait {
    private static final long FIRST_PAUSE_NANOS = Duration.ofMillis(1).toNanos();
    private static final long MAX_PAUSE_NANOS = Duration.ofMillis(100).toNanos();

    private Wait() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @param what what is awaited, for the failure message ("timed out after 30 s waiting for: " + what)
     * @throws AssertionError naming {@code what} when it does not hold within {@code timeout}, or the
     *                        wait is interrupted (the thread's interrupt flag is set again)
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        try {
            if (!poll(timeout, condition)) {
                throw new AssertionError("timed out after " + describe(timeout) + " waiting for: " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for: " + what, e);
        } catch (ConditionFailed e) {
            throw new AssertionError("the condition failed while waiting for: " + what + "; " + e.getCause(),
                    e.getCause());
        }
    }

    /**
     * Whether {@code condition} held within {@code timeout}: for a caller that reports a condition that did
     * not come (a finding, a violation) instead of failing.
     *
     * @throws InterruptedException when interrupted while waiting
     */
    public static boolean within(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        try {
            return poll(timeout, condition);
        } catch (ConditionFailed e) {
            throw new IllegalStateException("the condition failed: " + e.getCause(), e.getCause());
        }
    }

    /** A condition that may throw a checked exception (a JDBC call, a process run). */
    @FunctionalInterface
    public interface Check {
        boolean holds() throws Exception;
    }

    /**
     * {@code check} as a condition for {@link #until}: {@code Wait.until(what, timeout, Wait.checked(() -> …))}.
     * An exception it throws ends the wait, as the failure's cause.
     */
    public static BooleanSupplier checked(Check check) {
        return () -> {
            try {
                return check.holds();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new ConditionFailed(e);
            }
        };
    }

    private static boolean poll(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            long nanos = Math.min(pause, left);
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)); // the poll's pause, not a wait for something
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
        return true;
    }

    private static String describe(Duration timeout) {
        return timeout.toMillis() < 10_000 ? timeout.toMillis() + " ms" : timeout.toSeconds() + " s";
    }

    /** A checked exception of a {@link Check}, carried out of the {@link BooleanSupplier}. */
    private static final class ConditionFailed extends RuntimeException {
        ConditionFailed(Exception cause) {
            super(cause);
        }
    }
}
