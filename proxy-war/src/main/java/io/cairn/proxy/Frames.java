package io.cairn.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a compute node's byte stream into physical MySQL packets, each passed on as one buffer
 * holding its 4-byte header and payload, unchanged, so the proxy can relay it without copying. A
 * payload of 0xFFFFFF bytes is continued by the next packet; the reader of the frames tracks that.
 * Memory is bounded by one physical packet (16 MiB).
 */
final class Frames extends ByteToMessageDecoder {
    static final int MAX_PAYLOAD = 0xFFFFFF;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            int length = in.getUnsignedMediumLE(in.readerIndex());
            if (in.readableBytes() < 4 + length) {
                return;
            }
            out.add(in.readRetainedSlice(4 + length));
        }
    }

    static int length(ByteBuf frame) {
        return frame.getUnsignedMediumLE(frame.readerIndex());
    }

    static int seq(ByteBuf frame) {
        return frame.getUnsignedByte(frame.readerIndex() + 3);
    }

    /** The first payload byte, or -1 for an empty payload. */
    static int header(ByteBuf frame) {
        return length(frame) == 0 ? -1 : frame.getUnsignedByte(frame.readerIndex() + 4);
    }

    /** The payload as a new array. */
    static byte[] payload(ByteBuf frame) {
        byte[] bytes = new byte[length(frame)];
        frame.getBytes(frame.readerIndex() + 4, bytes);
        return bytes;
    }
}
