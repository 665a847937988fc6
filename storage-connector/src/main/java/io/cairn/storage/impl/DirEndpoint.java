package io.cairn.storage.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A local directory as an endpoint. {@code <ns>/<flat>} is stored as {@code root/<ns>/<flat>}.
 *
 * <p>Atomic visibility and durability: a put writes {@code root/tmp/<random>}, forces it to disk, renames it
 * over the final name with an atomic move (same file system), then forces the directory, so a reader (or a
 * crash) sees the old state or the whole new file. Thread-safe: concurrent puts use distinct temp files.
 */
public final class DirEndpoint implements Endpoint {
    private final Path root;
    private final Path tmp;

    public DirEndpoint(Path root) throws IOException {
        this.root = root.toAbsolutePath();
        this.tmp = this.root.resolve("tmp");
        Files.createDirectories(tmp);
        Files.createDirectories(this.root.resolve("shard"));
    }

    public Path root() {
        return root;
    }

    @Override
    public String name() {
        return "dir:" + root;
    }

    /** The file that holds {@code name}; exposed for corruption tests. */
    public Path file(String name) {
        int slash = name.indexOf('/');
        if (slash <= 0 || slash == name.length() - 1 || name.indexOf('/', slash + 1) >= 0
                || name.substring(slash + 1).startsWith(".")) {
            throw new IllegalArgumentException("bad endpoint name: " + name);
        }
        String ns = name.substring(0, slash);
        if (!ns.equals("shard")) {
            throw new IllegalArgumentException("unknown namespace: " + name);
        }
        return root.resolve(ns).resolve(name.substring(slash + 1));
    }

    @Override
    public Optional<Path> localFile(String name) {
        return Optional.of(file(name));
    }

    @Override
    public void put(String name, byte[] data) throws IOException {
        replace(name, channel -> {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        });
    }

    @Override
    public void put(String name, Path file) throws IOException {
        replace(name, channel -> {
            try (FileChannel from = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = from.size();
                for (long done = 0; done < size;) {
                    done += from.transferTo(done, size - done, channel);
                }
            }
        });
    }

    /** Writes a file's new content. */
    private interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Writes the content to a temporary file, forces it, and renames it over the name's file. */
    private void replace(String name, Content content) throws IOException {
        Path target = file(name);
        Path temp = tmp.resolve(UUID.randomUUID().toString());
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                content.writeTo(ch);
                ch.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(name() + ": file system does not support atomic rename", e);
            }
            forceDirectory(target.getParent());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public byte[] getPrefix(String name, int maxLength) throws IOException {
        try (FileChannel ch = FileChannel.open(file(name), StandardOpenOption.READ)) {
            // puts replace files by renaming, so the open file is one whole version and never shrinks
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size(), maxLength));
            while (buf.hasRemaining()) {
                if (ch.read(buf, buf.position()) < 0) {
                    throw new IOException(name() + ": " + name + " ended before its size");
                }
            }
            return buf.array();
        } catch (NoSuchFileException e) {
            throw new ShardNotFoundException(name(), name);
        }
    }

    @Override
    public byte[] get(String name, long offset, int length) throws IOException {
        byte[] out = new byte[length];
        read(name, offset, out, 0, length);
        return out;
    }

    @Override
    public void read(String name, long offset, byte[] into, int at, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(file(name), StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.wrap(into, at, length);
            long pos = offset;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new IOException(name() + ": " + name + " is shorter than " + (offset + length));
                }
                pos += n;
            }
        } catch (NoSuchFileException e) {
            throw new ShardNotFoundException(name(), name);
        }
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        int slash = prefix.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("prefix must name a namespace: " + prefix);
        }
        String ns = prefix.substring(0, slash);
        String filePrefix = prefix.substring(slash + 1);
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root.resolve(ns))) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                if (f.startsWith(filePrefix)) {
                    out.add(ns + "/" + f);
                }
            }
        } catch (NoSuchFileException e) {
            throw new IOException(name() + ": directory missing: " + root.resolve(ns), e);
        }
        return out;
    }

    @Override
    public void delete(String name) throws IOException {
        Files.deleteIfExists(file(name));
    }

    @Override
    public void ping() throws IOException {
        if (!Files.isDirectory(root.resolve("shard")) || !Files.isWritable(tmp)) {
            throw new IOException(name() + ": directory missing or not writable");
        }
    }

    @Override
    public void close() {
        // nothing held open
    }

    @Override
    public String toString() {
        return name();
    }
}
