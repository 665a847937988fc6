package io.cairn.storage.impl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The shard objects of one object, coded from a stream into one local temporary file per shard, stripe
 * by stripe: a large object (a 64 MiB checkpoint segment) is never held in memory, only one stripe is.
 * The files have exactly the layout {@link ShardWriter#encode} gives in memory (record in front, then the
 * shard's chunks; both code through {@link StripeEncoder}), so readers cannot tell the two apart.
 * {@link #close()} deletes the files.
 *
 * <p>Not thread-safe while it is written; afterwards any number of uploads may read the files.
 */
final class ShardFiles implements AutoCloseable {
    private final Path[] files;
    private final ShardMeta meta;

    private ShardFiles(Path[] files, ShardMeta meta) {
        this.files = files;
        this.meta = meta;
    }

    /**
     * Reads {@code size} bytes from {@code in} and codes them.
     *
     * @throws IOException              reading the input or writing a file failed (no file is left behind)
     * @throws IllegalArgumentException the input ended before {@code size} bytes
     */
    static ShardFiles write(ReedSolomon codec, int k, int m, int chunk, InputStream in, long size, UUID writeId,
            long created) throws IOException {
        int n = k + m;
        StripeEncoder encoder = new StripeEncoder(codec, k, m, chunk, size);
        int stripes = encoder.stripes();
        int head = encoder.recordLength();
        Path[] files = new Path[n];
        FileChannel[] channels = new FileChannel[n];
        boolean done = false;
        try {
            for (int i = 0; i < n; i++) {
                files[i] = Files.createTempFile("cairn-shard-", ".part");
                channels[i] = FileChannel.open(files[i], StandardOpenOption.WRITE);
            }
            byte[][] chunks = new byte[n][chunk];
            CRC32C objectCrc = new CRC32C();
            long read = 0;
            for (int s = 0; s < stripes; s++) {
                int cl = encoder.chunkLength(s);
                for (int j = 0; j < k; j++) { // the stripe's bytes go to the data shards in turn, cl each
                    int want = encoder.dataLength(s, j);
                    int got = in.readNBytes(chunks[j], 0, want);
                    read += got;
                    if (got < want) {
                        throw new IllegalArgumentException("stream ended after " + read + " of " + size + " bytes");
                    }
                    objectCrc.update(chunks[j], 0, want);
                    Arrays.fill(chunks[j], want, cl, (byte) 0);
                }
                encoder.encode(s, chunks, 0);
                long at = encoder.chunkPosition(s);
                for (int i = 0; i < n; i++) {
                    writeAt(channels[i], chunks[i], cl, at);
                }
            }
            ShardMeta meta = encoder.meta(writeId, created, (int) objectCrc.getValue());
            byte[] record = new byte[head];
            for (int i = 0; i < n; i++) {
                meta.forShard(i).encodeInto(record);
                writeAt(channels[i], record, head, 0);
            }
            done = true;
            return new ShardFiles(files, meta);
        } finally {
            for (FileChannel channel : channels) {
                if (channel != null) {
                    channel.close();
                }
            }
            if (!done) {
                delete(files);
            }
        }
    }

    private static void writeAt(FileChannel channel, byte[] bytes, int length, long position) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }

    /** The shard object of shard {@code index}. */
    Path file(int index) {
        return files[index];
    }

    ShardMeta meta() {
        return meta;
    }

    @Override
    public void close() {
        delete(files);
    }

    private static void delete(Path[] files) {
        for (Path file : files) {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a temporary file; the next clean of the temp folder takes it
                }
            }
        }
    }
}
