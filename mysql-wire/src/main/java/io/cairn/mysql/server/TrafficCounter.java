package io.cairn.mysql.server;

import io.cairn.mysql.ClientTraffic;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes of a connection in {@link ClientTraffic}: what the client's side of the pipeline hands up
 * and what goes down to it. It sits above the TLS handler (which the upgrader adds before it), so it counts
 * the plain protocol bytes, as MySQL does, and below the packet decoder, so headers and packets that end the
 * connection (too large, out of order) count too. Runs on the event loop only.
 */
final class TrafficCounter extends ChannelDuplexHandler {
    private final ClientTraffic traffic;

    TrafficCounter(ClientTraffic traffic) {
        this.traffic = traffic;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            traffic.received(b.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf b) {
            // counted when handed to the socket's side: a write that then fails was still sent, as far as the
            // session knows (MySQL counts what it passed to the network layer as well)
            traffic.sent(b.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
