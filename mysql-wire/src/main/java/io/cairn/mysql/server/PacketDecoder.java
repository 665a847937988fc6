package io.cairn.mysql.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Splits the byte stream into MySQL packets (3-byte little-endian length + 1-byte sequence id) and
 * reassembles payloads split at 0xFFFFFF bytes into one {@link Packet}.
 *
 * <p>Limits: a packet whose (reassembled) payload would exceed the limit is never buffered: the decoder
 * emits {@link DecoderEvent.TooLarge} as soon as the header shows it, drops the packet's bytes as they
 * arrive, emits {@link DecoderEvent.DiscardDone} at its end and then ignores all further input (the
 * connection is about to be closed). A physical packet is buffered only up to its declared length, which
 * is checked against the limit first, so memory per connection is bounded by the limit plus one physical
 * packet. The limit is {@code handshakeLimit} until {@link #authenticated()} raises it to
 * {@code maxAllowedPacket}: an unauthenticated client cannot make the server hold megabytes.
 *
 * <p>Stalls: when an {@link IdleStateEvent} of {@link IdleState#READER_IDLE} arrives (an
 * {@link io.netty.handler.timeout.IdleStateHandler} in front of this decoder) while a packet is partly read
 * (or an oversized one is being dropped), the client stopped in the middle of a packet: the connection is
 * closed (MySQL's net_read_timeout). Between packets a connection may be idle for any time.
 *
 * <p>Runs on the channel's event loop; not shareable.
 */
public final class PacketDecoder extends ByteToMessageDecoder {
    public static final int MAX_PHYSICAL = 0xFFFFFF;
    private static final Logger LOG = Logger.getLogger(PacketDecoder.class.getName());

    private final long maxAllowedPacket;
    private long limit;
    private final List<byte[]> parts = new ArrayList<>();
    private long partsTotal;
    private int firstSeq = -1;
    private int lastSeq;

    private boolean discarding;
    private long discardRemaining;
    private boolean discardContinues;
    private boolean finished;

    /** A decoder with one limit for the whole connection. */
    public PacketDecoder(long maxAllowedPacket) {
        this(maxAllowedPacket, maxAllowedPacket);
    }

    /** A decoder that takes packets up to {@code handshakeLimit} until {@link #authenticated()}. */
    public PacketDecoder(long maxAllowedPacket, long handshakeLimit) {
        if (maxAllowedPacket < 1024) {
            throw new IllegalArgumentException("maxAllowedPacket must be at least 1024: " + maxAllowedPacket);
        }
        this.maxAllowedPacket = maxAllowedPacket;
        this.limit = Math.min(handshakeLimit, maxAllowedPacket);
    }

    /** The client is logged in: packets up to max_allowed_packet from now on. Event loop only. */
    public void authenticated() {
        limit = maxAllowedPacket;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            if (!finished && insidePacket()) {
                LOG.log(Level.FINE, "{0}: no byte for the rest of a packet within the read timeout; closing",
                        ctx.channel().remoteAddress());
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    /** Whether part of a packet was read and the rest has not come (or an oversized one is being dropped). */
    private boolean insidePacket() {
        return internalBuffer().isReadable() || !parts.isEmpty() || discarding;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            if (finished) {
                in.skipBytes(in.readableBytes());
                return;
            }
            if (discarding && discardRemaining > 0) {
                int n = (int) Math.min(discardRemaining, in.readableBytes());
                in.skipBytes(n);
                discardRemaining -= n;
                if (discardRemaining > 0) {
                    return;
                }
                if (!discardContinues) {
                    finished = true;
                    out.add(new DecoderEvent.DiscardDone());
                    continue;
                }
            }
            if (in.readableBytes() < 4) {
                return;
            }
            int start = in.readerIndex();
            int length = in.getUnsignedMediumLE(start);
            int seq = in.getUnsignedByte(start + 3);
            if (discarding) {
                in.skipBytes(4);
                discardRemaining = length;
                discardContinues = length == MAX_PHYSICAL;
                if (length == 0 && !discardContinues) {
                    finished = true;
                    out.add(new DecoderEvent.DiscardDone());
                }
                continue;
            }
            if (firstSeq >= 0 && seq != ((lastSeq + 1) & 0xFF)) {
                finished = true;
                out.add(new DecoderEvent.OutOfOrder(seq));
                continue;
            }
            if (partsTotal + length > limit) {
                parts.clear();
                partsTotal = 0;
                firstSeq = -1;
                discarding = true;
                in.skipBytes(4);
                discardRemaining = length;
                discardContinues = length == MAX_PHYSICAL;
                out.add(new DecoderEvent.TooLarge(seq));
                if (length == 0 && !discardContinues) {
                    finished = true;
                    out.add(new DecoderEvent.DiscardDone());
                }
                continue;
            }
            if (in.readableBytes() < 4 + length) {
                return; // wait for the rest; length is within the limit checked above
            }
            in.skipBytes(4);
            byte[] chunk = new byte[length];
            in.readBytes(chunk);
            if (firstSeq < 0) {
                firstSeq = seq;
            }
            lastSeq = seq;
            if (length == MAX_PHYSICAL) {
                parts.add(chunk);
                partsTotal += length;
                continue;
            }
            byte[] payload = chunk;
            if (!parts.isEmpty()) {
                parts.add(chunk);
                payload = new byte[(int) (partsTotal + length)];
                int pos = 0;
                for (byte[] p : parts) {
                    System.arraycopy(p, 0, payload, pos, p.length);
                    pos += p.length;
                }
                parts.clear();
                partsTotal = 0;
            }
            out.add(new Packet(firstSeq, lastSeq, payload));
            firstSeq = -1;
        }
    }
}
