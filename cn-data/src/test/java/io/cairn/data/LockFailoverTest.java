package io.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.node.testing.Wait;
import io.cairn.txn.Key;
import io.cairn.txn.WriteConflictException;
import io.cairn.txn.node.TransactionNode;
import io.cairn.txn.testing.InMemoryLog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Row locks live in the active TN's memory and go with it. The commit check's read timestamps are
 * what keeps a write safe then: a transaction that locked a row under the old TN and a second one
 * that locked it afresh under the new TN cannot both commit it.
 */
class LockFailoverTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final InMemoryLog log = new InMemoryLog();
    private final List<TransactionNode> tns = new CopyOnWriteArrayList<>();
    private DataNode cn;

    @AfterEach
    void stop() {
        if (cn != null) {
            cn.close();
        }
        tns.forEach(TransactionNode::close);
    }

    private TransactionNode active() {
        return tns.stream().filter(t -> t.state() == TransactionNode.State.ACTIVE).findFirst().orElse(tns.get(0));
    }

    private static void awaitActive(TransactionNode tn) {
        Wait.until(tn + " active", Duration.ofSeconds(10), () -> tn.state() == TransactionNode.State.ACTIVE);
    }

    @Test
    void aWriteWhoseLockWasLostWithItsTnIsRefusedAtCommitInsteadOfOverwriting() throws Exception {
        for (String id : List.of("tn-a", "tn-b")) {
            TransactionNode tn = new TransactionNode(log, Clock.systemUTC(), new TransactionNode.Settings(id, id,
                    Duration.ofMillis(600), Duration.ofSeconds(60), Duration.ofSeconds(2)));
            tn.start();
            tns.add(tn);
            if (tns.size() == 1) {
                awaitActive(tn); // tn-a leads first
            }
        }
        cn = new DataNode(log, this::active, new DataNode.Settings("cn", Duration.ofSeconds(5), Duration.ofSeconds(5)));
        cn.start();
        Key k = Key.of(3, "k".getBytes(StandardCharsets.UTF_8));
        Transaction seed = cn.begin(Isolation.REPEATABLE_READ);
        seed.put(k, "0".getBytes(StandardCharsets.UTF_8));
        seed.commit();

        Transaction first = cn.begin(Isolation.REPEATABLE_READ);
        first.beginStatement(true, true);
        first.put(k, "first".getBytes(StandardCharsets.UTF_8));
        assertThat(first.endStatement(WAIT, () -> false)).isTrue();
        assertThat(tns.get(0).heldLocks()).as("locked at tn-a").isEqualTo(1);

        TransactionNode old = tns.remove(0);
        old.close();
        awaitActive(tns.get(0));

        Transaction second = cn.begin(Isolation.REPEATABLE_READ);
        second.beginStatement(true, true);
        second.put(k, "second".getBytes(StandardCharsets.UTF_8));
        assertThat(second.endStatement(WAIT, () -> false)).as("tn-b has no record of the first lock").isTrue();
        second.commit();

        assertThatThrownBy(first::commit).isInstanceOf(WriteConflictException.class);
        assertThat(new String(cn.begin(Isolation.REPEATABLE_READ).get(k), StandardCharsets.UTF_8)).isEqualTo("second");
    }
}
