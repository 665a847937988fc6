package io.cairn.mysql.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;

import java.util.concurrent.TimeUnit;

/**
 * Closes a connection after its last packet (an ERR, usually) so that the client reads it: a socket
 * closed while the client's unread bytes are still in its receive buffer sends a reset, and a reset
 * makes the client's kernel drop what it had received but not yet read, the ERR included (a client
 * that pipelined packets after a bad one saw "connection reset" instead of the error). So: once the
 * writes so far are out, only the sending side is shut (FIN); the connection closes when the client
 * closes its side (the default of Netty channels without half-closure) or after {@value #LINGER_MILLIS} ms,
 * whichever is first; what it sends meanwhile is read and dropped by the caller's pipeline.
 */
public final class LingeringClose {
    /** How long a client gets to read the last packet and close. */
    public static final long LINGER_MILLIS = 1000;

    private LingeringClose() {
    }

    /** Closes {@code channel} after what was written to it so far; any thread. */
    public static void close(Channel channel) {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess() && channel instanceof DuplexChannel duplex && channel.isActive()) {
                duplex.shutdownOutput();
                channel.eventLoop().schedule(() -> {
                    channel.close();
                }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                channel.close();
            }
        });
    }
}
