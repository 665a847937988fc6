package io.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.txn.TransactionException;
import io.cairn.txn.node.TransactionNode;
import io.cairn.txn.testing.InMemoryLog;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Bank transfers from 16 clients over two compute nodes sharing one log and one TN: no snapshot
 * ever sees money created or lost, every acknowledged transfer is in the final balances, and
 * conflicting transfers fail with a retryable error. Also: two increments of one row from two
 * CNs never lose one.
 */
class BankTest {
    private static final long TABLE = 1;

    /** One in-memory log, one TN and two CNs over it. */
    private static final class TwoNodes implements AutoCloseable {
        final InMemoryLog log = new InMemoryLog();
        final TransactionNode tn = new TransactionNode(log, Clock.systemUTC(), new TransactionNode.Settings("tn",
                "local", Duration.ofMillis(600), Duration.ofSeconds(60), Duration.ofSeconds(5)));
        final DataNode cn1 = new DataNode(log, () -> tn, new DataNode.Settings("cn1", Duration.ofSeconds(5), Duration.ofSeconds(5)));
        final DataNode cn2 = new DataNode(log, () -> tn, new DataNode.Settings("cn2", Duration.ofSeconds(5), Duration.ofSeconds(5)));

        TwoNodes() {
            tn.start();
            cn1.start();
            cn2.start();
        }

        @Override
        public void close() {
            cn2.close();
            cn1.close();
            tn.close();
        }
    }
    private static final int ACCOUNTS = Bank.ACCOUNTS;
    private static final long INITIAL = Bank.INITIAL;

    @Test
    void totalIsConstantAndAcknowledgedTransfersAllCount() throws Exception {
        try (TwoNodes rig = new TwoNodes()) {
            DataNode cn1 = rig.cn1;
            DataNode cn2 = rig.cn2;
            AtomicLongArray expected = Bank.open(cn1, TABLE);
            AtomicLong acknowledged = new AtomicLong();
            AtomicLong conflicts = new AtomicLong();
            AtomicLong badTotals = new AtomicLong();
            ExecutorService clients = Executors.newFixedThreadPool(16);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                DataNode cn = c % 2 == 0 ? cn1 : cn2;
                Random random = new Random(c);
                boolean auditor = c == 0;
                done.add(clients.submit(() -> {
                    for (int n = 0; n < 150; n++) {
                        if (auditor && n % 5 == 0) {
                            if (total(cn.begin(Isolation.REPEATABLE_READ)) != ACCOUNTS * INITIAL) {
                                badTotals.incrementAndGet();
                            }
                        }
                        int from = random.nextInt(ACCOUNTS);
                        int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                        long sum = 1 + random.nextInt(50);
                        Transaction t = cn.begin(Isolation.REPEATABLE_READ);
                        t.put(Bank.account(TABLE, from), Bank.amount(Bank.amount(t.get(Bank.account(TABLE, from))) - sum));
                        t.put(Bank.account(TABLE, to), Bank.amount(Bank.amount(t.get(Bank.account(TABLE, to))) + sum));
                        try {
                            t.commit();
                            expected.addAndGet(from, -sum);
                            expected.addAndGet(to, sum);
                            acknowledged.incrementAndGet();
                        } catch (TransactionException e) {
                            assertThat(e.retryable()).isTrue();
                            conflicts.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            clients.shutdown();

            assertThat(badTotals.get()).isZero();
            assertThat(acknowledged.get()).isPositive();
            for (DataNode cn : List.of(cn1, cn2)) {
                assertThat(total(cn.begin(Isolation.REPEATABLE_READ))).isEqualTo(ACCOUNTS * INITIAL);
                Transaction check = cn.begin(Isolation.REPEATABLE_READ);
                for (int i = 0; i < ACCOUNTS; i++) {
                    assertThat(Bank.amount(check.get(Bank.account(TABLE, i)))).as("account %d", i).isEqualTo(expected.get(i));
                }
            }
            System.out.printf("bank: %d acknowledged, %d conflicts%n", acknowledged.get(), conflicts.get());
        }
    }

    @Test
    void twoIncrementsFromTwoNodesNeverLoseOne() throws Exception {
        try (TwoNodes rig = new TwoNodes()) {
            DataNode cn1 = rig.cn1;
            DataNode cn2 = rig.cn2;
            Transaction seed = cn1.begin(Isolation.REPEATABLE_READ);
            seed.put(Bank.account(TABLE, 0), Bank.amount(0));
            seed.commit();
            for (int round = 0; round < 20; round++) {
                Transaction a = cn1.begin(Isolation.REPEATABLE_READ);
                Transaction b = cn2.begin(Isolation.REPEATABLE_READ);
                a.put(Bank.account(TABLE, 0), Bank.amount(Bank.amount(a.get(Bank.account(TABLE, 0))) + 1));
                b.put(Bank.account(TABLE, 0), Bank.amount(Bank.amount(b.get(Bank.account(TABLE, 0))) + 1));
                int committed = 0;
                for (Transaction t : List.of(a, b)) {
                    try {
                        t.commit();
                        committed++;
                    } catch (TransactionException e) {
                        assertThat(e.retryable()).isTrue();
                    }
                }
                assertThat(committed).as("round %d: exactly one of two concurrent increments commits", round).isEqualTo(1);
                assertThat(Bank.amount(cn2.begin(Isolation.REPEATABLE_READ).get(Bank.account(TABLE, 0)))).isEqualTo(round + 1L);
                assertThat(Bank.amount(cn1.begin(Isolation.REPEATABLE_READ).get(Bank.account(TABLE, 0)))).isEqualTo(round + 1L);
            }
        }
    }

    private static long total(Transaction t) {
        long sum = 0;
        Iterator<Map.Entry<byte[], byte[]>> rows = t.scan(TABLE, null, null);
        int count = 0;
        while (rows.hasNext()) {
            sum += Bank.amount(rows.next().getValue());
            count++;
        }
        t.rollback();
        return count == ACCOUNTS ? sum : -count;
    }
}
