package io.cairn.txn.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Re-reads every file of a backup (streamed) and checks its size and checksum against the backup's {@code set.json}.
 */
public final class BackupVerifier {
    private final BackupRepository target;

    public BackupVerifier(BackupRepository target) {
        this.target = target;
    }

    /** What one verification found: {@code problems} is empty when every file is whole. */
    public record Report(String id, long files, long bytes, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** @throws IllegalArgumentException no complete backup {@code id} in the target */
    public Report verify(String id) {
        BackupSet set = target.find(id)
                .orElseThrow(() -> new IllegalArgumentException("no complete backup " + id + " in " + target));
        return verify(set, file -> true);
    }

    /**
     * Checks every file's size, and the checksum of those {@code hashed} accepts (a restore checks the others while
     * it copies them).
     */
    Report verify(BackupSet set, Predicate<BackupSet.StoredFile> hashed) {
        List<String> problems = new ArrayList<>();
        long bytes = 0;
        for (BackupSet.StoredFile object : set.objects()) {
            bytes += check(BackupRepository.object(object.name()), object, hashed.test(object), problems);
        }
        if (set.logTail() != null) {
            bytes += check(BackupRepository.setFile(set.id(), set.logTail().name()), set.logTail(),
                    hashed.test(set.logTail()), problems);
        }
        return new Report(set.id(), set.objects().size() + (set.logTail() == null ? 0 : 1), bytes, List.copyOf(problems));
    }

    private long check(String name, BackupSet.StoredFile expected, boolean hash, List<String> problems) {
        try {
            long size = target.target().size(name);
            if (size != expected.bytes()) {
                problems.add(expected.name() + ": " + size + " bytes, " + expected.bytes() + " expected");
                return size;
            }
            if (hash) {
                try (InputStream in = target.read(name)) {
                    String problem = Checksums.mismatch(expected, Checksums.of(expected, in));
                    if (problem != null) {
                        problems.add(problem);
                    }
                }
            }
            return size;
        } catch (NoSuchFileException e) {
            problems.add(expected.name() + ": missing");
        } catch (IOException e) {
            problems.add(expected.name() + ": unreadable (" + e.getMessage() + ")");
        }
        return 0;
    }
}
