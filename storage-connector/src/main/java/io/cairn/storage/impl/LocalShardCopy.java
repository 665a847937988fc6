package io.cairn.storage.impl;

import io.cairn.storage.impl.MetaQuorum.MetaView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * {@link ErasureCodedStore#copyTo} of an object stored as one data shard ({@code k = 1}, so no parity: the
 * embedded 1+0 folder) whose shard file is local: after the record, that file holds the object's bytes whole and in
 * order. The range is checked against the object's CRC32C through a memory map (no copy into the heap), then sent to
 * the destination by {@link FileChannel#transferTo} (in the kernel: no copy through the JVM at all). Both use one open
 * file, so they see one version of it (a put replaces shard files by renaming).
 *
 * <p>When the file is not local, missing, of another write, or fails its check, nothing is written and the caller
 * streams the object instead, which reports a damaged one.
 */
final class LocalShardCopy {
    private static final Logger LOG = Logger.getLogger(LocalShardCopy.class.getName());
    /** Bytes mapped at a time for the check: a segment is up to 192 MiB, and address space is cheap, not free. */
    private static final long MAP_WINDOW = 64L << 20;

    private LocalShardCopy() {
    }

    /**
     * Copies the object into {@code out} when its one data shard is a local file that checks out.
     *
     * @return the object's CRC32C, or empty when the caller must stream it (nothing was written)
     * @throws IOException writing to {@code out} failed
     */
    static Optional<Integer> copy(StoreParts parts, MetaView view, WritableByteChannel out) throws IOException {
        ShardMeta meta = view.winner;
        int endpoint = meta.k() == 1 ? view.endpointOfShard[0] : -1;
        if (endpoint < 0) {
            return Optional.empty();
        }
        String name = ShardNames.shard(view.key);
        Optional<Path> file = parts.fanOut().endpoint(endpoint).localFile(name);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try (FileChannel in = FileChannel.open(file.get(), StandardOpenOption.READ)) {
            long from = meta.encodedLength();
            if (!sameWrite(in, meta) || in.size() < from + meta.size()) {
                return Optional.empty();
            }
            if (crc32c(in, from, meta.size()) != meta.objectCrc()) {
                LOG.warning(() -> "bitrot: " + file.get() + " fails its object checksum; " + view.key
                        + " is copied through the store instead");
                return Optional.empty();
            }
            for (long done = 0; done < meta.size();) {
                long sent = in.transferTo(from + done, meta.size() - done, out);
                if (sent <= 0) { // the file is checked to be long enough: a destination that takes nothing
                    throw new IOException("the copy of " + view.key + " stopped after " + done + " of " + meta.size()
                            + " bytes");
                }
                done += sent;
            }
            return Optional.of(meta.objectCrc());
        } catch (NoSuchFileException e) { // deleted since its record was read
            return Optional.empty();
        }
    }

    /** Whether the open file is the shard of the write the view chose (a delete and a new put may have come since). */
    private static boolean sameWrite(FileChannel in, ShardMeta meta) throws IOException {
        ByteBuffer record = ByteBuffer.allocate(meta.encodedLength());
        while (record.hasRemaining()) {
            if (in.read(record, record.position()) < 0) {
                return false;
            }
        }
        try {
            return ShardMeta.decode(record.array()).equals(meta.forShard(0));
        } catch (RuntimeException e) { // a damaged record: the stream reads around it
            return false;
        }
    }

    private static int crc32c(FileChannel in, long from, long length) throws IOException {
        CRC32C crc = new CRC32C();
        for (long at = 0; at < length; at += MAP_WINDOW) {
            crc.update(in.map(FileChannel.MapMode.READ_ONLY, from + at, Math.min(MAP_WINDOW, length - at)));
        }
        return (int) crc.getValue();
    }
}
