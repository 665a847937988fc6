package io.cairn.txn.backup;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Retention: keeps the newest complete backups and removes the others, then every object no kept backup
 * refers to, and the archived log's segments from before the oldest kept backup (no restore reads them; a standby
 * that far behind would stop at the gap). Folders of backups that never completed go too, unless they are newer
 * than the newest complete one (a backup may be running).
 */
public final class BackupPruner {
    private final BackupRepository target;

    public BackupPruner(BackupRepository target) {
        this.target = target;
    }

    /** What a prune removed. */
    public record Report(List<String> kept, List<String> removed, long objectsRemoved, long archiveSegmentsRemoved) {
    }

    /** @param keep how many of the newest complete backups stay, at least 1 */
    public Report prune(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("--keep must be at least 1");
        }
        List<BackupSet> complete = target.sets();
        List<BackupSet> kept = complete.subList(Math.max(0, complete.size() - keep), complete.size());
        Set<String> keptIds = new HashSet<>();
        kept.forEach(s -> keptIds.add(s.id()));
        String newestComplete = complete.isEmpty() ? null : complete.get(complete.size() - 1).id();
        List<String> removed = target.setIds().stream().filter(id -> !keptIds.contains(id))
                .filter(id -> newestComplete != null && id.compareTo(newestComplete) < 0).toList();
        removed.forEach(target::deleteSet);
        Set<String> referenced = new HashSet<>();
        kept.forEach(s -> s.objects().forEach(o -> referenced.add(o.name())));
        // objects of a backup newer than every complete one may belong to a backup still running: they stay
        boolean backupRunning = target.setIds().stream()
                .anyMatch(id -> newestComplete == null || id.compareTo(newestComplete) > 0);
        long objectsRemoved = 0;
        if (!backupRunning) {
            for (String key : target.objectKeys()) {
                if (!referenced.contains(key)) {
                    target.deleteObject(key);
                    objectsRemoved++;
                }
            }
        }
        long segmentsRemoved = kept.isEmpty() ? 0
                : new LogArchive(target).removeUpTo(kept.stream().mapToLong(BackupSet::lastLsn).min().orElseThrow());
        return new Report(kept.stream().map(BackupSet::id).toList(), removed, objectsRemoved, segmentsRemoved);
    }
}
