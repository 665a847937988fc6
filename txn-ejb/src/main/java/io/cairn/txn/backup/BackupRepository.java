package io.cairn.txn.backup;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The backups in a {@link BackupTarget}: checkpoint objects under {@code objects/} by their object keys, shared
 * by every backup (objects are immutable, so a backup copies only those not there yet), and per backup
 * {@code sets/ID/} with its log tail and its {@code set.json}; the archived log under {@code archive/}
 * ({@link LogArchive}).
 *
 * <p>A target stores each file whole or not at all; {@code set.json} is written last, so that a backup with one is
 * complete. Storage failures are {@link UncheckedIOException}s naming the target. Thread-safe as its target is;
 * {@link #close()} closes the target.
 */
public final class BackupRepository implements AutoCloseable {
    /** Backup ids: what {@link BackupWriter} makes, and nothing that could leave the folder. */
    private static final Pattern ID = Pattern.compile("[0-9]{8}T[0-9]{9}Z");
    static final String OBJECTS = "objects/";
    static final String SETS = "sets/";
    static final String SET_FILE = "set.json";
    static final String LOG_TAIL_FILE = "log-tail";
    private static final Jsonb JSON = JsonbBuilder.create(new JsonbConfig().withFormatting(true));

    private final BackupTarget target;

    BackupRepository(BackupTarget target) {
        this.target = target;
    }

    /**
     * The target at {@code address} (a folder or an S3 address, {@link BackupTargets}), its folder or bucket made if
     * it does not exist: where a backup or the archive goes.
     *
     * @param credentials the credentials file of an S3 target, or null
     * @throws IllegalArgumentException the target cannot be used
     */
    public static BackupRepository open(String address, String credentials) {
        return new BackupRepository(BackupTargets.open(address, credentials, true));
    }

    /**
     * The target at {@code address}, which must hold backups already (to list, verify, prune or restore: nothing is
     * made on the way).
     *
     * @throws IllegalArgumentException the target cannot be used, or holds no backups
     */
    public static BackupRepository existing(String address, String credentials) {
        BackupTarget target = BackupTargets.open(address, credentials, false);
        boolean exists;
        try {
            exists = target.exists();
        } catch (IOException e) {
            target.close();
            throw new IllegalArgumentException("cannot read " + target + ": " + e.getMessage(), e);
        }
        if (!exists) {
            target.close();
            throw new IllegalArgumentException(target + " holds no backups");
        }
        return new BackupRepository(target);
    }

    BackupTarget target() {
        return target;
    }

    static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The name of a checkpoint object in the target; refuses keys that are not plain relative paths. */
    static String object(String key) {
        return TargetNames.check(OBJECTS + key);
    }

    /** The name of a file of backup {@code id} in the target. */
    static String setFile(String id, String file) {
        if (!validId(id)) {
            throw new IllegalArgumentException("not a backup id: " + id);
        }
        return TargetNames.check(SETS + id + "/" + file);
    }

    /** Whether the object is stored with {@code bytes} bytes (objects never change, so the size says it is whole). */
    boolean hasObject(String key, long bytes) {
        try {
            return target.size(object(key)) == bytes;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look up " + key + " in " + target, e);
        }
    }

    /** Writes a file of the target, atomically; returns the bytes written. */
    long write(String name, BackupTarget.StreamWriter writer) {
        try {
            return target.write(name, writer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name + " in " + target, e);
        }
    }

    /** Writes a file of the target from a channel writer, atomically ({@link BackupTarget#writeChannel}). */
    long writeChannel(String name, BackupTarget.ChannelWriter writer) {
        try {
            return target.writeChannel(name, writer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name + " in " + target, e);
        }
    }

    /** A file of the target, streamed. */
    InputStream read(String name) throws IOException {
        return target.read(name);
    }

    /** Marks the backup complete: its {@code set.json}. */
    void publish(BackupSet set) {
        byte[] json = toJson(set).getBytes(StandardCharsets.UTF_8);
        write(setFile(set.id(), SET_FILE), out -> out.write(json));
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
        String name = setFile(id, SET_FILE);
        try (InputStream in = target.read(name)) {
            return Optional.of(fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " in " + target, e);
        }
    }

    /** The ids of every backup that stored a file, complete or not, oldest first. */
    List<String> setIds() {
        TreeSet<String> ids = new TreeSet<>(Comparator.naturalOrder());
        for (String name : list(SETS)) {
            String rest = name.substring(SETS.length());
            int slash = rest.indexOf('/');
            if (slash > 0 && validId(rest.substring(0, slash))) {
                ids.add(rest.substring(0, slash));
            }
        }
        return List.copyOf(ids);
    }

    /** Every stored object key. */
    List<String> objectKeys() {
        return list(OBJECTS).stream().map(name -> name.substring(OBJECTS.length())).toList();
    }

    private List<String> list(String prefix) {
        try {
            return target.list(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + prefix + " in " + target, e);
        }
    }

    /** Removes a checkpoint object; an absent one is not an error. */
    void deleteObject(String key) {
        delete(object(key));
    }

    /** Removes every file of backup {@code id}, its {@code set.json} first (so that it is no longer complete). */
    void deleteSet(String id) {
        String set = setFile(id, SET_FILE);
        delete(set);
        String folder = SETS + id + "/";
        list(folder).stream().filter(name -> !name.equals(set)).forEach(this::delete);
    }

    private void delete(String name) {
        try {
            target.delete(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + name + " in " + target, e);
        }
    }

    /** Where the backups are: a folder path or an S3 address. */
    @Override
    public String toString() {
        return target.toString();
    }

    @Override
    public void close() {
        target.close();
    }

    static String toJson(BackupSet set) {
        return JSON.toJson(set);
    }

    static BackupSet fromJson(String json) {
        return JSON.fromJson(json, BackupSet.class);
    }
}
