package io.cairn.storage;

/** No committed object exists under the key (never written, deleted, or its write did not commit). */
public class ObjectNotFoundException extends StorageException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public ObjectNotFoundException(String key) {
        super("object not found: " + key);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
