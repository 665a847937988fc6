package io.cairn.log.impl;

import io.cairn.log.Lease;
import io.cairn.log.LogBatch;
import io.cairn.log.LogEntry;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogCodecTest {

    @Test
    void dataCommandRoundTrips() {
        byte[] cmd = LogCodec.encodeData(7, List.of(new byte[] {1, 2}, new byte[0], "x".getBytes(StandardCharsets.UTF_8)));
        LogCodec.Header h = LogCodec.decodeHeader(ByteBuffer.wrap(cmd));
        assertThat(h.type()).isEqualTo(LogCodec.DATA);
        assertThat(h.epoch()).isEqualTo(7);
        LogEntry e = LogCodec.decodeEntry(42, ByteBuffer.wrap(cmd));
        assertThat(e.lsn()).isEqualTo(42);
        assertThat(e.kind()).isEqualTo(LogEntry.Kind.DATA);
        assertThat(e.records()).hasSize(3);
        assertThat(e.records().get(0)).containsExactly(1, 2);
        assertThat(e.byteSize()).isEqualTo(3);
    }

    @Test
    void leaseAndTruncateRoundTrip() {
        byte[] lease = LogCodec.encodeLease(3, "tn-é", new byte[] {9});
        LogCodec.Header h = LogCodec.decodeHeader(ByteBuffer.wrap(lease));
        assertThat(h.holder()).isEqualTo("tn-é");
        LogEntry e = LogCodec.decodeEntry(5, ByteBuffer.wrap(lease));
        assertThat(e.kind()).isEqualTo(LogEntry.Kind.LEASE);
        assertThat(e.holder()).isEqualTo("tn-é");
        assertThat(e.records().get(0)).containsExactly(9);

        byte[] truncate = LogCodec.encodeTruncate(99);
        assertThat(LogCodec.decodeHeader(ByteBuffer.wrap(truncate)).lsn()).isEqualTo(99);
        assertThat(LogCodec.decodeEntry(6, ByteBuffer.wrap(truncate))).isNull();
    }

    @Test
    void batchAndStatusRoundTrip() {
        LogBatch batch = new LogBatch(List.of(
                new LogEntry(3, LogEntry.Kind.DATA, -1, null, List.of(new byte[] {1})),
                new LogEntry(4, LogEntry.Kind.LEASE, 2, "h", List.of(new byte[] {2, 3}))), 7);
        ByteBuffer b = ByteBuffer.wrap(LogCodec.encodeBatch(batch));
        assertThat(b.get()).isEqualTo(LogCodec.OK);
        LogBatch back = LogCodec.decodeBatch(b);
        assertThat(back.nextLsn()).isEqualTo(7);
        assertThat(back.entries()).hasSize(2);
        assertThat(back.entries().get(1).holder()).isEqualTo("h");
        assertThat(back.entries().get(1).records().get(0)).containsExactly(2, 3);

        LogCodec.Status s = new LogCodec.Status(10, 4, new Lease(2, "h", 4));
        assertThat(LogCodec.decodeStatus(ByteBuffer.wrap(LogCodec.encodeStatus(s)))).isEqualTo(s);
        LogCodec.Status none = new LogCodec.Status(0, 0, Lease.NONE);
        assertThat(LogCodec.decodeStatus(ByteBuffer.wrap(LogCodec.encodeStatus(none)))).isEqualTo(none);
    }

    @Test
    void malformedCommandsAreRejected() {
        byte[] cmd = LogCodec.encodeData(1, List.of(new byte[10]));
        byte[] cut = Arrays.copyOf(cmd, cmd.length - 3);
        assertThatThrownBy(() -> LogCodec.decodeEntry(1, ByteBuffer.wrap(cut))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogCodec.decodeHeader(ByteBuffer.wrap(new byte[] {77}))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogCodec.decodeHeader(ByteBuffer.wrap(new byte[] {LogCodec.DATA, 1})))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
