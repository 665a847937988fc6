package io.cairn.storage;

import java.io.IOException;
import java.io.InputStream;

/** The bytes of a streamed put small enough to hold in memory. */
public final class PutInput {
    private PutInput() {
    }

    /**
     * Reads exactly {@code length} bytes of {@code data} for the put of {@code key}.
     *
     * @throws StorageException reading failed
     * @throws IllegalArgumentException the stream ended early
     */
    public static byte[] readAll(String key, InputStream data, long length) {
        byte[] bytes;
        try {
            bytes = data.readNBytes((int) length);
        } catch (IOException e) {
            throw new StorageException("put " + key + ": reading the input failed: " + e.getMessage(), e);
        }
        if (bytes.length != length) {
            throw new IllegalArgumentException("put " + key + ": stream ended after " + bytes.length + " of "
                    + length + " bytes");
        }
        return bytes;
    }
}
