package io.cairn.mysql.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Frames payloads as MySQL packets (splitting at 0xFFFFFF bytes), numbers them with the running sequence
 * id and writes them to the channel in batches of about {@value #BATCH} bytes, each flushed at once (so a
 * streamed result reaches the client while it is produced).
 *
 * <p>Used only from the connection's handler-executor task (one thread at a time, never the event loop):
 * when the channel is not writable (the client reads slowly) {@link #send} blocks that thread until it is,
 * so a large result set never piles up in memory; a client that reads nothing for the write timeout
 * (MySQL's net_write_timeout) is disconnected, and whatever is sent after that is dropped, so the thread
 * is free again. {@link #writabilityChanged()} is called by the event loop.
 *
 * <p>Buffers are unpooled heap buffers: they are filled on a handler thread and released on the event
 * loop, and a pooled buffer crossing threads like that costs Netty's allocator more (its per-thread
 * caches and recyclers hand objects back across threads) than the garbage of a short-lived array.
 * They wrap plain arrays ({@link #heapBuffer}): the default unpooled allocator counts every allocation and
 * every growth in a shared LongAdder, which showed as 4 % of the CPU under sysbench read_write. A batch
 * starts at {@link #FIRST_BATCH} bytes: an OK packet or a one-row result fits, a larger result doubles it a few
 * times (starting at 8 KiB, zeroing a fresh array per result was 4.7 % of the CPU under read_write).
 */
final class PacketWriter {
    static final int BATCH = 64 * 1024;
    static final int FIRST_BATCH = 2 * 1024;
    private static final Logger LOG = Logger.getLogger(PacketWriter.class.getName());

    private final Channel channel;
    private final long writeTimeoutNanos;
    private final Object writable = new Object();
    private ByteBuf pending;
    private int seq;
    /** The channel closed (or was closed for a stalled reader) while a writer waited: sends are dropped. */
    private boolean dead;

    PacketWriter(Channel channel, Duration writeTimeout) {
        this.channel = channel;
        this.writeTimeoutNanos = writeTimeout.toNanos();
    }

    /** One packet (payload shorter than 0xFFFFFF bytes) with its header, for a write on the event loop. */
    static ByteBuf frame(int seq, PacketBuilder payload) {
        ByteBuf b = heapBuffer(payload.length() + 4);
        b.writeMediumLE(payload.length()).writeByte(seq).writeBytes(payload.array(), 0, payload.length());
        return b;
    }

    /** An empty heap buffer of {@code capacity} bytes over a plain array (grows as any heap buffer). */
    static ByteBuf heapBuffer(int capacity) {
        return new UnpooledHeapByteBuf(UnpooledByteBufAllocator.DEFAULT, capacity, Integer.MAX_VALUE);
    }

    /** The sequence id the next packet gets. */
    void sequence(int nextSeq) {
        this.seq = nextSeq & 0xFF;
    }

    int sequence() {
        return seq;
    }

    void send(PacketBuilder payload) {
        send(payload.array(), payload.length());
    }

    void send(byte[] payload, int length) {
        if (dead) {
            return;
        }
        int off = 0;
        while (true) {
            int n = Math.min(length - off, PacketDecoder.MAX_PHYSICAL);
            if (pending == null) {
                pending = heapBuffer(Math.min(BATCH, Math.max(FIRST_BATCH, n + 4)) + 4);
            }
            pending.writeMediumLE(n);
            pending.writeByte(seq);
            pending.writeBytes(payload, off, n);
            seq = (seq + 1) & 0xFF;
            off += n;
            if (pending.readableBytes() >= BATCH) {
                writeBatch();
            }
            if (n < PacketDecoder.MAX_PHYSICAL) {
                return;
            }
        }
    }

    /**
     * Whether the connection is gone (closed, or closed for a stalled reader): whatever is sent now is
     * dropped, so a producer of rows can stop.
     */
    boolean closed() {
        return dead || !channel.isActive();
    }

    /**
     * Writes and flushes a full batch through Netty's own write task, which counts the bytes in the
     * channel's outbound buffer at once: the writability check before the next batch then sees them, so
     * the buffer never grows past the high-water mark plus one batch.
     */
    private void writeBatch() {
        awaitWritable();
        if (dead) {
            discard();
            return;
        }
        ByteBuf b = pending;
        pending = null;
        channel.writeAndFlush(b, channel.voidPromise());
    }

    /** Writes and flushes everything sent so far. */
    void flush() {
        writePending();
    }

    private void writePending() {
        awaitWritable();
        if (dead) {
            discard();
            return;
        }
        if (pending == null) {
            channel.flush();
            return;
        }
        ByteBuf b = pending;
        pending = null;
        if (channel.eventLoop().inEventLoop()) {
            channel.writeAndFlush(b, channel.voidPromise());
            return;
        }
        // one task instead of Netty's recycled write task (also handed back across threads)
        try {
            channel.eventLoop().execute(() -> channel.writeAndFlush(b, channel.voidPromise()));
        } catch (RejectedExecutionException e) { // the server is stopping: nobody will read it
            b.release();
        }
    }

    /** Drops anything not yet written (the connection is going away). */
    void discard() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    private void awaitWritable() {
        if (channel.isWritable() || channel.eventLoop().inEventLoop()) {
            return;
        }
        channel.flush();
        long deadline = System.nanoTime() + writeTimeoutNanos;
        synchronized (writable) {
            while (!channel.isWritable()) {
                if (!channel.isActive()) {
                    dead = true;
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.log(Level.FINE, "{0}: the client read nothing for {1} ms; closing",
                            new Object[] {channel.remoteAddress(), writeTimeoutNanos / 1_000_000});
                    dead = true;
                    channel.close();
                    return;
                }
                try {
                    writable.wait(Math.max(1, Math.min(1000, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    void writabilityChanged() {
        synchronized (writable) {
            writable.notifyAll();
        }
    }
}
