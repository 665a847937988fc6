package io.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.txn.CommitRequest;
import io.cairn.txn.Key;
import io.cairn.txn.Write;
import io.cairn.txn.node.TransactionNode;
import io.cairn.txn.record.CommitRecord;
import io.cairn.txn.record.CommitRpc;
import io.cairn.txn.testing.InMemoryLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The write set limit: a statement past it is refused and undone, the transaction goes on. */
class WriteSetLimitTest {
    /** Room for ten writes of a 4-byte key and a 100-byte value. */
    private static final long LIMIT = 10 * CommitRecord.writeBytes(Write.put(Key.of(10, new byte[4]), new byte[100]));

    private final InMemoryLog log = new InMemoryLog();
    private TransactionNode tn;
    private DataNode cn;

    @BeforeEach
    void start() {
        tn = ActiveTn.on(log);
        cn = new DataNode(log, () -> tn, new DataNode.Settings("cn", Duration.ofSeconds(5), Duration.ofSeconds(5), LIMIT));
        cn.start();
    }

    @AfterEach
    void stop() {
        cn.close();
        tn.close();
    }

    private static Key key(int i) {
        return Key.of(10, String.format("k%03d", i).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] value(int i) {
        byte[] v = new byte[100];
        v[0] = (byte) i;
        return v;
    }

    @Test
    void aStatementOverTheLimitIsUndoneAndTheTransactionCommitsWhatItHad() {
        Transaction t = cn.begin(Isolation.REPEATABLE_READ);
        t.beginStatement(true, false);
        for (int i = 0; i < 4; i++) {
            t.put(key(i), value(i));
        }
        assertThat(t.endStatement(Duration.ofSeconds(5), () -> false)).isTrue();
        long before = t.writeSetBytes();

        t.beginStatement(true, false);
        t.put(key(0), value(99)); // replaces a row of the first statement: undone with the statement
        assertThatThrownBy(() -> {
            for (int i = 4; i < 20; i++) {
                t.put(key(i), value(i));
            }
        }).isInstanceOf(TransactionTooLargeException.class)
                .satisfies(e -> assertThat(((TransactionTooLargeException) e).limit()).isEqualTo(LIMIT));
        t.abortStatement();
        assertThat(t.writeSetBytes()).isEqualTo(before);
        assertThat(t.get(key(0))).isEqualTo(value(0));
        assertThat(t.get(key(4))).isNull();

        t.beginStatement(true, false); // the transaction goes on: a statement within the limit works
        t.put(key(4), value(4));
        assertThat(t.endStatement(Duration.ofSeconds(5), () -> false)).isTrue();
        t.commit();

        Transaction r = cn.begin(Isolation.REPEATABLE_READ);
        for (int i = 0; i < 5; i++) {
            assertThat(r.get(key(i))).as("row %d", i).isEqualTo(value(i));
        }
        assertThat(r.get(key(5))).isNull();
        r.rollback();
    }

    @Test
    void theLimitCountsWhatTheWriteSetHoldsNotHowOftenAKeyWasWritten() {
        Transaction t = cn.begin(Isolation.REPEATABLE_READ);
        for (int round = 0; round < 50; round++) {
            t.put(key(1), value(round)); // rewriting one key keeps one write
        }
        t.delete(key(2));
        t.lockForUpdate(key(3));
        assertThat(t.writeSetBytes()).isEqualTo(CommitRecord.writeBytes(Write.put(key(1), value(0)))
                + CommitRecord.writeBytes(Write.delete(key(2))) + CommitRecord.writeBytes(Write.lock(key(3))));
        t.commit();
        assertThat(cn.begin(Isolation.REPEATABLE_READ).get(key(1))).isEqualTo(value(49));
    }

    @Test
    void aWriteOutsideAStatementIsRefusedAlone() {
        Transaction t = cn.begin(Isolation.REPEATABLE_READ);
        int written = 0;
        try {
            while (true) {
                t.put(key(written), value(written));
                written++;
            }
        } catch (TransactionTooLargeException e) {
            assertThat(written).isEqualTo(10);
        }
        assertThat(t.get(key(10))).isNull();
        t.commit();
        assertThat(cn.begin(Isolation.REPEATABLE_READ).get(key(9))).isEqualTo(value(9));
    }

    @Test
    void theLimitMustFitOneLogEntry() {
        assertThatThrownBy(() -> new DataNode.Settings("cn", Duration.ofSeconds(1), Duration.ofSeconds(1),
                DataNode.MAX_WRITE_SET_BYTES + 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one log entry");
    }

    @Test
    void aWriteSetAtTheLargestLimitCommitsInOneLogEntry() {
        try (DataNode large = new DataNode(log, () -> tn, new DataNode.Settings("large", Duration.ofSeconds(5),
                Duration.ofSeconds(5)))) {
            large.start();
            Transaction t = large.begin(Isolation.REPEATABLE_READ);
            int chunk = 64 << 10;
            int i = 0;
            try {
                while (true) {
                    t.put(key(i), new byte[chunk]);
                    i++;
                }
            } catch (TransactionTooLargeException e) {
                assertThat(e.limit()).isEqualTo(DataNode.MAX_WRITE_SET_BYTES);
            }
            long left = DataNode.MAX_WRITE_SET_BYTES - t.writeSetBytes();
            int last = (int) (left - CommitRecord.writeBytes(Write.put(key(i), new byte[0])));
            t.put(key(i), new byte[last]); // exactly at the limit
            assertThat(t.writeSetBytes()).isEqualTo(DataNode.MAX_WRITE_SET_BYTES);
            t.commit(); // the in-memory log refuses appends the Raft log would refuse
            assertThat(large.begin(Isolation.REPEATABLE_READ).get(key(i))).hasSize(last);
        }
    }

    @Test
    void theLargestWriteSetFitsTheCommitCallToARemoteTransactionNode() {
        // the worst ratio of call bytes to write set bytes: the smallest writes, each with its read ts
        Write smallest = Write.lock(Key.of(0, new byte[0]));
        int n = (int) (DataNode.MAX_WRITE_SET_BYTES / CommitRecord.writeBytes(smallest));
        List<Write> writes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            writes.add(Write.lock(Key.of(i, new byte[0])));
        }
        byte[] call = CommitRpc.encodeRequest(new CommitRequest("t".repeat(64), 1, writes));
        assertThat(call.length).isLessThanOrEqualTo(CommitRpc.MAX_REQUEST_BYTES);
    }
}
