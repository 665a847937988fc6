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
 * The files have exactly the layout {@link ErasureCodedStore#encode} gives in memory (record in front,
 * then the shard's chunks), so readers cannot tell the two apart. {@link #close()} deletes the files.
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
        int stripes = ShardMeta.stripes(size, k, chunk);
        long stripeData = (long) k * chunk;
        int head = ShardMeta.encodedLength(stripes * n);
        Path[] files = new Path[n];
        FileChannel[] channels = new FileChannel[n];
        boolean done = false;
        try {
            for (int i = 0; i < n; i++) {
                files[i] = Files.createTempFile("cairn-shard-", ".part");
                channels[i] = FileChannel.open(files[i], StandardOpenOption.WRITE);
            }
            byte[][] chunks = new byte[n][chunk];
            int[] crcs = new int[stripes * n];
            CRC32C objectCrc = new CRC32C();
            long read = 0;
            for (int s = 0; s < stripes; s++) {
                long len = s == stripes - 1 ? size - s * stripeData : stripeData;
                int cl = (int) ((len + k - 1) / k);
                for (int j = 0; j < k; j++) { // the stripe's bytes go to the data shards in turn, cl each
                    int want = (int) Math.max(0, Math.min(cl, len - (long) j * cl));
                    int got = in.readNBytes(chunks[j], 0, want);
                    read += got;
                    if (got < want) {
                        throw new IllegalArgumentException("stream ended after " + read + " of " + size + " bytes");
                    }
                    objectCrc.update(chunks[j], 0, want);
                    Arrays.fill(chunks[j], want, cl, (byte) 0);
                }
                codec.encodeParity(chunks, 0, cl);
                long at = head + (long) s * chunk;
                for (int i = 0; i < n; i++) {
                    crcs[s * n + i] = ShardMeta.crc32c(chunks[i], 0, cl);
                    writeAt(channels[i], chunks[i], cl, at);
                }
            }
            ShardMeta meta = new ShardMeta(writeId, created, size, (int) objectCrc.getValue(), k, m, chunk, 0, crcs);
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
