package io.cairn.txn;

import io.cairn.txn.record.CommitRpc;
import io.cairn.txn.record.LockRpc;
import io.cairn.txn.record.TnRpc;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
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
            case TnRpc.COMMIT -> commit(body);
            case TnRpc.LOCK -> lock(body);
            case TnRpc.ABANDON_WAIT -> named(body, CommitRequest.MAX_TXN_ID, TransactionService::abandonWait);
            case TnRpc.RELEASE -> named(body, CommitRequest.MAX_TXN_ID, TransactionService::release);
            case TnRpc.KEEP_ALIVE -> named(body, LockRequest.MAX_OWNER, TransactionService::keepAlive);
            default -> Answer.text(404, null, "no operation " + operation);
        };
    }

    private Answer commit(byte[] body) {
        CommitRequest request;
        try {
            request = CommitRpc.decodeRequest(body);
        } catch (IllegalArgumentException e) {
            return Answer.text(400, null, e.getMessage());
        }
        TransactionService service = service();
        if (service == null) {
            return notRunning();
        }
        try {
            return Answer.ok(CommitRpc.encodeResult(service.commit(request)));
        } catch (WriteConflictException e) {
            return Answer.text(409, TnRpc.WRITE_CONFLICT, e.getMessage());
        } catch (SnapshotTooOldException e) {
            return Answer.text(409, TnRpc.SNAPSHOT_TOO_OLD, e.getMessage());
        } catch (TransactionNodeUnavailableException e) {
            return Answer.text(503, null, e.getMessage());
        }
    }

    private Answer lock(byte[] body) {
        LockRequest request;
        try {
            request = LockRpc.decodeRequest(body);
        } catch (IllegalArgumentException e) {
            return Answer.text(400, null, e.getMessage());
        }
        TransactionService service = service();
        if (service == null) {
            return notRunning();
        }
        try {
            return Answer.ok(LockRpc.encodeResult(service.lock(request)));
        } catch (DeadlockException e) {
            return Answer.text(409, TnRpc.DEADLOCK, e.getMessage());
        } catch (TransactionNodeUnavailableException e) {
            return Answer.text(503, null, e.getMessage());
        }
    }

    /** A call whose body is one name (a transaction or an owner id) and that returns nothing. */
    private Answer named(byte[] body, int maxLength, BiConsumer<TransactionService, String> call) {
        String name;
        try {
            name = LockRpc.decodeName(body, maxLength);
        } catch (IllegalArgumentException e) {
            return Answer.text(400, null, e.getMessage());
        }
        TransactionService service = service();
        if (service == null) {
            return notRunning();
        }
        try {
            call.accept(service, name);
            return NO_CONTENT;
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

    private static Answer notRunning() {
        return Answer.text(503, null, "this server runs no transaction node");
    }
}
