package io.cairn.log.impl;

import io.cairn.log.LogException;
import io.cairn.log.LogUnavailableException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.StateMachineException;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Maps Ratis and JDK failures of a log call to the contract's exceptions, in one place. */
final class RatisFailures {
    private RatisFailures() {
    }

    /**
     * Waits for a call's answer, its failure mapped by {@link #toLogException}. The future is bounded by the
     * append timeout ({@code timeoutMs}) already; the extra margin only guards bugs.
     */
    static <T> T await(CompletableFuture<T> f, long timeoutMs) {
        try {
            return f.get(2 * timeoutMs + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw toLogException(e.getCause());
        } catch (TimeoutException e) {
            throw new LogUnavailableException("log call did not complete within " + (2 * timeoutMs + 1000) + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogUnavailableException("interrupted while waiting for the log", e);
        }
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Maps Ratis and JDK failures to the contract's exceptions; an {@link IllegalArgumentException} is rethrown. */
    static LogException toLogException(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof LogException le) {
            return le;
        }
        if (cause instanceof StateMachineException) {
            return new LogException("the log state machine refused the request: " + cause.getMessage(), cause);
        }
        if (cause instanceof IllegalArgumentException iae) {
            throw iae;
        }
        if (cause instanceof IOException || cause instanceof RaftException || cause instanceof TimeoutException) {
            return new LogUnavailableException("log group unavailable: " + cause, cause);
        }
        return new LogException("unexpected log failure: " + cause, cause);
    }
}
