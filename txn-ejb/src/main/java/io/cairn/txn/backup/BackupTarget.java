package io.cairn.txn.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where backups and the archived log are stored: files named by relative, {@code /}-separated paths
 * ({@code objects/…}, {@code sets/ID/set.json}, {@code archive/….tail}). {@link BackupRepository} decides the names;
 * a target only stores bytes. Two kinds ({@link BackupTargets#open}): a folder ({@link FolderTarget}) and an S3
 * bucket prefix ({@link S3Target}).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Whole or absent.</b> {@link #write} makes a file visible under its name only once all its bytes are
 *   stored: a reader sees the old file, nothing, or the whole new one, never a part. When the writer fails, the
 *   name keeps what it held before. (Folder: a temporary name, forced to disk, renamed. S3: one PUT, or a
 *   multipart upload completed only at the end.)</li>
 *   <li><b>Bounded memory.</b> Writes and reads stream: a checkpoint segment (up to 192 MiB) never sits in memory
 *   whole; an S3 target holds one upload part at a time.</li>
 *   <li><b>Errors.</b> {@link IOException} for a store that cannot be reached or refuses; {@link NoSuchFileException}
 *   for a name that holds no file. A name that is not a plain relative path is refused with
 *   {@link IllegalArgumentException}.</li>
 *   <li><b>Threads.</b> Implementations are thread-safe; {@link #close} releases connections (S3) and ends the
 *   target's use.</li>
 * </ul>
 */
public interface BackupTarget extends AutoCloseable {
    /** Writes a stream's bytes. */
    @FunctionalInterface
    interface StreamWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes bytes to a channel. */
    @FunctionalInterface
    interface ChannelWriter {
        void writeTo(WritableByteChannel out) throws IOException;
    }

    /** Uses a local file. */
    @FunctionalInterface
    interface FileUser<T> {
        T use(Path file) throws IOException;
    }

    /**
     * Stores what {@code writer} writes as {@code name}, replacing what it held, atomically (see the contract).
     *
     * @return the bytes stored
     * @throws IOException the writer failed (its exception, and nothing is stored) or the store did
     */
    long write(String name, StreamWriter writer) throws IOException;

    /**
     * Stores what {@code writer} writes to a channel, as {@link #write(String, StreamWriter)} does. A folder hands it
     * the file's own channel, so that a copy from a local file stays in the kernel; this default wraps the stream.
     */
    default long writeChannel(String name, ChannelWriter writer) throws IOException {
        return write(name, out -> writer.writeTo(Channels.newChannel(out)));
    }

    /**
     * How many files a backup writes at once: each write may hold a buffer (an S3 upload part), so this default is
     * modest.
     */
    default int concurrentWrites() {
        return 4;
    }

    /** The file's bytes, streamed; the caller closes the stream. */
    InputStream read(String name) throws IOException;

    /**
     * Lends the file as a local file for the call (for a consumer that takes a {@link Path}, or that reads slowly):
     * a folder lends its own, S3 a temporary download deleted afterwards.
     */
    <T> T readAsFile(String name, FileUser<T> user) throws IOException;

    /** The file's size in bytes. */
    long size(String name) throws IOException;

    /**
     * The names of every file under {@code prefix} (a folder name ending in {@code /}), in no particular order;
     * empty when there is none.
     */
    List<String> list(String prefix) throws IOException;

    /**
     * The names under {@code prefix} that sort after {@code after}, in name order: what a reader that follows a
     * folder of ordered names (the archived log) has not seen yet. S3 lists from there; this default lists all.
     */
    default List<String> listAfter(String prefix, String after) throws IOException {
        return list(prefix).stream().filter(name -> name.compareTo(after) > 0).sorted().toList();
    }

    /** Removes the file; an absent one is not an error. */
    void delete(String name) throws IOException;

    /** Whether anything was stored here: a folder made as a target, or an S3 prefix with a file under it. */
    boolean exists() throws IOException;

    /** Where the target is, for messages: a folder path or the S3 address, never its credentials. */
    @Override
    String toString();

    @Override
    void close();
}
