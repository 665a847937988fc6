package io.cairn.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.node.testing.Wait;
import io.cairn.txn.node.TransactionNode;
import io.cairn.txn.record.CommitRpc;
import io.cairn.txn.record.LockRpc;
import io.cairn.txn.record.TnRpc;
import io.cairn.txn.testing.InMemoryLog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The TN's RPC endpoint over a real {@link TransactionNode} on an in-memory log: what each outcome answers. */
class TransactionNodeEndpointTest {
    private final InMemoryLog log = new InMemoryLog();
    private final AtomicReference<TransactionService> running = new AtomicReference<>();
    private final TransactionNodeEndpoint endpoint = new TransactionNodeEndpoint(running::get);
    private TransactionNode tn;

    @AfterEach
    void stop() {
        if (tn != null) {
            tn.close();
        }
    }

    private void startTn() {
        tn = new TransactionNode(log, Clock.systemUTC(), new TransactionNode.Settings("tn1", "tn1:9080",
                Duration.ofSeconds(3), Duration.ofSeconds(60), Duration.ofSeconds(2)));
        tn.start();
        Wait.until("the TN takes its lease", Duration.ofSeconds(10), () -> tn.state() == TransactionNode.State.ACTIVE);
        running.set(tn);
    }

    private static byte[] commitOf(String txnId, long snapshotTs, Key key) {
        return CommitRpc.encodeRequest(new CommitRequest(txnId, snapshotTs, List.of(Write.put(key, new byte[] {1}))));
    }

    private static String text(TransactionNodeEndpoint.Answer answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }

    @Test
    void beforeItsTnStartsEveryCallIsUnavailableThenServed() throws Exception {
        TransactionNodeEndpoint.Answer early = endpoint.call(TnRpc.RELEASE, LockRpc.encodeName("t1"));
        assertThat(early.status()).isEqualTo(503);
        assertThat(text(early)).contains("no transaction node");

        startTn();
        assertThat(endpoint.call(TnRpc.RELEASE, LockRpc.encodeName("t1")).status()).isEqualTo(204);
    }

    @Test
    void aCommitAnswersItsTimestampAndAConflictingOneIsRefusedByKind() throws Exception {
        startTn();
        Key key = Key.of(7, new byte[] {1, 2, 3});
        TransactionNodeEndpoint.Answer first = endpoint.call(TnRpc.COMMIT, commitOf("t1", tn.lastCommitTs(), key));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.isText()).isFalse();
        CommitResult committed = CommitRpc.decodeResult(first.body());
        assertThat(committed.commitTs()).isEqualTo(tn.lastCommitTs());

        // the same key written from a snapshot older than that commit
        TransactionNodeEndpoint.Answer stale = endpoint.call(TnRpc.COMMIT, commitOf("t2", committed.commitTs() - 1, key));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.errorKind()).isEqualTo(TnRpc.WRITE_CONFLICT);
        assertThat(stale.isText()).isTrue();
    }

    @Test
    void aLockCallIsGrantedAndReleased() throws Exception {
        startTn();
        Key key = Key.of(7, new byte[] {9});
        LockRequest request = new LockRequest("t1", "cn1", tn.lastCommitTs(), List.of(key), List.of(), 0);
        TransactionNodeEndpoint.Answer answer = endpoint.call(TnRpc.LOCK, LockRpc.encodeRequest(request));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(LockRpc.decodeResult(answer.body()).granted()).isTrue();
        assertThat(tn.heldLocks()).isEqualTo(1);

        assertThat(endpoint.call(TnRpc.RELEASE, LockRpc.encodeName("t1")).status()).isEqualTo(204);
        assertThat(tn.heldLocks()).isZero();
    }

    @Test
    void malformedBodiesAndUnknownOperationsAreRefusedWithoutReachingTheTn() throws Exception {
        startTn();
        long before = tn.lastCommitTs();
        assertThat(endpoint.call(TnRpc.COMMIT, new byte[] {'Q', 2, 0}).status()).isEqualTo(400);
        assertThat(endpoint.call(TnRpc.LOCK, new byte[0]).status()).isEqualTo(400);
        assertThat(endpoint.call(TnRpc.KEEP_ALIVE, "x".repeat(LockRequest.MAX_OWNER + 1)
                .getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
        assertThat(endpoint.call("drop-everything", new byte[0]).status()).isEqualTo(404);
        assertThat(tn.lastCommitTs()).as("nothing committed").isEqualTo(before);
    }

    @Test
    void aTnRefusingWritesAnswersReadOnlyWithItsReasonAndCommitsNothing() throws Exception {
        startTn();
        tn.refuseWrites("a standby of another cluster");
        long before = tn.lastCommitTs();
        TransactionNodeEndpoint.Answer refused = endpoint.call(TnRpc.COMMIT,
                commitOf("t1", before, Key.of(7, new byte[] {4})));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorKind()).isEqualTo(TnRpc.READ_ONLY);
        assertThat(text(refused)).isEqualTo("a standby of another cluster");
        assertThat(tn.lastCommitTs()).isEqualTo(before);

        tn.refuseWrites(null);
        assertThat(endpoint.call(TnRpc.COMMIT, commitOf("t2", before, Key.of(7, new byte[] {4}))).status())
                .isEqualTo(200);
    }

    @Test
    void aCommitHeldBackForTheMemoryBudgetIsAnswered429WithTheReason() throws Exception {
        running.set((TransactionService) java.lang.reflect.Proxy.newProxyInstance(
                TransactionService.class.getClassLoader(), new Class<?>[] {TransactionService.class},
                (proxy, method, args) -> {
                    throw new TransactionNodeBusyException("changes wait for a checkpoint (test)");
                }));
        TransactionNodeEndpoint.Answer busy = endpoint.call(TnRpc.COMMIT, commitOf("t1", 1, Key.of(7, new byte[] {4})));
        assertThat(busy.status()).isEqualTo(429);
        assertThat(text(busy)).isEqualTo("changes wait for a checkpoint (test)");
    }
}
