package io.cairn.txn;

import io.cairn.txn.record.CommitRpc;
import io.cairn.txn.record.LockRpc;
import io.cairn.txn.record.TnRpc;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The server half of the CN-to-TN calls ({@link TnRpc}): decodes a request body, calls this server's TN and
 * says what to answer. Plain Java, so that the HTTP adapter in the web module only moves bytes and statuses.
 * Thread-safe; asks {@code tn} for the TN only until it has one (a started TN stays the same object).
 */
public final class TransactionNodeEndpoint {
    /**
     * What to answer: an HTTP status, the 409 refusal's kind ({@link TnRpc#ERROR_HEADER}) or null, and the
     * body, which is the encoded result for 200 and a UTF-8 message otherwise (empty for 204).
     */
    public record Answer(int status, String errorKind, byte[] body) {
        static Answer ok(byte[] result) {
            return new Answer(200, null, result);
        }

        static Answer text(int status, String kind, String message) {
            return new Answer(status, kind, String.valueOf(message).getBytes(StandardCharsets.UTF_8));
        }

        /** Whether the body is a message rather than a result. */
        public boolean isText() {
            return status != 200 && status != 204;
        }
    }

    private static final Answer NO_CONTENT = new Answer(204, null, new byte[0]);

    private final Supplier<TransactionService> tn;
    private volatile TransactionService started;

    /** @param tn this server's TN, or null while it runs none or has not started */
    public TransactionNodeEndpoint(Supplier<TransactionService> tn) {
        this.tn = tn;
    }

    /** Answers one call; an unknown operation is a 404. */
    public Answer call(String operation, byte[] body) {
        return switch (operation) {
            case TnRpc.COMMIT -> serve(body, CommitRpc::decodeRequest,
                    (tn, request) -> Answer.ok(CommitRpc.encodeResult(tn.commit(request))));
            case TnRpc.LOCK -> serve(body, LockRpc::decodeRequest,
                    (tn, request) -> Answer.ok(LockRpc.encodeResult(tn.lock(request))));
            case TnRpc.ABANDON_WAIT -> named(body, CommitRequest.MAX_TXN_ID, TransactionService::abandonWait);
            case TnRpc.RELEASE -> named(body, CommitRequest.MAX_TXN_ID, TransactionService::release);
            case TnRpc.KEEP_ALIVE -> named(body, LockRequest.MAX_OWNER, TransactionService::keepAlive);
            default -> Answer.text(404, null, "no operation " + operation);
        };
    }

    /** A call whose body is one name (a transaction or an owner id) and that returns nothing. */
    private Answer named(byte[] body, int maxLength, BiConsumer<TransactionService, String> call) {
        return serve(body, b -> LockRpc.decodeName(b, maxLength), (tn, name) -> {
            call.accept(tn, name);
            return NO_CONTENT;
        });
    }

    /** Decodes the body (400 if malformed), calls the TN (503 without one) and maps its refusals to 409, 429 and 503. */
    private <T> Answer serve(byte[] body, Function<byte[], T> decode, BiFunction<TransactionService, T, Answer> call) {
        T request;
        try {
            request = decode.apply(body);
        } catch (IllegalArgumentException e) {
            return Answer.text(400, null, e.getMessage());
        }
        TransactionService tn = service();
        if (tn == null) {
            return Answer.text(503, null, "this server runs no transaction node");
        }
        try {
            return call.apply(tn, request);
        } catch (WriteConflictException e) {
            return Answer.text(409, TnRpc.WRITE_CONFLICT, e.getMessage());
        } catch (SnapshotTooOldException e) {
            return Answer.text(409, TnRpc.SNAPSHOT_TOO_OLD, e.getMessage());
        } catch (DeadlockException e) {
            return Answer.text(409, TnRpc.DEADLOCK, e.getMessage());
        } catch (ReadOnlyClusterException e) {
            return Answer.text(409, TnRpc.READ_ONLY, e.getMessage());
        } catch (TransactionNodeBusyException e) {
            return Answer.text(429, null, e.getMessage());
        } catch (TransactionNodeUnavailableException e) {
            return Answer.text(503, null, e.getMessage());
        }
    }

    private TransactionService service() {
        TransactionService s = started;
        if (s == null) {
            s = started = tn.get();
        }
        return s;
    }
}
