package io.cairn.storage.testing;

import io.cairn.storage.HealReport;
import io.cairn.storage.ObjectExistsException;
import io.cairn.storage.ObjectMetadata;
import io.cairn.storage.ObjectNotFoundException;
import io.cairn.storage.ObjectStore;
import io.cairn.storage.ObjectStoreConnection;
import io.cairn.storage.ObjectStoreConnectionFactory;
import io.cairn.storage.PutInput;
import io.cairn.storage.StorageException;
import io.cairn.storage.StorageHealth;
import io.cairn.storage.StorageUnavailableException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.zip.CRC32C;
import javax.naming.Reference;

/**
 * An {@link ObjectStore} in memory, for unit tests of the modules that use storage (published in the
 * storage connector's {@code tests} jar, CONVENTIONS #6). It keeps the contract of {@link ObjectStore}
 * (write-once keys, atomic visibility, the same key rules and errors) and passes the same contract suite as
 * the erasure-coded store ({@code InMemoryStoreContractTest}); it has no endpoints, so
 * {@link ObjectStoreConnection#heal} finds nothing to repair.
 *
 * <p>For failure tests, {@link #setAvailable(boolean) setAvailable(false)} makes every call throw
 * {@link StorageUnavailableException} (and health report DOWN) until it is set back. Creation times come from
 * the injected {@link Clock}. Thread-safe; objects are copied in and out, so callers cannot change them.
 *
 * <pre>{@code
 * InMemoryObjectStore store = new InMemoryObjectStore();
 * ObjectStoreConnectionFactory factory = store.connectionFactory(); // where code expects the JCA factory
 * }</pre>
 */
public final class InMemoryObjectStore implements ObjectStore {
    /** Longest percent-encoded key the real store accepts (it must fit a file name). */
    static final int MAX_ENCODED_KEY = 220;

    private record Entry(byte[] data, ObjectMetadata meta) {
    }

    private final ConcurrentSkipListMap<String, Entry> objects = new ConcurrentSkipListMap<>();
    private final Clock clock;
    private final long maxObjectSize;
    private volatile boolean available = true;

    /** A store on the system clock accepting objects up to 256 MiB, like the connector's default. */
    public InMemoryObjectStore() {
        this(Clock.systemUTC(), 256L << 20);
    }

    public InMemoryObjectStore(Clock clock, long maxObjectSize) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxObjectSize < 0 || maxObjectSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxObjectSize out of range: " + maxObjectSize);
        }
        this.maxObjectSize = maxObjectSize;
    }

    /** While false, every operation throws {@link StorageUnavailableException}, as when endpoints are down. */
    public void setAvailable(boolean available) {
        this.available = available;
    }

    /** Number of committed objects. */
    public int size() {
        return objects.size();
    }

    @Override
    public void put(String key, byte[] data) {
        Objects.requireNonNull(data, "data");
        validateKey(key);
        checkSize(data.length);
        commit(key, data.clone());
    }

    @Override
    public void put(String key, InputStream data, long length) {
        Objects.requireNonNull(data, "data");
        validateKey(key);
        checkSize(length);
        byte[] bytes = PutInput.readAll(key, data, length);
        commit(key, bytes);
    }

    private void commit(String key, byte[] data) {
        requireAvailable("put " + key);
        CRC32C crc = new CRC32C();
        crc.update(data);
        ObjectMetadata meta = new ObjectMetadata(key, data.length, String.format("crc32c:%08x", crc.getValue()),
                clock.instant());
        if (objects.putIfAbsent(key, new Entry(data, meta)) != null) {
            throw new ObjectExistsException(key);
        }
    }

    @Override
    public byte[] get(String key) {
        return entry(key, "get").data().clone();
    }

    @Override
    public byte[] get(String key, long offset, int length) {
        validateKey(key);
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
        byte[] data = entry(key, "get").data();
        if (offset + length > data.length) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " beyond object size "
                    + data.length + ": " + key);
        }
        return Arrays.copyOfRange(data, (int) offset, (int) offset + length);
    }

    @Override
    public ObjectMetadata head(String key) {
        return entry(key, "head").meta();
    }

    @Override
    public List<String> list(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.isISOControl(prefix.charAt(i))) {
                throw new IllegalArgumentException("prefix contains a control character at index " + i);
            }
        }
        utf8(prefix);
        requireAvailable("list " + prefix);
        List<String> keys = new ArrayList<>();
        for (String k : objects.tailMap(prefix, true).keySet()) {
            if (!k.startsWith(prefix)) {
                break;
            }
            keys.add(k);
        }
        return keys;
    }

    @Override
    public void delete(String key) {
        validateKey(key);
        requireAvailable("delete " + key);
        objects.remove(key);
    }

    private Entry entry(String key, String op) {
        validateKey(key);
        requireAvailable(op + " " + key);
        Entry e = objects.get(key);
        if (e == null) {
            throw new ObjectNotFoundException(key);
        }
        return e;
    }

    private void requireAvailable(String op) {
        if (!available) {
            throw new StorageUnavailableException(op, 0, 1, null);
        }
    }

    private void checkSize(long length) {
        if (length < 0 || length > maxObjectSize) {
            throw new IllegalArgumentException("object size " + length + " outside 0.." + maxObjectSize
                    + " (maxObjectSize)");
        }
    }

    /** The key rules of {@link ObjectStore}, including the limit on the percent-encoded length. */
    static void validateKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("key must have 1.." + MAX_KEY_LENGTH + " characters, got "
                    + key.length());
        }
        if (key.equals(".") || key.equals("..")) {
            throw new IllegalArgumentException("key must not be '.' or '..'");
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new IllegalArgumentException("key contains a control character at index " + i);
            }
        }
        ByteBuffer bytes = utf8(key);
        int encoded = 0;
        while (bytes.hasRemaining()) {
            int b = bytes.get() & 0xFF;
            boolean plain = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || b == '.' || b == '_' || b == '~' || b == '-';
            encoded += plain ? 1 : 3;
        }
        if (encoded > MAX_ENCODED_KEY) {
            throw new IllegalArgumentException("key too long once percent-encoded: " + encoded + " > "
                    + MAX_ENCODED_KEY);
        }
    }

    private static ByteBuffer utf8(String s) {
        try {
            return StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("key is not valid Unicode (unpaired surrogate)", e);
        }
    }

    // ------------------------------------------------------------------ as a JCA connection factory

    /** A connection factory whose connections all use this store; for code written against the JCA factory. */
    public ObjectStoreConnectionFactory connectionFactory() {
        return new Factory(this);
    }

    private static final class Factory implements ObjectStoreConnectionFactory {
        private static final long serialVersionUID = 1L;
        private final transient InMemoryObjectStore store;
        private Reference reference;

        Factory(InMemoryObjectStore store) {
            this.store = store;
        }

        @Override
        public ObjectStoreConnection getConnection() {
            return new Connection(store);
        }

        @Override
        public void setReference(Reference reference) {
            this.reference = reference;
        }

        @Override
        public Reference getReference() {
            return reference;
        }
    }

    /** A handle: the store's operations until closed, then {@link IllegalStateException}. */
    private static final class Connection implements ObjectStoreConnection {
        private final InMemoryObjectStore store;
        private volatile boolean closed;

        Connection(InMemoryObjectStore store) {
            this.store = store;
        }

        private InMemoryObjectStore open() {
            if (closed) {
                throw new IllegalStateException("storage connection is closed");
            }
            return store;
        }

        @Override
        public void put(String key, byte[] data) {
            open().put(key, data);
        }

        @Override
        public void put(String key, InputStream data, long length) {
            open().put(key, data, length);
        }

        @Override
        public byte[] get(String key) {
            return open().get(key);
        }

        @Override
        public byte[] get(String key, long offset, int length) {
            return open().get(key, offset, length);
        }

        @Override
        public ObjectMetadata head(String key) {
            return open().head(key);
        }

        @Override
        public List<String> list(String prefix) {
            return open().list(prefix);
        }

        @Override
        public void delete(String key) {
            open().delete(key);
        }

        @Override
        public StorageHealth health() {
            boolean up = open().available;
            return new StorageHealth(List.of(new StorageHealth.EndpointStatus("memory:", up,
                    up ? null : "unavailable (setAvailable(false))")), 1);
        }

        @Override
        public HealReport heal(String key) {
            open().head(key);
            return new HealReport(1, List.of(), List.of());
        }

        @Override
        public HealReport healAll() {
            return new HealReport(open().list("").size(), List.of(), List.of());
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Override
    public String toString() {
        return "InMemoryObjectStore[" + objects.size() + " objects]";
    }

    /** For assertions on what a component stored; a snapshot copy. */
    public Map<String, ObjectMetadata> snapshot() {
        Map<String, ObjectMetadata> out = new java.util.TreeMap<>();
        objects.forEach((k, e) -> out.put(k, e.meta()));
        return out;
    }
}
