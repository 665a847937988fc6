package io.cairn.proxy;

import io.cairn.mysql.MysqlException;
import io.cairn.mysql.server.Packet;
import io.cairn.mysql.server.Responses;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What a session writes to its client, in order: the proxy's own packets (greeting, errors, OK) and the
 * compute node's packets it relays. Relayed packets are copied into one buffer, written before anything
 * else goes out (so the order holds) and at the end of the answer: one write per answer instead of one per
 * packet (and the copy to a direct buffer the socket needed anyway). Knows the sequence id the proxy's next
 * packet to the client takes: after the client's last packet, or after the CN's last relayed one. Nothing
 * is flushed unless asked. While the client does not read, its compute node connection is not read either
 * (back-pressure: nothing piles up in the proxy). On the session's event loop.
 */
final class ClientOutput {
    private static final int RELAY_BUFFER_START = 1024;
    private static final int RELAY_BUFFER_MAX = 64 * 1024;

    private final Channel client;
    /** The compute node's packets relayed since the last write, or null. */
    private ByteBuf toClient;
    private int nextSeq;
    /** Disconnects the client unless it reads again by then (set while the client is not writable). */
    private ScheduledFuture<?> writeDeadline;

    ClientOutput(Channel client) {
        this.client = client;
    }

    /** The sequence id the proxy's next packet to the client takes. */
    int nextSeq() {
        return nextSeq;
    }

    /** The proxy's next packet answers {@code packet}, the client's. */
    void answering(Packet packet) {
        nextSeq = packet.lastSeq() + 1;
    }

    /** Writes one of the proxy's packets (split at 16 MiB) after what was relayed. */
    void write(int seq, byte[] payload) {
        writeRelayed();
        client.write(Backend.frames(seq, payload));
    }

    void error(int seq, MysqlException error) {
        write(seq, Responses.error(error).toByteArray());
    }

    /** The error as the answer to the client's last packet. */
    void error(MysqlException error) {
        error(nextSeq, error);
    }

    /** Relays a compute node's packet, gathered with the answer's others up to {@link #RELAY_BUFFER_MAX}. */
    void relay(ByteBuf frame) {
        nextSeq = Frames.seq(frame) + 1;
        int n = frame.readableBytes();
        if (toClient != null && toClient.maxWritableBytes() < n) {
            writeRelayed();
        }
        if (n > RELAY_BUFFER_MAX) { // a big packet goes as it is
            client.write(frame);
            return;
        }
        if (toClient == null) {
            toClient = client.alloc().directBuffer(Math.max(n, RELAY_BUFFER_START), RELAY_BUFFER_MAX);
        }
        toClient.writeBytes(frame);
        frame.release();
    }

    /** Writes a compute node's packet as it is (with its sequence id), after what was relayed. */
    void forward(ByteBuf frame) {
        nextSeq = Frames.seq(frame) + 1;
        writeRelayed();
        client.write(frame);
    }

    /** Writes what {@link #relay} gathered, so that whatever is written next goes after it. */
    void writeRelayed() {
        if (toClient != null) {
            ByteBuf out = toClient;
            toClient = null;
            client.write(out);
        }
    }

    void flush() {
        writeRelayed();
        client.flush();
    }

    /**
     * The client's outbound buffer crossed a water mark: while it is above, {@code cn} (the session's compute
     * node connection, or null) is not read; if the client reads nothing for {@code timeout}, {@code timedOut}
     * runs.
     */
    void writabilityChanged(Backend cn, Duration timeout, Runnable timedOut) {
        boolean writable = client.isWritable();
        if (cn != null && cn.channel() != null) {
            cn.channel().config().setAutoRead(writable);
        }
        if (!writable && writeDeadline == null) {
            writeDeadline = client.eventLoop().schedule(() -> {
                writeDeadline = null;
                timedOut.run();
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        } else if (writable && writeDeadline != null) {
            writeDeadline.cancel(false);
            writeDeadline = null;
        }
    }

    /** The client connection closed: nothing waits for it to read any more. */
    void clientClosed() {
        if (writeDeadline != null) {
            writeDeadline.cancel(false);
        }
    }
}
