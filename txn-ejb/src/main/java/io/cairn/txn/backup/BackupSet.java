package io.cairn.txn.backup;

import java.util.List;

/**
 * What one backup holds, written as {@code set.json} in its folder once everything it lists is stored: a set
 * whose file exists is complete. Serialized with JSON-B.
 *
 * @param id            the backup's name, sortable by creation time (UTC)
 * @param created       when it was taken, ISO-8601 UTC
 * @param checkpoint    the object key of the checkpoint manifest it starts from; null before the first checkpoint
 * @param checkpointLsn the last log entry that checkpoint covers (0 without one)
 * @param checkpointTs  the newest commit that checkpoint holds (0 without one): a restore reaches no earlier moment
 * @param lastLsn       the last log entry the backup holds: every commit acknowledged before the backup began
 * @param commitTs      the timestamp of the newest commit it holds, the moment a restore of it reaches
 * @param commitTime    the same moment, ISO-8601 UTC, for people
 * @param objects       the checkpoint's objects (manifest and segments), in {@code objects/} of the target
 * @param logTail       the file of commits logged after the checkpoint, in the backup's folder
 * @param commits       how many commits that file holds
 */
public record BackupSet(String id, String created, String checkpoint, long checkpointLsn, long checkpointTs,
        long lastLsn, long commitTs,
        String commitTime, List<StoredFile> objects, StoredFile logTail, long commits) {

    /**
     * One stored file: its name (an object key, or a file name in the backup's folder), size and checksum: the
     * CRC32C of its bytes (8 hex digits; the object storage's own checksum of an object), or in backups taken before
     * 2026-12-07 the SHA-256 (64 hex digits). Exactly one of the two is set.
     */
    public record StoredFile(String name, long bytes, String crc32c, String sha256) {
    }

    public BackupSet {
        objects = objects == null ? List.of() : List.copyOf(objects);
    }

    /** The bytes of the objects and the log tail together. */
    public long totalBytes() {
        return objects.stream().mapToLong(StoredFile::bytes).sum() + (logTail == null ? 0 : logTail.bytes());
    }
}
