package io.cairn.mysql.server;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one connection's tasks one at a time, in submission order, on a shared executor. After each task it
 * hands the thread back to the shared executor (re-submitting itself when more tasks wait), so a busy
 * connection cannot starve the others. The synchronized queue gives each task a happens-before edge with
 * the previous one, so connection state needs no further locking.
 *
 * <p>If the shared executor rejects (it has been shut down), the remaining tasks run on the submitting
 * thread so that clean-up tasks are never lost.
 */
final class SerialExecutor implements Executor {
    private static final Logger LOG = Logger.getLogger(SerialExecutor.class.getName());

    private final Executor delegate;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean scheduled;

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            tasks.add(task);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        schedule();
    }

    private void schedule() {
        try {
            delegate.execute(this::runOne);
        } catch (RejectedExecutionException e) {
            LOG.log(Level.FINE, "handler executor rejected a task; running it inline", e);
            drainInline();
        }
    }

    private void runOne() {
        Runnable task;
        synchronized (this) {
            task = tasks.poll();
        }
        if (task != null) {
            runSafely(task);
        }
        synchronized (this) {
            if (tasks.isEmpty()) {
                scheduled = false;
                return;
            }
        }
        schedule();
    }

    private void drainInline() {
        while (true) {
            Runnable task;
            synchronized (this) {
                task = tasks.poll();
                if (task == null) {
                    scheduled = false;
                    return;
                }
            }
            runSafely(task);
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "connection task failed", e);
        }
    }
}
