package io.cairn.txn.backup;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A backup target on a file system: checkpoint objects under {@code objects/} by their object keys, shared
 * by every backup (objects are immutable, so a backup copies only those not there yet), and one folder per
 * backup under {@code sets/ID/} with its log tail and its {@code set.json}.
 *
 * <p>Every file is written under a temporary name, forced to disk and then renamed, so that a file with its
 * final name is whole; {@code set.json} is written last, so that a backup with one is complete.
 */
public final class BackupDirectory {
    /** Backup ids: what {@link BackupWriter} makes, and nothing that could leave the folder. */
    private static final Pattern ID = Pattern.compile("[0-9]{8}T[0-9]{9}Z");
    /** Object keys as the TN makes them: relative paths of plain names. */
    private static final Pattern OBJECT_KEY = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    static final String SET_FILE = "set.json";
    static final String LOG_TAIL_FILE = "log-tail";
    private static final String PARTIAL = ".partial";
    private static final Jsonb JSON = JsonbBuilder.create(new JsonbConfig().withFormatting(true));

    private final Path root;

    private BackupDirectory(Path root) {
        this.root = root;
    }

    /**
     * The target at {@code path}, made if it does not exist (where a backup goes).
     *
     * @throws IllegalArgumentException the path is not absolute, or cannot be a folder
     */
    public static BackupDirectory open(String path) {
        Path root = absolute(path);
        try {
            Files.createDirectories(root.resolve("objects"));
            Files.createDirectories(root.resolve("sets"));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot use " + root + " as a backup target: " + e, e);
        }
        return new BackupDirectory(root);
    }

    /**
     * The target at {@code path}, which must hold backups already (to list, verify, prune or restore: nothing
     * is made on the way).
     *
     * @throws IllegalArgumentException the path is not absolute, or is no backup target
     */
    public static BackupDirectory existing(String path) {
        Path root = absolute(path);
        if (!Files.isDirectory(root.resolve("objects")) || !Files.isDirectory(root.resolve("sets"))) {
            throw new IllegalArgumentException(root + " holds no backups");
        }
        return new BackupDirectory(root);
    }

    private static Path absolute(String path) {
        if (path == null || path.isBlank() || path.length() > 4096 || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a backup target is an absolute folder path");
        }
        Path root = Path.of(path).normalize();
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("a backup target is an absolute folder path, not " + path);
        }
        return root;
    }

    public Path root() {
        return root;
    }

    static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The path of an object; refuses keys that are not plain relative paths. */
    Path object(String key) {
        if (key == null || key.length() > 1024 || !OBJECT_KEY.matcher(key).matches() || key.contains("..")) {
            throw new IllegalArgumentException("not a checkpoint object key: " + key);
        }
        return root.resolve("objects").resolve(key);
    }

    /** The folder of backup {@code id}. */
    Path set(String id) {
        if (!validId(id)) {
            throw new IllegalArgumentException("not a backup id: " + id);
        }
        return root.resolve("sets").resolve(id);
    }

    /** Whether the object is stored with {@code bytes} bytes (objects never change, so the size says it is whole). */
    boolean hasObject(String key, long bytes) {
        Path file = object(key);
        try {
            return Files.size(file) == bytes;
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes {@code file} from what {@code writer} writes, atomically; returns the bytes written. */
    long write(Path file, StreamWriter writer) {
        Path partial = file.resolveSibling(file.getFileName() + PARTIAL);
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                writer.writeTo(out);
                out.flush();
                channel.force(true);
            }
            long size = Files.size(partial);
            try {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return size;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) { // the next prune removes it
            }
        }
    }

    /** Writes a stream to a file. */
    @FunctionalInterface
    interface StreamWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    InputStream read(Path file) throws IOException {
        return Files.newInputStream(file);
    }

    /** Marks the backup complete: its {@code set.json}. */
    void publish(BackupSet set) {
        byte[] json = toJson(set).getBytes(StandardCharsets.UTF_8);
        write(set(set.id()).resolve(SET_FILE), out -> out.write(json));
    }

    /** The complete backups, oldest first. */
    public List<BackupSet> sets() {
        List<BackupSet> sets = new ArrayList<>();
        for (String id : setIds()) {
            find(id).ifPresent(sets::add);
        }
        return sets;
    }

    /** The backup with this id, if it is complete. */
    public Optional<BackupSet> find(String id) {
        Path file = set(id).resolve(SET_FILE);
        try {
            return Optional.of(fromJson(Files.readString(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The ids of every backup folder, complete or not, oldest first. */
    List<String> setIds() {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root.resolve("sets"))) {
            List<String> ids = new ArrayList<>();
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (validId(name)) {
                    ids.add(name);
                }
            }
            ids.sort(Comparator.naturalOrder());
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root.resolve("sets"), e);
        }
    }

    /** Every stored object key. */
    List<String> objectKeys() {
        Path objects = root.resolve("objects");
        try (Stream<Path> files = Files.walk(objects)) {
            return files.filter(Files::isRegularFile).map(f -> objects.relativize(f).toString().replace('\\', '/'))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + objects, e);
        }
    }

    /** Removes a file or a folder with what it holds; an absent one is not an error. */
    void delete(Path path) {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // gone already
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    static String toJson(BackupSet set) {
        return JSON.toJson(set);
    }

    static BackupSet fromJson(String json) {
        return JSON.fromJson(json, BackupSet.class);
    }
}
