package io.cairn.txn.testing;

import io.cairn.log.LogBatch;
import io.cairn.log.LogService;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the ticks of one transaction node's driver, for a test to wait on ticks instead of sleeping
 * ({@code Wait.until(…, () -> ticks.count() >= before + 3)}): give the node {@link #view()} as its log. The
 * driver follows the log on every tick until a read finds nothing new, so each tick makes exactly one such
 * read, and only at its start: once the count has grown by n, at least n - 1 whole ticks have run.
 */
public final class DriverTicks {
    private final AtomicLong reads = new AtomicLong();
    private final LogService view;

    /** @param log what the node reads through the view */
    public DriverTicks(LogService log) {
        this.view = (LogService) Proxy.newProxyInstance(LogService.class.getClassLoader(),
                new Class<?>[] {LogService.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(log, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("read") && ((LogBatch) result).nextLsn() <= (long) args[0]) {
                        reads.incrementAndGet();
                    }
                    return result;
                });
    }

    /** The log as the node should read it. */
    public LogService view() {
        return view;
    }

    /** The reads so far that found nothing new: one per tick of the node's driver. */
    public long count() {
        return reads.get();
    }
}
