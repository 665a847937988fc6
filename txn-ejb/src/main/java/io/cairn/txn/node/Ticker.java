package io.cairn.txn.node;

/**
 * A monotonic time source in nanoseconds, for durations only (lease renewal and expiry, checkpoint
 * intervals, garbage grace): never compared across processes or with wall-clock time. Injected so
 * that tests can move time by hand (CONVENTIONS #7).
 */
@FunctionalInterface
public interface Ticker {
    /** {@link System#nanoTime()}. */
    Ticker SYSTEM = System::nanoTime;

    /** The current reading; only differences between readings mean anything. */
    long nanoTime();
}
