package io.cairn.it.guard;

import io.cairn.compute.GuardedCommitCalls;
import io.cairn.txn.CommitRequest;
import io.cairn.txn.CommitResult;
import io.cairn.txn.LockRequest;
import io.cairn.txn.LockResult;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.TransactionService;
import io.cairn.txn.WriteConflictException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test application around compute-ejb's {@link GuardedCommitCalls}, deployed on its own by CommitGuardIT:
 * each call commits once through the guard against a scripted transaction node and answers
 * {@code outcome attempts milliseconds}, where attempts counts the calls that reached the TN.
 */
@Path("commit")
@ApplicationScoped
public class GuardProbe {
    @ApplicationPath("/")
    public static class App extends Application {
    }

    @Inject
    GuardedCommitCalls guard;

    /** A TN whose n-th commit call (from 1) does what {@link #script} says. */
    private static final class ScriptedTn implements TransactionService {
        final AtomicInteger calls = new AtomicInteger();
        private final String script;

        ScriptedTn(String script) {
            this.script = script;
        }

        @Override
        public CommitResult commit(CommitRequest request) {
            int n = calls.incrementAndGet();
            switch (script) {
                case "unavailable-twice" -> {
                    if (n <= 2) {
                        throw new TransactionNodeUnavailableException("scripted: no answer " + n, null);
                    }
                }
                case "conflict" -> throw new WriteConflictException("scripted: a row changed");
                case "slow-once" -> {
                    if (n == 1) {
                        sleep(5_000);
                    }
                }
                case "down" -> throw new TransactionNodeUnavailableException("scripted: down", null);
                case "healthy" -> {
                }
                default -> throw new IllegalArgumentException(script);
            }
            return new CommitResult(100 + n, 10 + n);
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis); // the scripted TN is slow on purpose: what the guard's timeout is tested on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransactionNodeUnavailableException("scripted: interrupted", e);
            }
        }

        @Override
        public LockResult lock(LockRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void abandonWait(String txnId) {
        }

        @Override
        public void release(String txnId) {
        }

        @Override
        public void keepAlive(String owner) {
        }
    }

    @POST
    @Path("{script}")
    @Produces(MediaType.TEXT_PLAIN)
    public String commit(@PathParam("script") String script) {
        ScriptedTn tn = new ScriptedTn(script);
        long start = System.nanoTime();
        String outcome;
        try {
            CommitResult result = guard.commit(() -> tn, new CommitRequest("guard-" + script, 1, List.of()));
            outcome = "committed@" + result.commitTs();
        } catch (RuntimeException e) {
            outcome = e.getClass().getSimpleName() + ":" + e.getMessage().replace(' ', '_');
        }
        return outcome + " " + tn.calls.get() + " " + (System.nanoTime() - start) / 1_000_000;
    }
}
