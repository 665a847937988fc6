package io.cairn.mysql.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PacketDecoderTest {

    private static ByteBuf frame(int length, int seq, byte fill) {
        ByteBuf b = Unpooled.buffer(4 + length);
        b.writeMediumLE(length).writeByte(seq);
        for (int i = 0; i < length; i++) {
            b.writeByte(fill);
        }
        return b;
    }

    @Test
    void reassemblesPacketsSplitAt16MiB() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(64L * 1024 * 1024));
        ch.writeInbound(frame(PacketDecoder.MAX_PHYSICAL, 0, (byte) 'a'));
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeInbound(frame(5, 1, (byte) 'b'));
        Packet p = ch.readInbound();
        assertThat(p.firstSeq()).isZero();
        assertThat(p.lastSeq()).isEqualTo(1);
        assertThat(p.payload()).hasSize(PacketDecoder.MAX_PHYSICAL + 5);
        assertThat(p.payload()[PacketDecoder.MAX_PHYSICAL]).isEqualTo((byte) 'b');
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void byteByByteDeliveryYieldsTheSamePackets() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(1024));
        ByteBuf two = Unpooled.wrappedBuffer(frame(3, 0, (byte) 1), frame(0, 1, (byte) 0));
        while (two.isReadable()) {
            ch.writeInbound(two.readRetainedSlice(1));
        }
        two.release();
        Packet a = ch.readInbound();
        Packet b = ch.readInbound();
        assertThat(a.payload()).containsExactly(1, 1, 1);
        assertThat(b.payload()).isEmpty();
        assertThat(b.firstSeq()).isEqualTo(1);
    }

    @Test
    void oversizedPacketIsReportedFromItsHeaderAndDiscarded() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(1024));
        ByteBuf header = Unpooled.buffer(4).writeMediumLE(5000).writeByte(0);
        ch.writeInbound(header);
        assertThat((Object) ch.readInbound()).isEqualTo(new DecoderEvent.TooLarge(0));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[4000]));
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[1000]));
        assertThat((Object) ch.readInbound()).isEqualTo(new DecoderEvent.DiscardDone());
        ch.writeInbound(frame(3, 0, (byte) 1)); // ignored from now on
        assertThat((Object) ch.readInbound()).isNull();
        ch.finish();
    }

    @Test
    void splitPacketWithWrongContinuationSequenceIsReported() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(64L * 1024 * 1024));
        ch.writeInbound(frame(PacketDecoder.MAX_PHYSICAL, 0, (byte) 0));
        ch.writeInbound(frame(1, 7, (byte) 0));
        assertThat((Object) ch.readInbound()).isEqualTo(new DecoderEvent.OutOfOrder(7));
        ch.finish();
    }
}
