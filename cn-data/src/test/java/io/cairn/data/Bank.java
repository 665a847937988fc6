package io.cairn.data;

import io.cairn.txn.Key;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLongArray;

/** The bank workload's rows for the tests: account keys and balances as 8-byte values. */
final class Bank {
    static final int ACCOUNTS = 100;
    static final long INITIAL = 1_000;

    private Bank() {
    }

    /** Opens every account with {@link #INITIAL} in one transaction; returns the balances expected from now on. */
    static AtomicLongArray open(DataNode cn, long table) {
        Transaction seed = cn.begin(Isolation.REPEATABLE_READ);
        for (int i = 0; i < ACCOUNTS; i++) {
            seed.put(account(table, i), amount(INITIAL));
        }
        seed.commit();
        AtomicLongArray expected = new AtomicLongArray(ACCOUNTS);
        for (int i = 0; i < ACCOUNTS; i++) {
            expected.set(i, INITIAL);
        }
        return expected;
    }

    static Key account(long table, int i) {
        return Key.of(table, ByteBuffer.allocate(4).putInt(i).array());
    }

    static byte[] amount(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    static long amount(byte[] v) {
        return ByteBuffer.wrap(v).getLong();
    }
}
