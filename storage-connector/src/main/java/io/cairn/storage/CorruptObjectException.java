package io.cairn.storage;

/**
 * The object exists but cannot be returned intact: fewer than k shards passed their checksums, or the
 * reassembled object failed its end-to-end checksum. Healing cannot fix it from what remains; it is not
 * retryable.
 */
public class CorruptObjectException extends StorageException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public CorruptObjectException(String key, String detail) {
        super("object corrupt: " + key + ": " + detail);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
