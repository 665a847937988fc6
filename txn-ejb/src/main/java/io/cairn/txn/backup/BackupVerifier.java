package io.cairn.txn.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-reads every file of a backup (streamed) and checks its size and SHA-256 against the backup's {@code set.json}.
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
        List<String> problems = new ArrayList<>();
        long bytes = 0;
        for (BackupSet.StoredFile object : set.objects()) {
            bytes += check(BackupRepository.object(object.name()), object, problems);
        }
        if (set.logTail() != null) {
            bytes += check(BackupRepository.setFile(id, set.logTail().name()), set.logTail(), problems);
        }
        return new Report(id, set.objects().size() + (set.logTail() == null ? 0 : 1), bytes, List.copyOf(problems));
    }

    private long check(String name, BackupSet.StoredFile expected, List<String> problems) {
        try {
            long size = target.target().size(name);
            if (size != expected.bytes()) {
                problems.add(expected.name() + ": " + size + " bytes, " + expected.bytes() + " expected");
                return size;
            }
            try (InputStream in = target.read(name)) {
                String sha256 = Checksums.sha256(in);
                if (!sha256.equals(expected.sha256())) {
                    problems.add(expected.name() + ": SHA-256 " + sha256 + ", " + expected.sha256() + " expected");
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
