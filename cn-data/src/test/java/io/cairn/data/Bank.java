package io.cairn.data;

import io.cairn.txn.Key;
import java.nio.ByteBuffer;

/** The bank workload's rows for the tests: account keys and balances as 8-byte values. */
final class Bank {
    static final int ACCOUNTS = 100;
    static final long INITIAL = 1_000;

    private Bank() {
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
