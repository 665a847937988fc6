package io.cairn.txn.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.txn.Key;
import io.cairn.txn.Write;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommitRecordTest {
    private final CommitRecord record = new CommitRecord("txn-ü-1", 1234567890123L, List.of(
            Write.put(Key.of(7, new byte[] {1, 2, 3}), new byte[] {9, 8}),
            Write.delete(Key.of(7, new byte[] {4})),
            Write.lock(Key.of(8, new byte[0])),
            Write.put(Key.of(9, new byte[] {5}), new byte[0])));

    @Test
    void roundTrips() {
        CommitRecord back = CommitRecord.decode(record.encode());
        assertThat(back.txnId()).isEqualTo("txn-ü-1");
        assertThat(back.commitTs()).isEqualTo(1234567890123L);
        assertThat(back.writes()).hasSize(4);
        for (int i = 0; i < 4; i++) {
            Write a = record.writes().get(i);
            Write b = back.writes().get(i);
            assertThat(b.key()).isEqualTo(a.key());
            assertThat(b.kind()).isEqualTo(a.kind());
            assertThat(b.value()).isEqualTo(a.value());
        }
        assertThat(CommitRecord.isCommitRecord(record.encode())).isTrue();
    }

    @Test
    void theSameBytesAreDecodedOnceAndEqualBytesAgain() {
        byte[] bytes = record.encode();
        CommitRecord first = CommitRecord.decodeShared(bytes);
        assertThat(CommitRecord.decodeShared(bytes)).as("the same array: the same record, rows and all")
                .isSameAs(first);
        CommitRecord copy = CommitRecord.decodeShared(bytes.clone());
        assertThat(copy).as("an equal array of another entry: decoded on its own").isNotSameAs(first);
        assertThat(copy.writes().get(0).value()).isEqualTo(first.writes().get(0).value())
                .isNotSameAs(first.writes().get(0).value());
        assertThatThrownBy(() -> CommitRecord.decodeShared(Arrays.copyOf(bytes, 5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyTruncationIsRejectedCleanly() {
        byte[] bytes = record.encode();
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> CommitRecord.decode(cut)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void hugeLengthsAreRejectedWithoutAllocating() {
        byte[] bytes = record.encode();
        bytes[bytes.length - 4] = 0x7f; // the last put (empty value) now claims ~2 GB
        assertThatThrownBy(() -> CommitRecord.decode(bytes)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leaseRoundTrips() {
        TnLease lease = new TnLease(3000, "127.0.0.1:9080");
        assertThat(TnLease.decode(lease.encode())).isEqualTo(lease);
        assertThatThrownBy(() -> TnLease.decode(new byte[] {'L', 1, 0})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLeaseThatTakesWritesIsVersionOneAndARefusalVersionTwo() {
        byte[] plain = new TnLease(3000, "127.0.0.1:9080").encode();
        assertThat(plain[1]).as("the version an older compute node reads").isEqualTo((byte) 1);
        assertThat(plain).hasSize(2 + 8 + 2 + "127.0.0.1:9080".length());

        TnLease refusing = new TnLease(3000, "127.0.0.1:9080", "a standby of s3://dr/archive");
        byte[] bytes = refusing.encode();
        assertThat(bytes[1]).isEqualTo((byte) 2);
        assertThat(TnLease.decode(bytes)).isEqualTo(refusing);
        assertThatThrownBy(() -> TnLease.decode(java.util.Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TnLease.decode(java.util.Arrays.copyOf(bytes, bytes.length + 1)))
                .isInstanceOf(IllegalArgumentException.class);

        String longReason = "é".repeat(1000); // 2,000 UTF-8 bytes: cut at a character boundary
        String kept = TnLease.decode(new TnLease(3000, "e:1", longReason).encode()).writesRefused();
        assertThat(kept).hasSize(512).isEqualTo("é".repeat(512));
    }

    @Test
    void keysOrderByTableThenUnsignedBytes() {
        assertThat(Key.of(1, new byte[] {(byte) 0xff})).isLessThan(Key.of(2, new byte[] {0}));
        assertThat(Key.of(1, new byte[] {0x7f})).isLessThan(Key.of(1, new byte[] {(byte) 0x80}));
        assertThat(Key.of(1, new byte[] {1})).isLessThan(Key.of(1, new byte[] {1, 0}));
        assertThat(Key.of(1, new byte[] {1})).isEqualTo(Key.of(1, new byte[] {1})).hasSameHashCodeAs(Key.of(1, new byte[] {1}));
    }

    @Test
    void commitRequestsAndResultsRoundTrip() {
        io.cairn.txn.CommitRequest request = new io.cairn.txn.CommitRequest("t-1", 42, record.writes());
        io.cairn.txn.CommitRequest back = CommitRpc.decodeRequest(CommitRpc.encodeRequest(request));
        assertThat(back.txnId()).isEqualTo("t-1");
        assertThat(back.snapshotTs()).isEqualTo(42);
        assertThat(back.writes()).extracting(Write::key).isEqualTo(record.writes().stream().map(Write::key).toList());
        assertThat(CommitRpc.decodeResult(CommitRpc.encodeResult(new io.cairn.txn.CommitResult(7, 9))))
                .isEqualTo(new io.cairn.txn.CommitResult(7, 9));
        byte[] bytes = CommitRpc.encodeRequest(request);
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> CommitRpc.decodeRequest(cut)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
