package io.cairn.storage;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * What {@link ObjectStore#head(String)} returns about a committed object.
 *
 * @param key the object's key
 * @param size the object's length in bytes
 * @param checksum CRC32C of the whole object, as {@code "crc32c:"} followed by 8 lower-case hex digits
 * @param created when the put that wrote it started (store clock)
 */
public record ObjectMetadata(String key, long size, String checksum, Instant created) implements Serializable {
    public ObjectMetadata {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(checksum, "checksum");
        Objects.requireNonNull(created, "created");
        if (size < 0) {
            throw new IllegalArgumentException("size < 0: " + size);
        }
    }
}
