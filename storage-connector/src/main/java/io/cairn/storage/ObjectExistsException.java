package io.cairn.storage;

/** A put named a key that already holds a committed object; objects are write-once. */
public class ObjectExistsException extends StorageException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public ObjectExistsException(String key) {
        super("object already exists (objects are write-once; delete it first): " + key);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
