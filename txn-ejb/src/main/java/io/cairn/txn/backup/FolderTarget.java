package io.cairn.txn.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@link BackupTarget} on a file system: each name is a file under the root folder. A file is written under a
 * temporary name ({@code NAME.partial}), forced to disk and renamed, so that a file with its final name is whole;
 * temporary files are not listed. Thread-safe (no state besides the root).
 */
final class FolderTarget implements BackupTarget {
    private static final String PARTIAL = ".partial";
    /** What a folder made as a target holds from the start: {@link #exists()} looks for it. */
    private static final String MARK = "objects";

    private final Path root;

    private FolderTarget(Path root) {
        this.root = root;
    }

    /**
     * The folder at the absolute {@code path}; with {@code create}, made (with its {@code objects/} and {@code sets/})
     * if it does not exist.
     *
     * @throws IllegalArgumentException the path is not absolute, or cannot be made a folder
     */
    static FolderTarget at(String path, boolean create) {
        if (path == null || path.isBlank() || path.length() > 4096 || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a backup target is an absolute folder path or an S3 address");
        }
        Path root = Path.of(path).normalize();
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("a backup target is an absolute folder path or an S3 address, not " + path);
        }
        if (create) {
            try {
                Files.createDirectories(root.resolve(MARK));
                Files.createDirectories(root.resolve("sets"));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot use " + root + " as a backup target: " + e, e);
            }
        }
        return new FolderTarget(root);
    }

    private Path file(String name) {
        return root.resolve(TargetNames.check(name));
    }

    @Override
    public long write(String name, StreamWriter writer) throws IOException {
        return writeChannel(name, channel -> {
            OutputStream out = Channels.newOutputStream(channel);
            writer.writeTo(out);
            out.flush();
        });
    }

    @Override
    public long writeChannel(String name, ChannelWriter writer) throws IOException {
        Path file = file(name);
        Path partial = file.resolveSibling(file.getFileName() + PARTIAL);
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                writer.writeTo(channel);
                channel.force(true);
            }
            long size = Files.size(partial);
            try {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return size;
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) { // listed by nobody; the next write of the name replaces it
            }
        }
    }

    /**
     * More than the default: a folder's write holds no buffer, and a copy from a local store is the kernel's work
     * (sending the file, writing it back to disk), which keeps the disk busier with more of them in flight.
     */
    @Override
    public int concurrentWrites() {
        return 8;
    }

    @Override
    public InputStream read(String name) throws IOException {
        return Files.newInputStream(file(name));
    }

    @Override
    public <T> T readAsFile(String name, FileUser<T> user) throws IOException {
        Path file = file(name);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return user.use(file);
    }

    @Override
    public long size(String name) throws IOException {
        return Files.size(file(name));
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        Path folder = root.resolve(TargetNames.checkPrefix(prefix));
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(PARTIAL))
                    .map(f -> root.relativize(f).toString().replace('\\', '/')).toList();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Removes the file, and the folders it leaves empty (not the root's own: {@code objects/}, {@code sets/}). */
    @Override
    public void delete(String name) throws IOException {
        Path file = file(name);
        Files.deleteIfExists(file);
        for (Path dir = file.getParent(); !dir.equals(root) && !dir.getParent().equals(root); dir = dir.getParent()) {
            try (Stream<Path> left = Files.list(dir)) {
                if (left.findAny().isPresent()) {
                    return;
                }
            } catch (NoSuchFileException e) {
                continue;
            }
            try {
                Files.deleteIfExists(dir);
            } catch (java.nio.file.DirectoryNotEmptyException e) { // a writer put a file there meanwhile
                return;
            }
        }
    }

    @Override
    public boolean exists() {
        return Files.isDirectory(root.resolve(MARK)) && Files.isDirectory(root.resolve("sets"));
    }

    @Override
    public String toString() {
        return root.toString();
    }

    @Override
    public void close() {
    }
}
